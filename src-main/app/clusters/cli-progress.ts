import type { CliIo } from '../../cli/io';

/** One step line of a CLI command's progress output. */
export interface ProgressStep {
  step: string;
  state: 'running' | 'done' | 'failed';
}

// eslint-disable-next-line no-control-regex -- the terminal codes the CLI's progress writes
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * A `CliIo` that turns what a command prints into steps as they happen: with `isTTY` on, the CLI
 * prints `… label` when a step begins and `✓ label` / `✗ label` when it ends. Error output is kept
 * so a failure can be reported with the CLI's own words.
 */
export class ProgressCapture {
  readonly errors: string[] = [];
  private outBuffer = '';
  private errBuffer = '';

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly onStep: (step: ProgressStep) => void,
  ) {}

  get io(): CliIo {
    return {
      isTTY: true,
      env: this.env,
      out: (text) => {
        this.outBuffer = this.consume(this.outBuffer + text, (line) => this.outLine(line));
      },
      err: (text) => {
        this.errBuffer = this.consume(this.errBuffer + text, (line) => this.errors.push(line));
      },
    };
  }

  /** Flushes unterminated text (a running step's `… label` has no newline until it ends). */
  flush(): void {
    if (this.errBuffer.trim()) this.errors.push(clean(this.errBuffer));
    this.errBuffer = '';
  }

  /** The CLI's error line (`Error: …`), or all error output. */
  errorMessage(): string {
    this.flush();
    const line = [...this.errors].reverse().find((text) => text.startsWith('Error:'));
    return (line ?? this.errors.join(' ')).replace(/^Error:\s*/, '') || 'the operation failed';
  }

  private consume(text: string, emit: (line: string) => void): string {
    // A running step is printed without a newline and later overwritten after `\r`.
    const parts = text.split(/\r|\n/);
    const rest = parts.pop() ?? '';
    for (const part of parts) {
      const line = clean(part);
      if (line) emit(line);
    }
    const pending = clean(rest);
    if (pending.startsWith('… ')) {
      this.outLine(pending);
      return '';
    }
    return rest;
  }

  private outLine(line: string): void {
    if (line.startsWith('… ')) this.onStep({ step: line.slice(2), state: 'running' });
    else if (line.startsWith('✓ ')) this.onStep({ step: line.slice(2), state: 'done' });
    else if (line.startsWith('✗ ')) this.onStep({ step: line.slice(2), state: 'failed' });
    else if (line.startsWith('! ')) this.onStep({ step: line.slice(2), state: 'done' });
    else this.onStep({ step: line, state: 'done' });
  }
}

function clean(text: string): string {
  return text.replace(ANSI, '').trim();
}
