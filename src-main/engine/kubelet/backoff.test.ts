import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff';

describe('Backoff', () => {
  it('starts at 10 s and doubles to a 5 min cap', () => {
    const backoff = new Backoff();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) delays.push(backoff.next('c', i));
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('reports back-off counted from the end of the last attempt', () => {
    const backoff = new Backoff();
    expect(backoff.isInBackOffSince('c', 0, 0)).toBe(false);
    backoff.next('c', 0);
    expect(backoff.isInBackOffSince('c', 1_000, 5_000)).toBe(true);
    expect(backoff.remaining('c', 1_000, 5_000)).toBe(6_000);
    expect(backoff.isInBackOffSince('c', 1_000, 11_000)).toBe(false);
  });

  it('forgets a key unused for twice the cap, and on reset', () => {
    const backoff = new Backoff();
    backoff.next('c', 0);
    backoff.next('c', 1);
    expect(backoff.delay('c', 2)).toBe(20_000);
    expect(backoff.delay('c', 600_002)).toBe(0);
    backoff.next('d', 0);
    backoff.reset('d');
    expect(backoff.next('d', 1)).toBe(10_000);
  });
});
