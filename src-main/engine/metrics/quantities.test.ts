import { describe, expect, it } from 'vitest';
import { formatBytes, formatGoDuration, formatNanoCores } from './quantities';

describe('metrics quantities', () => {
  it('writes CPU in nanocores and memory in Ki when it divides', () => {
    expect(formatNanoCores(1_500_000.4)).toBe('1500000n');
    expect(formatNanoCores(-3)).toBe('0n');
    expect(formatBytes(65536)).toBe('64Ki');
    expect(formatBytes(1000)).toBe('1000');
    expect(formatBytes(0)).toBe('0');
  });

  it("writes windows as Go's time.Duration does", () => {
    expect(formatGoDuration(0)).toBe('0s');
    expect(formatGoDuration(950)).toBe('950ms');
    expect(formatGoDuration(10_500)).toBe('10.5s');
    expect(formatGoDuration(123_250)).toBe('2m3.25s');
    expect(formatGoDuration(3_600_000)).toBe('1h0m0s');
  });
});
