import type { BenchContext } from './lib/context';
import { MetricSet } from './lib/results';

export async function resourcesBench(_ctx: BenchContext): Promise<MetricSet> {
  const metrics = new MetricSet();
  metrics.missing('todo', 'resources', '', 'lower', 'not written yet');
  return metrics;
}
