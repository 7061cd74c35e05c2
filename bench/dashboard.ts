import type { BenchContext } from './lib/context';
import { MetricSet } from './lib/results';

export async function dashboardBench(_ctx: BenchContext): Promise<MetricSet> {
  const metrics = new MetricSet();
  metrics.missing('todo', 'dashboard', '', 'lower', 'not written yet');
  return metrics;
}
