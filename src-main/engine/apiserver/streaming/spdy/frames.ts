/**
 * SPDY/3.1 frame layout (draft 3.1, section 2.2): every frame has an 8-byte header. Control
 * frames start with the control bit, version 3 and a 16-bit type; data frames with a 31-bit
 * stream id. Both end with 8 bits of flags and a 24-bit payload length.
 */

export const SPDY_VERSION = 3;

export const ControlType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;

/** RST_STREAM status codes used here. */
export const RstStatus = { ProtocolError: 1, InvalidStream: 2, RefusedStream: 3, Cancel: 5 } as const;

const HEADER_LENGTH = 8;
/** The largest payload a 24-bit length can describe. */
export const MAX_PAYLOAD = 0xffffff;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; type: number; version: number; flags: number; payload: Buffer };

export function encodeControlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  header.writeUInt16BE(type, 2);
  header.writeUInt32BE(((flags & 0xff) << 24) | (payload.length & MAX_PAYLOAD), 4);
  return Buffer.concat([header, payload]);
}

export function encodeDataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt32BE(streamId & 0x7fffffff, 0);
  header.writeUInt32BE(((flags & 0xff) << 24) | (data.length & MAX_PAYLOAD), 4);
  return Buffer.concat([header, data]);
}

/** Payload of a frame whose body is 32-bit big-endian words (RST_STREAM, PING, GOAWAY…). */
export function words(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeUInt32BE(v >>> 0, i * 4));
  return out;
}

/**
 * Cuts a byte stream into frames. Bytes arrive in arbitrary pieces (TCP segments, WebSocket
 * messages); `push` returns every frame completed so far and keeps the remainder.
 */
export class FrameParser {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.pending.length >= HEADER_LENGTH) {
      const word = this.pending.readUInt32BE(4);
      const length = word & MAX_PAYLOAD;
      if (this.pending.length < HEADER_LENGTH + length) break;
      const flags = word >>> 24;
      const body = this.pending.subarray(HEADER_LENGTH, HEADER_LENGTH + length);
      const first = this.pending.readUInt32BE(0);
      if (first & 0x80000000) {
        frames.push({
          kind: 'control',
          version: (first >>> 16) & 0x7fff,
          type: first & 0xffff,
          flags,
          payload: Buffer.from(body),
        });
      } else {
        frames.push({ kind: 'data', streamId: first & 0x7fffffff, flags, data: Buffer.from(body) });
      }
      this.pending = this.pending.subarray(HEADER_LENGTH + length);
    }
    return frames;
  }
}

/**
 * The uncompressed name/value block of SYN_STREAM, SYN_REPLY and HEADERS: a 32-bit count,
 * then length-prefixed names and values; several values of one name are joined by NUL.
 * Names must be lowercase (Go's reader rejects others).
 */
export function encodeHeaderBlock(headers: Record<string, string | string[]>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [words(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(Array.isArray(value) ? value.join('\0') : value, 'utf8');
    parts.push(words(n.length), n, words(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Decodes a name/value block; several values of one name stay joined by NUL. */
export function decodeHeaderBlock(block: Buffer): Record<string, string> {
  const headers: Record<string, string> = {};
  if (block.length < 4) return headers;
  const count = block.readUInt32BE(0);
  let offset = 4;
  for (let i = 0; i < count; i++) {
    if (offset + 4 > block.length) throw new Error('truncated SPDY header block');
    const nameLength = block.readUInt32BE(offset);
    const name = block.toString('utf8', offset + 4, offset + 4 + nameLength);
    offset += 4 + nameLength;
    if (offset + 4 > block.length) throw new Error('truncated SPDY header block');
    const valueLength = block.readUInt32BE(offset);
    const value = block.toString('utf8', offset + 4, offset + 4 + valueLength);
    offset += 4 + valueLength;
    if (offset > block.length) throw new Error('truncated SPDY header block');
    headers[name.toLowerCase()] = value;
  }
  return headers;
}
