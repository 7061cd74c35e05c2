import { describe, expect, it } from 'vitest';
import { canonicalJson, fnv32a, safeEncodeString } from './hashing';

describe('hashing helpers', () => {
  it('FNV-1a 32 matches the reference vectors', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(fnv32a(enc(''))).toBe(0x811c9dc5);
    expect(fnv32a(enc('a'))).toBe(0xe40c292c);
    expect(fnv32a(enc('foobar'))).toBe(0xbf9cf968);
  });

  it('encodes into the name alphabet character by character', () => {
    // '0' is 48: 48 % 27 = 21 → '4'; '9' is 57: 57 % 27 = 3 → 'f'.
    expect(safeEncodeString('09')).toBe('4f');
    expect(safeEncodeString('1234567890')).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  });

  it('canonical JSON ignores key order and undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      canonicalJson({ a: { d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
  });
});
