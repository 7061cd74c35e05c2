import type { BenchContext } from './lib/context';
import { MetricSet } from './lib/results';

export async function scaleOut(_ctx: BenchContext): Promise<MetricSet> {
  const metrics = new MetricSet();
  metrics.missing('todo', 'scale-out', '', 'lower', 'not written yet');
  return metrics;
}
