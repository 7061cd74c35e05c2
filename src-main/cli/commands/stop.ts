import type { Command } from 'commander';
import { requireProfileConfig } from '../../engine/profiles/profile-store';
import { commandContext } from '../context';
import { stopEngine } from '../engine-process';
import { parseSeconds } from '../flags';
import type { CliIo } from '../io';

/** `kubedesk stop`: stop the profile's engine (SIGTERM, SIGKILL after a timeout); state is kept. */
export function registerStop(program: Command, io: CliIo): void {
  program
    .command('stop')
    .description('Stop a running cluster; its state is kept for the next start')
    .option(
      '--timeout <seconds>',
      'how long to wait for a clean stop before killing the engine',
      parseSeconds,
      30,
    )
    .action(async (options: { timeout: number }, command: Command) => {
      const { home, profile } = commandContext(io, command);
      await requireProfileConfig(profile, home);
      const outcome = await stopEngine(profile, home, options.timeout * 1000);
      switch (outcome) {
        case 'not-running':
          io.out(`Profile "${profile}" is not running.\n`);
          break;
        case 'stopped':
          io.out(`✓ Stopped profile "${profile}"\n`);
          break;
        case 'killed':
          io.out(`✓ Stopped profile "${profile}" (killed: it did not stop within ${options.timeout}s)\n`);
          break;
      }
    });
}
