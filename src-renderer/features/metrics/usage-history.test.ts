import { describe, expect, it } from 'vitest';
import { addSample, polylinePoints } from './usage-history';

const sample = (time: string, cpu: number) =>
  ({ available: true, timestamp: time, cpuMillicores: cpu, memoryBytes: 1 }) as const;

describe('usage history', () => {
  it('adds new samples, skips repeats and keeps the newest', () => {
    let h = addSample([], sample('2026-01-01T00:00:00Z', 5));
    h = addSample(h, sample('2026-01-01T00:00:00Z', 9));
    h = addSample(h, sample('2026-01-01T00:00:10Z', 7), 1);
    expect(h.map((p) => p.cpuMillicores)).toEqual([7]);
    expect(addSample(h, { available: false, reason: 'x' })).toEqual(h);
  });

  it('scales points into the box', () => {
    expect(polylinePoints([0, 50, 100], 100, 10, 100)).toBe('0.0,10.0 50.0,5.0 100.0,0.0');
    expect(polylinePoints([50], 100, 10, 100)).toBe('0.0,5.0 100.0,5.0');
  });
});
