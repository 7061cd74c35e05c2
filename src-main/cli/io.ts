/** Where a command writes and what it reads from its surroundings; tests pass their own. */
export interface CliIo {
  /** Writes text to standard output (the caller adds newlines). */
  out(text: string): void;
  /** Writes text to standard error. */
  err(text: string): void;
  /** Whether standard output is a terminal (progress lines are redrawn in place only then). */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
  };
}
