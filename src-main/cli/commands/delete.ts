import type { Command } from 'commander';
import { removeKubeconfigEntries } from '../../engine/profiles/kubeconfig';
import { profilePaths } from '../../engine/profiles/paths';
import { deleteProfileFiles, listProfileNames } from '../../engine/profiles/profile-store';
import { CliError } from '../cli-error';
import type { CommandContext } from '../context';
import { commandContext } from '../context';
import type { DockerCleanup } from '../docker-cleanup';
import { stopEngine } from '../engine-process';
import type { CliIo } from '../io';

/** Clean stop budget per profile before the engine is killed. */
const STOP_TIMEOUT_MS = 30_000;

/** `kubedesk delete`: stop and remove a profile (or all) with its kubeconfig entries and Docker objects. */
export function registerDelete(program: Command, io: CliIo): void {
  program
    .command('delete')
    .description('Delete a cluster: stop it, remove its state, kubeconfig entries, containers and networks')
    .option('--all', 'delete every profile')
    .action(async (options: { all?: boolean }, command: Command) => {
      const ctx = commandContext(io, command, !options.all);
      const existing = await listProfileNames(ctx.home);
      if (options.all) {
        if (existing.length === 0) {
          io.out('No profiles to delete.\n');
          return;
        }
        for (const name of existing) await deleteProfile(ctx, name);
        return;
      }
      if (!existing.includes(ctx.profile)) {
        if (await removeLeftovers(ctx, ctx.profile)) return;
        throw new CliError(
          `Profile "${ctx.profile}" not found.`,
          'See "kubedesk profile list" for the profiles there are.',
        );
      }
      await deleteProfile(ctx, ctx.profile);
    });
}

/**
 * For a profile whose folder is gone: removes its Docker objects and the kubeconfig entries that
 * still point into that folder. True if anything was found.
 */
async function removeLeftovers(ctx: CommandContext, name: string): Promise<boolean> {
  const { io, home, kubeconfig } = ctx;
  const docker = await removeDockerObjects(name, profilePaths(name, home).dir);
  const kubeconfigChanged = await removeKubeconfigEntries(name, kubeconfig, {
    onlyIfCertificateAuthorityUnder: profilePaths(name, home).dir,
  });
  const dockerCount = docker.containers + docker.networks + docker.volumes;
  if (!kubeconfigChanged && dockerCount === 0) return false;
  io.out(`Profile "${name}" was not found; removing what was left of it.\n`);
  if (dockerCount > 0) {
    io.out(
      `✓ Removed ${docker.containers} container(s), ${docker.networks} network(s), ${docker.volumes} volume(s)\n`,
    );
  }
  for (const failure of docker.failures) io.err(`! Could not remove ${failure}\n`);
  if (kubeconfigChanged) io.out(`✓ Removed context "${name}" from ${kubeconfig}\n`);
  return true;
}

/** Loaded on use: the Docker client is heavy and only delete needs it. */
async function removeDockerObjects(name: string, profileDir: string): Promise<DockerCleanup> {
  const { removeProfileDockerObjects } = await import('../docker-cleanup');
  return removeProfileDockerObjects(name, undefined, profileDir);
}

async function deleteProfile(ctx: CommandContext, name: string): Promise<void> {
  const { io, home, kubeconfig } = ctx;
  const stopped = await stopEngine(name, home, STOP_TIMEOUT_MS);
  if (stopped !== 'not-running') io.out(`✓ Stopped the engine of "${name}"\n`);

  const docker = await removeDockerObjects(name, profilePaths(name, home).dir);
  if (docker.ownedBy) {
    io.err(
      `! Containers and networks named for "${name}" belong to the same-named profile of another Kubedesk home (${docker.ownedBy}); they were left alone.\n`,
    );
  } else if (!docker.reachable) {
    io.err(`! No Docker engine answered; containers and networks of "${name}" (if any) were not removed.\n`);
  } else if (docker.containers + docker.networks + docker.volumes > 0) {
    io.out(
      `✓ Removed ${docker.containers} container(s), ${docker.networks} network(s), ${docker.volumes} volume(s)\n`,
    );
  }
  for (const failure of docker.failures) io.err(`! Could not remove ${failure}\n`);

  if (await removeKubeconfigEntries(name, kubeconfig)) {
    io.out(`✓ Removed context "${name}" from ${kubeconfig}\n`);
  }
  await deleteProfileFiles(name, home);
  io.out(`✓ Deleted profile "${name}"\n`);
}
