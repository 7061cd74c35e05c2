import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import {
  ControlType,
  FLAG_FIN,
  FrameParser,
  RstStatus,
  decodeHeaderBlock,
  encodeControlFrame,
  encodeDataFrame,
  encodeHeaderBlock,
  words,
} from './frames';
import type { Frame } from './frames';
import { HeaderCompressor, HeaderDecompressor } from './header-compression';

/** Frames larger than this are split; any size up to 16 MiB is legal, smaller ones interleave better. */
const MAX_DATA_FRAME = 64 * 1024;

/**
 * One SPDY stream opened by the peer. Reading yields the peer's data until it half-closes
 * (FIN); writing sends data frames; `end()` half-closes our side with FIN. Destroying a
 * stream that is not finished both ways resets it (RST_STREAM CANCEL).
 */
export class SpdyStream extends Duplex {
  private localFin = false;
  private remoteFin = false;
  private wasReset = false;

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    /** The SYN_STREAM headers, names lowercased (e.g. `streamtype`, `port`, `requestid`). */
    readonly headers: Record<string, string>,
  ) {
    super({ allowHalfOpen: true });
  }

  override _read(): void {
    this.session.unthrottle(this);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.session.sendData(this.id, chunk, false).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.localFin = true;
    this.session.sendData(this.id, Buffer.alloc(0), true).then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.wasReset && !(this.localFin && this.remoteFin)) {
      this.wasReset = true;
      void this.session.sendReset(this.id, RstStatus.Cancel);
    }
    this.session.forget(this.id);
    callback(error);
  }

  /** @internal Data from the peer. */
  receive(data: Buffer, fin: boolean): void {
    if (data.length && !this.push(data)) this.session.throttle(this);
    if (fin && !this.remoteFin) {
      this.remoteFin = true;
      this.push(null);
    }
  }

  /** @internal The peer reset the stream or the connection went away. */
  abort(): void {
    this.wasReset = true;
    if (!this.remoteFin) {
      this.remoteFin = true;
      this.push(null);
    }
    this.destroy();
  }
}

export interface SpdySessionEvents {
  stream: [SpdyStream];
  close: [];
}

/**
 * The server side of a SPDY/3.1 connection over any byte duplex (an upgraded HTTP socket,
 * or a WebSocket carrying SPDY frames). It accepts the streams the peer opens (answering
 * each SYN_STREAM with an empty SYN_REPLY before announcing it), answers PINGs, and never
 * opens streams itself. Frames are handled strictly in arrival order and written strictly in
 * the order they were queued.
 */
export class SpdySession extends EventEmitter<SpdySessionEvents> {
  private readonly parser = new FrameParser();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly throttled = new Set<number>();
  private receiving: Promise<void> = Promise.resolve();
  private sending: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private closed = false;
  private ended = false;

  constructor(private readonly transport: Duplex) {
    super();
    transport.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.parser.push(chunk);
      } catch {
        this.destroy();
        return;
      }
      for (const frame of frames) {
        this.receiving = this.receiving.then(() => this.handle(frame)).catch(() => this.destroy());
      }
    });
    const gone = (): void => {
      // Frames already received are handled before the streams learn the connection ended.
      this.receiving = this.receiving.then(() => this.shutdown());
    };
    transport.once('end', gone);
    transport.once('close', gone);
    transport.on('error', gone);
  }

  /** Queues a data frame (or an empty FIN). Resolves once written to the transport. */
  sendData(streamId: number, data: Buffer, fin: boolean): Promise<void> {
    const frames: Buffer[] = [];
    for (let offset = 0; offset < data.length; offset += MAX_DATA_FRAME) {
      const last = offset + MAX_DATA_FRAME >= data.length;
      frames.push(
        encodeDataFrame(streamId, fin && last ? FLAG_FIN : 0, data.subarray(offset, offset + MAX_DATA_FRAME)),
      );
    }
    if (frames.length === 0) frames.push(encodeDataFrame(streamId, fin ? FLAG_FIN : 0, data));
    return this.enqueue(async () => {
      for (const frame of frames) await this.writeRaw(frame);
    });
  }

  sendReset(streamId: number, status: number): Promise<void> {
    return this.enqueue(() =>
      this.writeRaw(encodeControlFrame(ControlType.RstStream, 0, words(streamId, status))),
    );
  }

  /** Says GOAWAY and ends the transport once everything queued before has been written. */
  close(): Promise<void> {
    if (this.closed) return this.sending;
    this.closed = true;
    return this.enqueue(async () => {
      await this.writeRaw(encodeControlFrame(ControlType.GoAway, 0, words(this.lastStreamId, 0)));
      this.transport.end();
      // A peer that never closes its side must not keep the socket forever.
      setTimeout(() => this.transport.destroy(), 5000).unref();
    });
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.closed = true;
    this.transport.destroy();
  }

  /** @internal */
  forget(streamId: number): void {
    this.streams.delete(streamId);
    this.unthrottleId(streamId);
  }

  /**
   * @internal A stream's reader fell behind. Go peers ignore SPDY flow control windows, so
   * the only way to slow them down is to stop reading the connection until it catches up.
   */
  throttle(stream: SpdyStream): void {
    this.throttled.add(stream.id);
    this.transport.pause();
  }

  /** @internal The stream's reader wants more. */
  unthrottle(stream: SpdyStream): void {
    this.unthrottleId(stream.id);
  }

  private unthrottleId(streamId: number): void {
    if (this.throttled.delete(streamId) && this.throttled.size === 0) this.transport.resume();
  }

  private async handle(frame: Frame): Promise<void> {
    if (frame.kind === 'data') {
      const stream = this.streams.get(frame.streamId);
      if (!stream) {
        await this.sendReset(frame.streamId, RstStatus.InvalidStream);
        return;
      }
      if (frame.data.length) {
        // Give the window back so peers that count it never stall.
        void this.enqueue(() =>
          this.writeRaw(
            encodeControlFrame(ControlType.WindowUpdate, 0, words(frame.streamId, frame.data.length)),
          ),
        );
      }
      stream.receive(frame.data, (frame.flags & FLAG_FIN) !== 0);
      return;
    }
    const payload = frame.payload;
    switch (frame.type) {
      case ControlType.SynStream: {
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        const headers = decodeHeaderBlock(await this.decompressor.decompress(payload.subarray(10)));
        if (this.closed) {
          await this.sendReset(id, RstStatus.RefusedStream);
          return;
        }
        this.lastStreamId = Math.max(this.lastStreamId, id);
        const stream = new SpdyStream(this, id, headers);
        this.streams.set(id, stream);
        const block = await this.compressor.compress(encodeHeaderBlock({}));
        void this.enqueue(() =>
          this.writeRaw(encodeControlFrame(ControlType.SynReply, 0, Buffer.concat([words(id), block]))),
        );
        if (frame.flags & FLAG_FIN) stream.receive(Buffer.alloc(0), true);
        this.emit('stream', stream);
        return;
      }
      case ControlType.Headers:
        // Decompressed only to keep the shared zlib context in step with the peer.
        await this.decompressor.decompress(payload.subarray(4));
        return;
      case ControlType.RstStream:
        this.streams.get(payload.readUInt32BE(0) & 0x7fffffff)?.abort();
        return;
      case ControlType.Ping:
        void this.enqueue(() => this.writeRaw(encodeControlFrame(ControlType.Ping, 0, payload)));
        return;
      default:
        // SYN_REPLY (we open no streams), SETTINGS, GOAWAY, WINDOW_UPDATE need no action.
        return;
    }
  }

  private shutdown(): void {
    if (this.ended) return;
    this.ended = true;
    this.closed = true;
    for (const stream of [...this.streams.values()]) stream.abort();
    this.streams.clear();
    this.compressor.close();
    this.decompressor.close();
    this.emit('close');
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.sending.then(work);
    this.sending = next.catch(() => undefined);
    return next.catch(() => undefined);
  }

  private writeRaw(buffer: Buffer): Promise<void> {
    const transport = this.transport;
    if (transport.destroyed || !transport.writable) return Promise.resolve();
    return new Promise((resolve) => {
      const ok = transport.write(buffer);
      if (ok) {
        resolve();
        return;
      }
      const done = (): void => {
        transport.off('drain', done);
        transport.off('close', done);
        resolve();
      };
      transport.once('drain', done);
      transport.once('close', done);
    });
  }
}
