import type { KubeObject } from '../k8s-object';
import {
  interPodAffinityReasons,
  REASON_ANTI_AFFINITY,
  REASON_EXISTING_ANTI_AFFINITY,
  REASON_SPREAD,
  topologySpreadReasons,
} from './inter-pod';
import type { NamespaceLabels } from './inter-pod';
import { nodeAllocatable, podRequests } from './pod-resources';
import type { Resources } from './pod-resources';
import {
  effectiveTaints,
  firstUntoleratedTaint,
  formatTaint,
  hostPortsConflict,
  matchesNodeSelectorAndAffinity,
  podHostPorts,
  podSpec,
  podTolerations,
  TAINT_UNSCHEDULABLE,
  tolerated,
} from './predicates';

/** What the scheduler knows about one node: the node and the pods bound (or assumed) to it. */
export interface NodeInfo {
  node: KubeObject;
  pods: KubeObject[];
  requested: Resources;
}

/** What filters need to know beyond one node: every node with its pods, namespace labels. */
export interface ClusterView {
  all: NodeInfo[];
  namespaceLabels: NamespaceLabels;
  /** Whether any pod in the cluster carries pod (anti-)affinity terms worth checking. */
  anyPodAffinity: boolean;
}

/** Reasons worded as kube-scheduler's plugins word them. */
export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const REASON_HOST_PORTS = "node(s) didn't have free ports for the requested pod ports";
export const REASON_TOO_MANY_PODS = 'Too many pods';

/** Reasons that evicting lower-priority pods could cure (the preemption part of the message). */
export function resolvableByPreemption(reason: string): boolean {
  return (
    reason.startsWith('Insufficient ') ||
    reason === REASON_TOO_MANY_PODS ||
    reason === REASON_HOST_PORTS ||
    reason === REASON_ANTI_AFFINITY ||
    reason === REASON_EXISTING_ANTI_AFFINITY ||
    reason === REASON_SPREAD
  );
}

/**
 * Runs the default filter plugins in kube-scheduler's order (NodeUnschedulable,
 * TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, PodTopologySpread,
 * InterPodAffinity) and returns the reasons of the first that rejects the node; empty when
 * the pod fits.
 */
export function filterNode(pod: KubeObject, info: NodeInfo, view?: ClusterView): string[] {
  const { node } = info;
  const tolerations = podTolerations(pod);
  const spec = node.spec as { unschedulable?: boolean } | undefined;
  if (
    spec?.unschedulable === true &&
    !tolerated(tolerations, { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' })
  ) {
    return [REASON_UNSCHEDULABLE];
  }
  const taint = firstUntoleratedTaint(effectiveTaints(node), tolerations, ['NoSchedule', 'NoExecute']);
  if (taint) return [`node(s) had untolerated taint ${formatTaint(taint)}`];
  if (!matchesNodeSelectorAndAffinity(pod, node)) return [REASON_NODE_AFFINITY];
  const wantedPorts = podHostPorts(pod);
  if (wantedPorts.length > 0) {
    const used = info.pods.flatMap((p) => podHostPorts(p));
    if (hostPortsConflict(wantedPorts, used)) return [REASON_HOST_PORTS];
  }
  const fit = resourceFitReasons(pod, info);
  if (fit.length > 0 || !view) return fit;
  const spread = topologySpreadReasons(pod, info, view.all);
  if (spread.length > 0) return spread;
  return view.anyPodAffinity ? interPodAffinityReasons(pod, info, view.all, view.namespaceLabels) : [];
}

function resourceFitReasons(pod: KubeObject, info: NodeInfo): string[] {
  const reasons: string[] = [];
  const allocatable = nodeAllocatable(info.node);
  if (allocatable.pods !== undefined && info.pods.length + 1 > allocatable.pods) {
    reasons.push(REASON_TOO_MANY_PODS);
  }
  const requests = podRequests(pod);
  for (const [name, amount] of Object.entries(requests)) {
    if (amount <= 0 || name === 'pods') continue;
    const available = allocatable[name];
    // Extended resources the node does not offer at all are insufficient too; the core
    // resources a node forgot to report are not checked.
    if (available === undefined) {
      if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage') continue;
      reasons.push(`Insufficient ${name}`);
      continue;
    }
    if ((info.requested[name] ?? 0) + amount > available + 1e-9) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

/** True when the pod is one the default scheduler should place. */
export function wantsScheduling(pod: KubeObject, schedulerName = 'default-scheduler'): boolean {
  const spec = podSpec(pod);
  if (spec.nodeName) return false;
  if (pod.metadata.deletionTimestamp) return false;
  if ((spec.schedulerName ?? 'default-scheduler') !== schedulerName) return false;
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * The FailedScheduling message: `0/N nodes are available: <count reason>, …. preemption: …`
 * with kube-scheduler's sorting (by the "count reason" strings).
 */
export function failureMessage(nodeCount: number, reasonsByNode: string[][], podWide?: string): string {
  if (nodeCount === 0) return 'no nodes available to schedule pods';
  if (podWide) {
    return (
      `0/${nodeCount} nodes are available: ${podWide}. ` +
      `preemption: 0/${nodeCount} nodes are available: ${nodeCount} Preemption is not helpful for scheduling.`
    );
  }
  const counts = new Map<string, number>();
  const preemption = new Map<string, number>();
  for (const reasons of reasonsByNode) {
    for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    const helpful = reasons.length > 0 && reasons.every(resolvableByPreemption);
    const key = helpful
      ? 'No preemption victims found for incoming pod'
      : 'Preemption is not helpful for scheduling';
    preemption.set(key, (preemption.get(key) ?? 0) + 1);
  }
  const format = (map: Map<string, number>) =>
    [...map]
      .map(([reason, count]) => `${count} ${reason}`)
      .sort()
      .join(', ');
  return (
    `0/${nodeCount} nodes are available: ${format(counts)}. ` +
    `preemption: 0/${nodeCount} nodes are available: ${format(preemption)}.`
  );
}
