import type { Command } from 'commander';
import { listProfiles } from '../../engine/profiles/profile-store';
import { commandContext, formatTable, printJson } from '../context';
import { parseOutputFormat } from '../flags';
import type { CliIo } from '../io';
import { viewProfile } from '../profile-view';

/** `kubedesk profile …`: work with profiles as a whole (`list` today). */
export function registerProfile(program: Command, io: CliIo): void {
  const profile = program.command('profile').description('Manage profiles (one profile = one local cluster)');

  profile
    .command('list')
    .alias('ls')
    .description('List every profile and its state')
    .option('-o, --output <format>', 'text or json', parseOutputFormat, 'text')
    .action(async (options: { output: 'text' | 'json' }, command: Command) => {
      const { home, kubeconfig } = commandContext(io, command, false);
      const views = await Promise.all(
        (await listProfiles(home)).map((config) => viewProfile(config, home, kubeconfig)),
      );
      if (options.output === 'json') {
        printJson(io, views);
        return;
      }
      if (views.length === 0) {
        io.out('No profiles yet. Create one with "kubedesk start".\n');
        return;
      }
      io.out(
        formatTable(
          ['PROFILE', 'STATE', 'API SERVER', 'NODES', 'CURRENT'],
          views.map((view) => [
            view.name,
            view.state,
            view.apiServerUrl,
            String(view.nodes),
            view.currentContext ? '*' : '',
          ]),
        ),
      );
    });
}
