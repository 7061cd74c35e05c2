import type { ImageProgressEvent } from '../../app/images/progress';
import { formatProgressEvent } from '../../app/images/progress';
import type { CliIo } from '../io';

/**
 * Prints image progress readably: build steps and their output line by line; for pushes and
 * pulls one line per layer state change (`a1b2c3d4e5f6: Pushed`), not per byte count, so logs
 * stay short. On a terminal the running layer's byte count is shown on one redrawn line.
 */
export class ImageProgressPrinter {
  private readonly layerStatus = new Map<string, string>();
  private transient = false;

  constructor(private readonly io: CliIo) {}

  /** Handles one event; pass as `onProgress`. */
  readonly print = (event: ImageProgressEvent): void => {
    if (event.type === 'layer') {
      const seen = this.layerStatus.get(event.id);
      this.layerStatus.set(event.id, event.status);
      if (seen === event.status) {
        if (this.io.isTTY && event.current !== undefined && event.total !== undefined) {
          this.io.out(`\r\x1b[2K${formatProgressEvent(event)}`);
          this.transient = true;
        }
        return;
      }
      this.line(formatProgressEvent({ ...event, current: undefined, total: undefined }));
      return;
    }
    this.line(formatProgressEvent(event));
  };

  /** Clears a redrawn line left on the terminal (call before printing anything else). */
  finish(): void {
    if (this.transient) this.io.out('\r\x1b[2K');
    this.transient = false;
  }

  private line(text: string): void {
    this.finish();
    this.io.out(`${text}\n`);
  }
}
