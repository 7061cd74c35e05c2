import type { Command } from 'commander';
import { kubeconfigPath } from '../engine/profiles/kubeconfig';
import { kubedeskHome } from '../engine/profiles/paths';
import { profileNameProblem } from '../engine/profiles/profile-store';
import { CliError, USAGE_EXIT_CODE } from './cli-error';
import type { CliIo } from './io';

/** What every command acts on: the resolved global options and the surroundings. */
export interface CommandContext {
  io: CliIo;
  /** `$KUBEDESK_HOME` or `~/.kubedesk`. */
  home: string;
  /** The validated `-p/--profile` (default `$KUBEDESK_PROFILE`, else `kubedesk`). */
  profile: string;
  /** The kubeconfig file contexts are written to. */
  kubeconfig: string;
}

/**
 * Builds the context of a command from its (global) options. A bad profile name is a usage error,
 * unless the command does not act on one profile (`validateProfile: false`).
 */
export function commandContext(io: CliIo, command: Command, validateProfile = true): CommandContext {
  const options = command.optsWithGlobals<{ profile: string }>();
  const problem = profileNameProblem(options.profile);
  if (problem && validateProfile) {
    throw new CliError(
      `Invalid profile name: ${problem}.`,
      'Choose another name with -p NAME.',
      USAGE_EXIT_CODE,
    );
  }
  return { io, home: kubedeskHome(io.env), profile: options.profile, kubeconfig: kubeconfigPath(io.env) };
}

/** Writes `value` as indented JSON and a newline. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** Aligns rows into space-separated columns, kubectl style. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] + 3)))
      .join('')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
