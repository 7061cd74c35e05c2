import { Duplex, PassThrough } from 'node:stream';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { SPDY_HEADER_DICTIONARY } from './dictionary';
import {
  ControlType,
  FLAG_FIN,
  FrameParser,
  decodeHeaderBlock,
  encodeControlFrame,
  encodeDataFrame,
  encodeHeaderBlock,
  words,
} from './frames';
import type { Frame } from './frames';
import { SpdySession } from './session';
import type { SpdyStream } from './session';

/** The client end of an in-memory connection, compressing headers as a Go peer does. */
class TestPeer {
  readonly toServer = new PassThrough();
  readonly fromServer = new PassThrough();
  readonly frames: Frame[] = [];
  private readonly parser = new FrameParser();
  private readonly deflate = zlib.createDeflate({ dictionary: SPDY_HEADER_DICTIONARY });
  private readonly inflate = zlib.createInflate({ dictionary: SPDY_HEADER_DICTIONARY });
  readonly transport = Duplex.from({ readable: this.toServer, writable: this.fromServer });

  constructor() {
    this.fromServer.on('data', (chunk: Buffer) => this.frames.push(...this.parser.push(chunk)));
  }

  private flush(stream: zlib.Deflate | zlib.Inflate, input: Buffer): Promise<Buffer> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      const onData = (c: Buffer): void => {
        chunks.push(c);
      };
      stream.on('data', onData);
      stream.write(input);
      stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        stream.off('data', onData);
        resolve(Buffer.concat(chunks));
      });
    });
  }

  async openStream(id: number, headers: Record<string, string>, fin = false): Promise<void> {
    const block = await this.flush(this.deflate, encodeHeaderBlock(headers));
    const payload = Buffer.concat([words(id, 0), Buffer.from([0, 0]), block]);
    this.toServer.write(encodeControlFrame(ControlType.SynStream, fin ? FLAG_FIN : 0, payload));
  }

  send(frame: Buffer): void {
    this.toServer.write(frame);
  }

  async replyHeaders(frame: Frame): Promise<Record<string, string>> {
    if (frame.kind !== 'control') throw new Error('not a control frame');
    return decodeHeaderBlock(await this.flush(this.inflate, frame.payload.subarray(4)));
  }

  async waitFor(predicate: (frame: Frame) => boolean): Promise<Frame> {
    await expect.poll(() => this.frames.some(predicate), { timeout: 2000 }).toBe(true);
    return this.frames.find(predicate) as Frame;
  }
}

const isControl = (type: number) => (f: Frame) => f.kind === 'control' && f.type === type;

describe('SpdySession (server side)', () => {
  const sessions: SpdySession[] = [];
  afterEach(() => {
    for (const s of sessions.splice(0)) s.destroy();
  });

  function start(): { peer: TestPeer; session: SpdySession; streams: SpdyStream[] } {
    const peer = new TestPeer();
    const session = new SpdySession(peer.transport);
    sessions.push(session);
    const streams: SpdyStream[] = [];
    session.on('stream', (s) => streams.push(s));
    return { peer, session, streams };
  }

  it('accepts streams with their headers and answers each with a SYN_REPLY the peer can decompress', async () => {
    const { peer, streams } = start();
    await peer.openStream(1, { streamtype: 'error', port: '80', requestid: '0' });
    await peer.openStream(3, { streamtype: 'data', port: '80', requestid: '0' });
    await expect.poll(() => streams.length).toBe(2);
    expect(streams.map((s) => [s.id, s.headers.streamtype])).toEqual([
      [1, 'error'],
      [3, 'data'],
    ]);
    await expect.poll(() => peer.frames.filter(isControl(ControlType.SynReply)).length).toBe(2);
    for (const reply of peer.frames.filter(isControl(ControlType.SynReply))) {
      expect(await peer.replyHeaders(reply)).toEqual({});
    }
  });

  it('carries data both ways and passes half-closes through', async () => {
    const { peer, streams } = start();
    await peer.openStream(1, { streamtype: 'stdin' });
    await expect.poll(() => streams.length).toBe(1);
    const stream = streams[0];
    let received = '';
    let ended = false;
    stream.on('data', (d: Buffer) => (received += d.toString()));
    stream.on('end', () => (ended = true));
    peer.send(encodeDataFrame(1, 0, Buffer.from('hello ')));
    peer.send(encodeDataFrame(1, FLAG_FIN, Buffer.from('world')));
    await expect.poll(() => ended).toBe(true);
    expect(received).toBe('hello world');
    // The window is handed back for what was read.
    await peer.waitFor(isControl(ControlType.WindowUpdate));

    stream.end('reply');
    const data = await peer.waitFor((f) => f.kind === 'data' && (f.flags & FLAG_FIN) !== 0);
    const payload = peer.frames
      .filter((f): f is Extract<Frame, { kind: 'data' }> => f.kind === 'data' && f.streamId === 1)
      .map((f) => f.data.toString())
      .join('');
    expect(payload).toBe('reply');
    expect(data.kind === 'data' && data.streamId).toBe(1);
  });

  it('echoes PINGs, ends a reset stream, and says GOAWAY on close', async () => {
    const { peer, session, streams } = start();
    peer.send(encodeControlFrame(ControlType.Ping, 0, words(9)));
    const pong = await peer.waitFor(isControl(ControlType.Ping));
    expect(pong.kind === 'control' && pong.payload.readUInt32BE(0)).toBe(9);

    await peer.openStream(5, { streamtype: 'data' });
    await expect.poll(() => streams.length).toBe(1);
    let closed = false;
    streams[0].on('close', () => (closed = true));
    streams[0].resume();
    peer.send(encodeControlFrame(ControlType.RstStream, 0, words(5, 5)));
    await expect.poll(() => closed).toBe(true);

    await session.close();
    const goaway = await peer.waitFor(isControl(ControlType.GoAway));
    expect(goaway.kind === 'control' && goaway.payload.readUInt32BE(0)).toBe(5);
  });

  it('keeps the header compression context across many streams', async () => {
    const { peer, streams } = start();
    for (let id = 1; id <= 21; id += 2)
      await peer.openStream(id, { streamtype: 'data', requestid: String(id) });
    await expect.poll(() => streams.length).toBe(11);
    expect(streams.map((s) => s.headers.requestid)).toEqual([
      '1',
      '3',
      '5',
      '7',
      '9',
      '11',
      '13',
      '15',
      '17',
      '19',
      '21',
    ]);
  });

  it('stops reading the connection while a stream’s reader lags, losing nothing', async () => {
    const { peer, streams } = start();
    await peer.openStream(1, { streamtype: 'data' });
    await expect.poll(() => streams.length).toBe(1);
    const chunk = Buffer.alloc(32 * 1024, 7);
    for (let i = 0; i < 32; i++) {
      peer.send(encodeDataFrame(1, 0, chunk));
      // Bytes arrive over time, as from a socket.
      await new Promise((resolve) => setImmediate(resolve));
    }
    peer.send(encodeDataFrame(1, FLAG_FIN, Buffer.alloc(0)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Unread data stays bounded: most of it is still waiting in the connection.
    expect(streams[0].readableLength).toBeLessThan(256 * 1024);
    let total = 0;
    for await (const piece of streams[0]) total += (piece as Buffer).length;
    expect(total).toBe(32 * chunk.length);
  });

  it('ends every stream when the connection goes away', async () => {
    const { peer, session, streams } = start();
    let sessionClosed = false;
    session.on('close', () => (sessionClosed = true));
    await peer.openStream(1, { streamtype: 'stdout' });
    await expect.poll(() => streams.length).toBe(1);
    let ended = false;
    streams[0].on('end', () => (ended = true));
    streams[0].resume();
    peer.toServer.end();
    await expect.poll(() => ended && sessionClosed).toBe(true);
  });
});
