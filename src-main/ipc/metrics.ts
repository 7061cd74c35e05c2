/** Contract types of live usage (metrics.k8s.io); `contract.ts` names the channel. */

export interface UsageRequest {
  cluster: string;
  kind: 'Pod' | 'Node';
  namespace?: string;
  name: string;
}

/** One usage sample, or why there is none (no metrics API, not sampled yet). */
export type UsageSample =
  | { available: true; timestamp: string; cpuMillicores: number; memoryBytes: number }
  | { available: false; reason: string };
