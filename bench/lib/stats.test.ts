import { describe, expect, it } from 'vitest';
import { quantile, round, summarize } from './stats';

describe('summarize', () => {
  it('gives the median, extremes and MAD of an odd count', () => {
    const summary = summarize([5, 1, 3, 100, 2]);
    expect(summary).toMatchObject({ n: 5, median: 3, min: 1, max: 100, mad: 2 });
    expect(summary.p90).toBeCloseTo(62);
  });

  it('interpolates the median of an even count', () => {
    expect(summarize([1, 2, 3, 4]).median).toBe(2.5);
  });

  it('answers NaN for no samples instead of throwing', () => {
    const summary = summarize([]);
    expect(summary.n).toBe(0);
    expect(summary.median).toBeNaN();
  });
});

describe('quantile', () => {
  it('reaches the extremes at 0 and 1', () => {
    expect(quantile([3, 1, 2], 0)).toBe(1);
    expect(quantile([3, 1, 2], 1)).toBe(3);
    expect(quantile([10, 20], 0.99)).toBeCloseTo(19.9);
  });
});

describe('round', () => {
  it('keeps three significant digits for readable tables', () => {
    expect(round(1234.56)).toBe(1235);
    expect(round(12.345)).toBe(12.3);
    expect(round(1.23456)).toBe(1.23);
  });
});
