import zlib from 'node:zlib';
import type { Deflate, Inflate } from 'node:zlib';
import { SPDY_HEADER_DICTIONARY } from './dictionary';

/**
 * One direction of SPDY/3 header compression: a single zlib stream per session and
 * direction, primed with the SPDY dictionary, each header block ending on a sync flush
 * (draft 3, section 2.6.10.1). Calls are serialized, so blocks keep their order.
 */
class ZlibChannel {
  private queue: Promise<unknown> = Promise.resolve();
  private failed: Error | undefined;

  constructor(private readonly stream: Deflate | Inflate) {
    stream.on('error', (error: Error) => {
      this.failed = error;
    });
  }

  process(input: Buffer): Promise<Buffer> {
    const run = (): Promise<Buffer> =>
      new Promise((resolve, reject) => {
        if (this.failed) {
          reject(this.failed);
          return;
        }
        const chunks: Buffer[] = [];
        const onData = (chunk: Buffer): void => {
          chunks.push(chunk);
        };
        const onError = (error: Error): void => {
          this.stream.off('data', onData);
          reject(error);
        };
        this.stream.on('data', onData);
        this.stream.once('error', onError);
        this.stream.write(input);
        this.stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
          this.stream.off('data', onData);
          this.stream.off('error', onError);
          if (this.failed) reject(this.failed);
          else resolve(Buffer.concat(chunks));
        });
      });
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.stream.close();
  }
}

/** Compresses outgoing header blocks of one SPDY session. */
export class HeaderCompressor {
  private readonly channel = new ZlibChannel(zlib.createDeflate({ dictionary: SPDY_HEADER_DICTIONARY }));

  compress(block: Buffer): Promise<Buffer> {
    return this.channel.process(block);
  }

  close(): void {
    this.channel.close();
  }
}

/** Decompresses incoming header blocks of one SPDY session. */
export class HeaderDecompressor {
  private readonly channel = new ZlibChannel(zlib.createInflate({ dictionary: SPDY_HEADER_DICTIONARY }));

  decompress(block: Buffer): Promise<Buffer> {
    return this.channel.process(block);
  }

  close(): void {
    this.channel.close();
  }
}
