/** Summary statistics of benchmark samples. */
export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  p90: number;
  /** Median absolute deviation from the median: a spread that one outlier cannot inflate. */
  mad: number;
}

/** The `q`-quantile (0..1) of `values` by linear interpolation; NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/** Median, extremes, p90 and MAD of `values`; every field NaN (n 0) when there are none. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) {
    return { n: 0, median: Number.NaN, min: Number.NaN, max: Number.NaN, p90: Number.NaN, mad: Number.NaN };
  }
  const median = quantile(values, 0.5);
  return {
    n: values.length,
    median,
    min: Math.min(...values),
    max: Math.max(...values),
    p90: quantile(values, 0.9),
    mad: quantile(
      values.map((value) => Math.abs(value - median)),
      0.5,
    ),
  };
}

/** Rounds for reports: 3 significant digits, at most 2 decimals. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  const decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  return Number(value.toFixed(decimals));
}
