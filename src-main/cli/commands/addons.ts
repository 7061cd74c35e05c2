import type { Command } from 'commander';
import type { AddonTarget, AddonView } from '../../engine/addons';
import { AddonError, addonTargetFor, disableAddon, enableAddon, listAddons } from '../../engine/addons';
import { profilePaths } from '../../engine/profiles/paths';
import { readProfileStatus, requireProfileConfig } from '../../engine/profiles/profile-store';
import { CliError } from '../cli-error';
import type { CommandContext } from '../context';
import { commandContext, formatTable, printJson } from '../context';
import { parseOutputFormat, parseSeconds } from '../flags';
import type { CliIo } from '../io';

/**
 * `kubedesk addons list|enable|disable`: addon state lives in the profile (addons.json) and the
 * engine applies it at every start; on a running cluster enable/disable act at once through the
 * API server, as the profile's admin.
 */
export function registerAddons(program: Command, io: CliIo): void {
  const addons = program.command('addons').description('List, enable and disable cluster addons');

  addons
    .command('list')
    .alias('ls')
    .description('Show every addon, whether it is enabled, and where to reach it')
    .option('-o, --output <format>', 'text or json', parseOutputFormat, 'text')
    .action(async (flags: { output: 'text' | 'json' }, command: Command) => {
      const ctx = commandContext(io, command);
      await requireProfileConfig(ctx.profile, ctx.home);
      const running = (await readProfileStatus(ctx.profile, ctx.home)).state === 'Running';
      const views = await listAddons(profilePaths(ctx.profile, ctx.home).dir, { probe: running });
      if (flags.output === 'json') printJson(io, views);
      else io.out(formatAddons(views));
    });

  addons
    .command('enable')
    .description('Enable an addon (now if the cluster runs, else at its next start)')
    .argument('<name>', 'addon name (see "kubedesk addons list")')
    .option('--wait-timeout <seconds>', 'how long to wait for the addon to serve', parseSeconds, 180)
    .action(async (name: string, flags: { waitTimeout: number }, command: Command) => {
      const ctx = commandContext(io, command);
      const target = await addonTarget(ctx);
      if (target.client) io.out(`… Enabling addon ${name} on profile "${ctx.profile}"\n`);
      const change = await reportAddonErrors(() =>
        enableAddon(name, target, { waitMs: flags.waitTimeout * 1000 }),
      );
      const where = change.view.address ? ` at ${change.view.address}` : '';
      if (change.appliedNow) io.out(`✓ Addon ${name} is enabled${where}\n`);
      else {
        io.out(
          `✓ Addon ${name} is enabled${where}; it starts with the cluster ("kubedesk start -p ${ctx.profile}")\n`,
        );
      }
      if (name === 'registry' && change.view.address) {
        io.out(
          `  Push with: kubedesk image build -t ${change.view.address}/app:latest . && kubedesk image push ${change.view.address}/app:latest\n`,
        );
      }
    });

  addons
    .command('disable')
    .description('Disable an addon (now if the cluster runs, else for its next start)')
    .argument('<name>', 'addon name')
    .action(async (name: string, _flags: unknown, command: Command) => {
      const ctx = commandContext(io, command);
      const target = await addonTarget(ctx);
      const change = await reportAddonErrors(() => disableAddon(name, target));
      io.out(`✓ Addon ${name} is disabled\n`);
      if (change.note) io.out(`  ${change.note}\n`);
    });
}

/** The text form of `addons list`. */
export function formatAddons(views: AddonView[]): string {
  return formatTable(
    ['NAME', 'STATE', 'ADDRESS', 'DESCRIPTION'],
    views.map((view) => [
      view.name,
      view.serving === false ? `${view.state} (not answering)` : view.state,
      view.address ?? '-',
      view.description,
    ]),
  );
}

/** The profile as an addon target: with an admin client of its API server when it runs. */
function addonTarget(ctx: CommandContext): Promise<AddonTarget> {
  return reportAddonErrors(() => addonTargetFor(ctx.profile, ctx.home, ctx.io.env));
}

async function reportAddonErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof AddonError) throw new CliError(error.message, error.hint);
    throw error;
  }
}
