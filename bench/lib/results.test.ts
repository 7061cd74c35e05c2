import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from './results';
import { MetricSet, compareMetric, hasRegression, markdownTable, writeResult } from './results';

function result(metrics: MetricSet): BenchResult {
  return {
    name: 'demo',
    title: 'Demo',
    date: '2026-01-01T00:00:00Z',
    commit: 'abc',
    machine: { cpu: 'x', cores: 1, memoryGiB: 1, node: 'v20', docker: '20', platform: 'linux-x64' },
    metrics: metrics.metrics,
  };
}

describe('MetricSet', () => {
  it('summarizes samples and marks metrics without samples as not available', () => {
    const set = new MetricSet();
    const timed = set.add('t', 'time', 'ms', 'lower', [10, 12, 11]);
    const empty = set.add('e', 'empty', 'ms', 'lower', []);
    const missing = set.missing('m', 'missing', 'ms', 'lower', 'the dashboard does not exist');
    expect(timed.summary?.median).toBe(11);
    expect(empty.available).toBe(false);
    expect(missing).toMatchObject({ available: false, note: 'the dashboard does not exist' });
  });
});

describe('compareMetric', () => {
  const metric = (better: 'lower' | 'higher', samples: number[]) =>
    new MetricSet().add('k', 'k', 'ms', better, samples);

  it('flags a slower median beyond tolerance and noise as a regression', () => {
    const comparison = compareMetric(metric('lower', [200, 200, 200]), metric('lower', [100, 100, 100]));
    expect(comparison).toMatchObject({ previous: 100, changePercent: 100, regression: true });
  });

  it('treats a lower throughput as a regression and a higher one as an improvement', () => {
    expect(compareMetric(metric('higher', [50, 50]), metric('higher', [100, 100]))?.regression).toBe(true);
    expect(compareMetric(metric('higher', [150, 150]), metric('higher', [100, 100]))?.improvement).toBe(true);
  });

  it('does not flag changes within the runs’ spread', () => {
    const noisy = compareMetric(metric('lower', [80, 130, 180]), metric('lower', [60, 110, 160]));
    expect(noisy?.regression).toBe(false);
  });

  it('has nothing to compare with when the metric was not measured before', () => {
    expect(compareMetric(metric('lower', [1]), undefined)).toBeUndefined();
  });
});

describe('markdownTable and writeResult', () => {
  it('prints medians, spreads, missing metrics and regressions, and writes JSON', () => {
    const now = new MetricSet();
    now.add('t', 'pod start', 'ms', 'lower', [300, 310, 320]);
    now.missing('d', 'dashboard', 'ms', 'lower', 'not built');
    const before = new MetricSet();
    before.add('t', 'pod start', 'ms', 'lower', [100, 100, 100]);
    const table = markdownTable(result(now), result(before));
    expect(table).toContain('| pod start | 310 ms | 300–320 | 3 | +210% (was 100 ms) **regression** |  |');
    expect(table).toContain('| dashboard | not available | | | | not built |');
    expect(hasRegression(result(now), result(before))).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'bench-results-'));
    const path = writeResult(result(now), dir);
    expect(JSON.parse(readFileSync(path, 'utf8')).metrics[0].summary.median).toBe(310);
  });
});
