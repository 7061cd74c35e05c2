import type { KubeObject } from '../../k8s-object';
import { podNodeName, podPhase, podReadySince, podRestarts, isPodReady } from '../shared/pods';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

function deletionCost(pod: KubeObject): number {
  const raw = pod.metadata.annotations?.[DELETION_COST];
  const value = raw === undefined ? 0 : Number.parseInt(raw, 10);
  return Number.isFinite(value) ? value : 0;
}

function time(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'string' ? Date.parse(value) : 0;
}

/**
 * Orders pods the way Kubernetes' ReplicaSet controller picks victims when scaling down
 * (ActivePodsWithRanks): unscheduled before scheduled, Pending before Unknown before
 * Running, not-ready before ready, lower pod-deletion-cost first, more pods of the same
 * owner on its node first, ready for less time first, more restarts first, newest first.
 * Returns the first `count` pods to delete.
 */
export function podsToDelete(pods: KubeObject[], relatedPods: KubeObject[], count: number): KubeObject[] {
  if (count >= pods.length) return pods.slice(0, count);
  const perNode = new Map<string, number>();
  for (const pod of relatedPods) {
    const node = podNodeName(pod);
    if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const rank = (pod: KubeObject): number => {
    const node = podNodeName(pod);
    return node ? (perNode.get(node) ?? 0) : 0;
  };
  const sorted = [...pods].sort((a, b) => {
    const nodeA = podNodeName(a) ?? '';
    const nodeB = podNodeName(b) ?? '';
    if (nodeA !== nodeB && (!nodeA || !nodeB)) return nodeA ? 1 : -1;
    const phaseA = PHASE_ORDINAL[podPhase(a) ?? ''] ?? 0;
    const phaseB = PHASE_ORDINAL[podPhase(b) ?? ''] ?? 0;
    if (phaseA !== phaseB) return phaseA - phaseB;
    const readyA = isPodReady(a);
    const readyB = isPodReady(b);
    if (readyA !== readyB) return readyA ? 1 : -1;
    const costA = deletionCost(a);
    const costB = deletionCost(b);
    if (costA !== costB) return costA - costB;
    const rankA = rank(a);
    const rankB = rank(b);
    if (rankA !== rankB) return rankB - rankA;
    if (readyA && readyB) {
      const sinceA = podReadySince(a)?.getTime() ?? 0;
      const sinceB = podReadySince(b)?.getTime() ?? 0;
      if (sinceA !== sinceB) return sinceB - sinceA;
    }
    const restartsA = podRestarts(a);
    const restartsB = podRestarts(b);
    if (restartsA !== restartsB) return restartsB - restartsA;
    const createdA = time(a.metadata.creationTimestamp);
    const createdB = time(b.metadata.creationTimestamp);
    if (createdA !== createdB) return createdB - createdA;
    return 0;
  });
  return sorted.slice(0, count);
}
