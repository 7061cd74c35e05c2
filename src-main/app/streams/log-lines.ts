import { Writable } from 'node:stream';

/** A log line as the API sends it with `timestamps=true`: "<RFC 3339 time> <text>". */
export interface TimedLine {
  time: string;
  text: string;
}

/** Splits "<time> <text>"; a line without a timestamp keeps its whole text. */
export function splitTimestamp(line: string): TimedLine {
  const space = line.indexOf(' ');
  if (space > 0 && /^\d{4}-\d\d-\d\dT/.test(line))
    return { time: line.slice(0, space), text: line.slice(space + 1) };
  return { time: '', text: line };
}

/**
 * A Writable that cuts a byte stream into lines (UTF-8 safe across chunks) and hands each
 * whole line to `onLine`; a last line without a newline is delivered at the end.
 */
export function lineWriter(onLine: (line: string) => void): Writable {
  let partial = '';
  const decoder = new TextDecoder('utf-8');
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const lines = (partial + decoder.decode(chunk, { stream: true })).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
      callback();
    },
    final(callback) {
      const rest = partial + decoder.decode();
      partial = '';
      if (rest) onLine(rest);
      callback();
    },
  });
}

/** Collects a whole byte stream into one Buffer, exactly as received. */
export function bufferWriter(): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    }),
    bytes: () => Buffer.concat(chunks),
  };
}
