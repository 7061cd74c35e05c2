import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
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

describe('SPDY/3.1 framing', () => {
  it('builds the header dictionary byte for byte (1423 bytes, as moby/spdystream has it)', () => {
    expect(SPDY_HEADER_DICTIONARY.length).toBe(1423);
    expect(createHash('sha256').update(SPDY_HEADER_DICTIONARY).digest('hex')).toBe(
      '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02',
    );
  });

  it('lays out control and data frame headers', () => {
    const ping = encodeControlFrame(ControlType.Ping, 0, words(7));
    expect([...ping]).toEqual([0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 7]);
    const data = encodeDataFrame(5, FLAG_FIN, Buffer.from('hi'));
    expect([...data]).toEqual([0, 0, 0, 5, 0x01, 0, 0, 2, 0x68, 0x69]);
  });

  it('cuts a byte stream into frames wherever it was split', () => {
    const bytes = Buffer.concat([
      encodeControlFrame(ControlType.RstStream, 0, words(3, 5)),
      encodeDataFrame(3, 0, Buffer.from('payload')),
      encodeDataFrame(3, FLAG_FIN, Buffer.alloc(0)),
    ]);
    const parser = new FrameParser();
    const frames = [];
    for (let i = 0; i < bytes.length; i += 3) frames.push(...parser.push(bytes.subarray(i, i + 3)));
    expect(frames).toEqual([
      { kind: 'control', version: 3, type: ControlType.RstStream, flags: 0, payload: words(3, 5) },
      { kind: 'data', streamId: 3, flags: 0, data: Buffer.from('payload') },
      { kind: 'data', streamId: 3, flags: FLAG_FIN, data: Buffer.alloc(0) },
    ]);
  });

  it('round-trips name/value header blocks with lowercase names', () => {
    const block = encodeHeaderBlock({ streamType: 'data', port: '8080', requestID: '0' });
    expect(decodeHeaderBlock(block)).toEqual({ streamtype: 'data', port: '8080', requestid: '0' });
    expect(decodeHeaderBlock(encodeHeaderBlock({}))).toEqual({});
    expect(() => decodeHeaderBlock(block.subarray(0, 10))).toThrow(/truncated/);
  });
});
