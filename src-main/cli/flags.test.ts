import { describe, expect, it } from 'vitest';
import { parseCpus, parseMemoryMiB, parseNodeCount } from './flags';

describe('start flags', () => {
  it('reads memory in MiB or with units', () => {
    expect(parseMemoryMiB('2048')).toBe(2048);
    expect(parseMemoryMiB('2048mb')).toBe(2048);
    expect(parseMemoryMiB('4g')).toBe(4096);
    expect(parseMemoryMiB('1.5GiB')).toBe(1536);
    expect(() => parseMemoryMiB('64')).toThrow(/at least 128 MiB/);
    expect(() => parseMemoryMiB('lots')).toThrow();
  });

  it('reads cpus and node counts', () => {
    expect(parseCpus('1.5')).toBe(1.5);
    expect(() => parseCpus('0')).toThrow();
    expect(parseNodeCount('3')).toBe(3);
    expect(() => parseNodeCount('2.5')).toThrow();
    expect(() => parseNodeCount('21')).toThrow();
  });
});
