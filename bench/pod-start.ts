import type { BenchContext } from './lib/context';
import { MetricSet } from './lib/results';

export async function podStart(_ctx: BenchContext): Promise<MetricSet> {
  const metrics = new MetricSet();
  metrics.missing('todo', 'pod-start', '', 'lower', 'not written yet');
  return metrics;
}
