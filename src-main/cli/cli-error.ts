import { ProfileError } from '../engine/profiles/profile-error';

/**
 * A failure reported to the user as one line, cause then fix, with a non-zero exit code. Details
 * (such as the engine's last log lines) are printed before that line.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 1,
    readonly details?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Exit code for command-line usage errors (unknown flags, bad values), as sysexits' EX_USAGE. */
export const USAGE_EXIT_CODE = 2;

/** The one line printed for `err`: `Error: <cause> <fix>`. */
export function errorLine(err: unknown): string {
  if (err instanceof CliError || err instanceof ProfileError) {
    return `Error: ${joinSentences(err.message, err.hint)}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return `Error: ${joinSentences(message.split('\n')[0], undefined)}`;
}

function joinSentences(cause: string, fix: string | undefined): string {
  const sentence = /[.!?)]$/.test(cause) ? cause : `${cause}.`;
  return fix ? `${sentence} ${fix}` : sentence;
}
