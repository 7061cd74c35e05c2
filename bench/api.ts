import type { BenchContext } from './lib/context';
import { MetricSet } from './lib/results';

export async function apiBench(_ctx: BenchContext): Promise<MetricSet> {
  const metrics = new MetricSet();
  metrics.missing('todo', 'api', '', 'lower', 'not written yet');
  return metrics;
}
