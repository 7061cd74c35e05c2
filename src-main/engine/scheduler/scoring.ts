import type { KubeObject } from '../k8s-object';
import type { ClusterView, NodeInfo } from './filters';
import { interPodAffinityScore, topologySpreadPenalty } from './inter-pod';
import { nodeAllocatable, podRequests } from './pod-resources';
import { effectiveTaints, podTolerations, preferredAffinityScore, tolerated } from './predicates';

interface Score {
  info: NodeInfo;
  affinity: number;
  spread: number;
  preferNoSchedule: number;
  siblings: number;
  free: number;
}

function controllerUid(pod: KubeObject): string | undefined {
  return pod.metadata.ownerReferences?.find((ref) => ref.controller)?.uid;
}

/** Fraction of cpu and memory left on the node after placing the pod (LeastAllocated). */
function leastRequested(pod: KubeObject, info: NodeInfo): number {
  const allocatable = nodeAllocatable(info.node);
  const requests = podRequests(pod);
  let total = 0;
  let counted = 0;
  for (const name of ['cpu', 'memory']) {
    const capacity = allocatable[name];
    if (!capacity) continue;
    const used = (info.requested[name] ?? 0) + (requests[name] ?? 0);
    total += Math.max(0, capacity - used) / capacity;
    counted++;
  }
  return counted ? total / counted : 0;
}

/**
 * Picks the best of the feasible nodes: preferred node and pod (anti-)affinity first, then
 * the lowest ScheduleAnyway topology spread, then fewer untolerated PreferNoSchedule taints,
 * then fewer pods of the same controller (spreading replicas), then the least requested
 * node; ties go to the node with fewer pods, then by name.
 */
export function pickNode(pod: KubeObject, feasible: NodeInfo[], view?: ClusterView): NodeInfo | undefined {
  const owner = controllerUid(pod);
  const tolerations = podTolerations(pod);
  const scores: Score[] = feasible.map((info) => ({
    info,
    affinity:
      preferredAffinityScore(pod, info.node) +
      (view?.anyPodAffinity ? interPodAffinityScore(pod, info, view.all, view.namespaceLabels) : 0),
    spread: view ? topologySpreadPenalty(pod, info, view.all) : 0,
    preferNoSchedule: effectiveTaints(info.node).filter(
      (t) => t.effect === 'PreferNoSchedule' && !tolerated(tolerations, t),
    ).length,
    siblings: owner ? info.pods.filter((p) => controllerUid(p) === owner).length : 0,
    free: leastRequested(pod, info),
  }));
  scores.sort(
    (a, b) =>
      b.affinity - a.affinity ||
      a.spread - b.spread ||
      a.preferNoSchedule - b.preferNoSchedule ||
      a.siblings - b.siblings ||
      b.free - a.free ||
      a.info.pods.length - b.info.pods.length ||
      (a.info.node.metadata.name ?? '').localeCompare(b.info.node.metadata.name ?? ''),
  );
  return scores[0]?.info;
}
