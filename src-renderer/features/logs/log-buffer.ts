import type { LogLine } from '../../../src-main/ipc/streams';

/**
 * Lines of one log view in parallel arrays (cheap to grow to millions, no copies on append).
 * `version` changes on every append so React can notice.
 */
export class LogBuffer {
  readonly pods: string[] = [];
  readonly containers: string[] = [];
  readonly times: string[] = [];
  readonly texts: string[] = [];
  version = 0;

  get length(): number {
    return this.texts.length;
  }

  append(lines: readonly LogLine[]): void {
    for (const line of lines) {
      this.pods.push(line.pod);
      this.containers.push(line.container);
      this.times.push(line.time);
      this.texts.push(line.text);
    }
    this.version++;
  }
}
