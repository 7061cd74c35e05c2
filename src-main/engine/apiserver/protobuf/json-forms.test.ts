import { describe, expect, it } from 'vitest';
import { formatDuration, formatMicroTime, formatTime } from './json-forms';

describe('JSON forms of apimachinery types', () => {
  it('prints Time as RFC 3339 in whole seconds', () => {
    expect(formatTime(1704164645n)).toBe('2024-01-02T03:04:05Z');
    expect(formatTime(0n)).toBe('1970-01-01T00:00:00Z');
  });

  it('prints MicroTime with six fractional digits', () => {
    expect(formatMicroTime(1704164645n, 5000)).toBe('2024-01-02T03:04:05.000005Z');
  });

  it('prints Duration the way Go prints time.Duration', () => {
    expect(formatDuration(0n)).toBe('0s');
    expect(formatDuration(999n)).toBe('999ns');
    expect(formatDuration(1_500n)).toBe('1.5µs');
    expect(formatDuration(1_500_000n)).toBe('1.5ms');
    expect(formatDuration(90_000_000_000n)).toBe('1m30s');
    expect(formatDuration(3_600_000_000_000n)).toBe('1h0m0s');
    expect(formatDuration(3_723_500_000_000n)).toBe('1h2m3.5s');
    expect(formatDuration(-2_000_000_000n)).toBe('-2s');
  });
});
