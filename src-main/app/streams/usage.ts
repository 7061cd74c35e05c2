import { Metrics } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { UsageRequest, UsageSample } from '../../ipc/metrics';

const SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** A Kubernetes quantity ("250m", "64Mi", "1500000n") as a number of base units. */
export function parseQuantity(quantity: string): number {
  const match = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(quantity.trim());
  if (!match || !(match[2] in SUFFIXES)) return Number.NaN;
  return Number(match[1]) * SUFFIXES[match[2]];
}

/** The current CPU and memory of a pod (sum of its containers) or a node, from metrics.k8s.io. */
export async function currentUsage(config: KubeConfig, request: UsageRequest): Promise<UsageSample> {
  const metrics = new Metrics(config);
  try {
    if (request.kind === 'Node') {
      const nodes = await metrics.getNodeMetrics();
      const node = nodes.items.find((n) => n.metadata.name === request.name);
      if (!node) return { available: false, reason: 'no metrics for this node yet' };
      return {
        available: true,
        timestamp: node.timestamp,
        cpuMillicores: parseQuantity(node.usage.cpu) * 1000,
        memoryBytes: parseQuantity(node.usage.memory),
      };
    }
    const pods = await metrics.getPodMetrics(request.namespace ?? 'default');
    const pod = pods.items.find((p) => p.metadata.name === request.name);
    if (!pod) return { available: false, reason: 'no metrics for this pod yet (is it running?)' };
    return {
      available: true,
      timestamp: pod.timestamp,
      cpuMillicores: pod.containers.reduce((sum, c) => sum + parseQuantity(c.usage.cpu) * 1000, 0),
      memoryBytes: pod.containers.reduce((sum, c) => sum + parseQuantity(c.usage.memory), 0),
    };
  } catch (error) {
    return {
      available: false,
      reason: `the cluster serves no metrics.k8s.io (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}
