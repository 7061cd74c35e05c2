import { Command, CommanderError, Option } from 'commander';
import { defaultProfileName } from '../engine/profiles/paths';
import { ProfileError } from '../engine/profiles/profile-error';
import { CliError, errorLine, USAGE_EXIT_CODE } from './cli-error';
import { registerDashboard } from './commands/dashboard';
import { registerAddons } from './commands/addons';
import { registerDelete } from './commands/delete';
import { registerImage } from './commands/image';
import { registerIp } from './commands/ip';
import { registerProfile } from './commands/profile';
import { registerService } from './commands/service';
import { registerStart } from './commands/start';
import { registerStatus } from './commands/status';
import { registerStop } from './commands/stop';
import type { CliIo } from './io';

/**
 * Builds the `kubedesk` command tree writing to `io`. Each command lives in `commands/<name>.ts`
 * and adds itself with `register<Name>(program, io)`; new commands are one file and one line here.
 */
export function createProgram(io: CliIo): Command {
  const program = new Command('kubedesk')
    .description('A local Kubernetes cluster on your Docker engine')
    .addOption(
      // Not `.env()`: an empty KUBEDESK_PROFILE must mean the default, as defaultProfileName reads it.
      new Option(
        '-p, --profile <name>',
        'profile (cluster) name, also its kubeconfig context (env: KUBEDESK_PROFILE)',
      ).default(defaultProfileName(io.env)),
    )
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      // Usage errors are reported by runCli in the common one-line form.
      outputError: () => undefined,
    });

  registerStart(program, io);
  registerStop(program, io);
  registerStatus(program, io);
  registerDelete(program, io);
  registerProfile(program, io);
  registerIp(program, io);
  registerService(program, io);
  registerImage(program, io);
  registerAddons(program, io);
  registerDashboard(program, io);

  // Every subcommand shares the parent's error handling and output, and errors remember which
  // command they came from so the usage hint can name it.
  for (const command of [program, ...allCommands(program)]) {
    command
      .exitOverride((err) => {
        failedCommand.set(err, command);
        throw err;
      })
      .configureOutput(program.configureOutput())
      .showSuggestionAfterError(true);
  }
  return program;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. Failures are
 * printed as one line `Error: <cause> <fix>` (after any details); nothing is thrown.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = createProgram(io);
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) {
      return 0;
    }
    if (err.code === 'commander.help' || err.code === 'commander.executeSubCommandAsync') return err.exitCode;
    const cause = err.message.replace(/^error:\s*/i, '').replace(/\s*\n\s*/g, ' ');
    const command = failedCommand.get(err);
    const usage = command ? `${commandPath(command)} --help` : 'kubedesk --help';
    io.err(`${errorLine(new CliError(cause, `Run "${usage}" for usage.`))}\n`);
    return USAGE_EXIT_CODE;
  }
  if (err instanceof CliError) {
    if (err.details) io.err(`${err.details}\n`);
    if (err.message) io.err(`${errorLine(err)}\n`);
    return err.exitCode;
  }
  if (err instanceof ProfileError) {
    io.err(`${errorLine(err)}\n`);
    return 1;
  }
  io.err(`${errorLine(err)}\n`);
  if (err instanceof Error && err.stack && io.env.KUBEDESK_DEBUG) io.err(`${err.stack}\n`);
  return 1;
}

const failedCommand = new WeakMap<CommanderError, Command>();

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent)
    names.unshift(current.name());
  return names.join(' ');
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}
