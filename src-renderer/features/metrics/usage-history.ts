import type { UsageSample } from '../../../src-main/ipc/metrics';

export interface UsagePoint {
  time: number;
  cpuMillicores: number;
  memoryBytes: number;
}

/** Adds a sample unless it repeats the last timestamp; keeps the newest `limit` points. */
export function addSample(history: readonly UsagePoint[], sample: UsageSample, limit = 120): UsagePoint[] {
  if (!sample.available) return [...history];
  const time = Date.parse(sample.timestamp);
  if (history.length > 0 && history[history.length - 1].time >= time) return [...history];
  return [...history, { time, cpuMillicores: sample.cpuMillicores, memoryBytes: sample.memoryBytes }].slice(
    -limit,
  );
}

/** SVG polyline points for `values` in a width×height box, scaled to `max`. */
export function polylinePoints(
  values: readonly number[],
  width: number,
  height: number,
  max: number,
): string {
  if (values.length === 0) return '';
  // One sample is drawn as a level line rather than a lone, invisible point.
  if (values.length === 1) return polylinePoints([values[0], values[0]], width, height, max);
  const step = width / (values.length - 1);
  const scale = max > 0 ? height / max : 0;
  return values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - Math.max(0, v) * scale).toFixed(1)}`)
    .join(' ');
}
