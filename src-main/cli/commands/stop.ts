import type { Command } from 'commander';
import { requireProfileConfig } from '../../engine/profiles/profile-store';
import { commandContext } from '../context';
import { stopEngine } from '../engine-process';
import { parseSeconds } from '../flags';
import type { CliIo } from '../io';
import type { ContainerStop } from '../stop-containers';

/**
 * How long pods may take to exit on stop, at most. A stopping node is not a pod deletion: like a
 * kubelet with a short graceful-shutdown period, pods get SIGTERM and a few seconds, not their full
 * grace period (30 s by default, which every `sleep` or shell as PID 1 would use up).
 */
const DEFAULT_STOP_GRACE_SECONDS = 5;

const containerNote = (count: number) => (count > 0 ? ` and its ${count} container(s)` : '');

/** Loaded on use: the Docker client is heavy. */
async function stopContainers(profile: string, maxGraceSeconds: number): Promise<ContainerStop> {
  const { stopProfileContainers } = await import('../stop-containers');
  return stopProfileContainers(profile, maxGraceSeconds);
}

/**
 * `kubedesk stop`: stops the profile's engine (SIGTERM, SIGKILL after a timeout), then its
 * containers, so a stopped cluster costs nothing; all state is kept and the next start runs the
 * pods again. `--keep-pods` leaves the containers running for a quick engine restart (they are
 * re-adopted as they are).
 */
export function registerStop(program: Command, io: CliIo): void {
  program
    .command('stop')
    .description('Stop a running cluster and its containers; its state is kept for the next start')
    .option(
      '--timeout <seconds>',
      'how long to wait for a clean stop before killing the engine',
      parseSeconds,
      30,
    )
    .option(
      '--grace <seconds>',
      'how long pods may take to exit (at most their own grace period)',
      parseSeconds,
      DEFAULT_STOP_GRACE_SECONDS,
    )
    .option('--keep-pods', 'leave pod containers running; the next start adopts them as they are')
    .action(async (options: { timeout: number; grace: number; keepPods?: boolean }, command: Command) => {
      const { home, profile } = commandContext(io, command);
      await requireProfileConfig(profile, home);
      const outcome = await stopEngine(profile, home, options.timeout * 1000);
      const containers = options.keepPods ? undefined : await stopContainers(profile, options.grace);
      const stoppedContainers = containers?.stopped ?? 0;
      switch (outcome) {
        case 'not-running':
          io.out(
            stoppedContainers > 0
              ? `✓ Profile "${profile}" was not running; stopped ${stoppedContainers} container(s) it left\n`
              : `Profile "${profile}" is not running.\n`,
          );
          break;
        case 'stopped':
          io.out(`✓ Stopped profile "${profile}"${containerNote(stoppedContainers)}\n`);
          break;
        case 'killed':
          io.out(
            `✓ Stopped profile "${profile}" (killed: it did not stop within ${options.timeout}s)${containerNote(stoppedContainers)}\n`,
          );
          break;
      }
      if (containers && !containers.reachable)
        io.err(`! No Docker engine answered; containers of "${profile}" (if any) were not stopped.\n`);
      for (const failure of containers?.failures ?? []) io.err(`! Could not stop ${failure}\n`);
    });
}
