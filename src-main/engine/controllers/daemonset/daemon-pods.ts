import type { KubeObject } from '../../k8s-object';
import {
  matchesNodeSelectorAndAffinity,
  nodeTaints,
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
  TAINT_UNSCHEDULABLE,
  tolerated,
} from '../../scheduler/predicates';
import type { Toleration } from '../../scheduler/predicates';
import { rec } from '../workload-common/pods';

/** The tolerations the DaemonSet controller adds to every daemon pod (as upstream does). */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  return [
    { key: TAINT_NOT_READY, operator: 'Exists', effect: 'NoExecute' },
    { key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: TAINT_UNSCHEDULABLE, operator: 'Exists', effect: 'NoSchedule' },
    ...(hostNetwork
      ? [{ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' }]
      : []),
  ];
}

/** Adds the daemon tolerations the template does not already carry. */
export function withDaemonTolerations(spec: Record<string, unknown>): Toleration[] {
  const own = Array.isArray(spec.tolerations) ? (spec.tolerations as Toleration[]) : [];
  const same = (a: Toleration, b: Toleration) =>
    a.key === b.key &&
    (a.operator ?? 'Equal') === (b.operator ?? 'Equal') &&
    a.effect === b.effect &&
    a.value === b.value;
  const added = daemonTolerations(spec.hostNetwork === true).filter((t) => !own.some((o) => same(o, t)));
  return [...own, ...added];
}

/**
 * Whether a daemon pod belongs on the node: the template's node selector and required
 * affinity match, and every NoSchedule/NoExecute taint is tolerated (with the daemon
 * tolerations, so cordoned and not-ready nodes keep their daemons).
 */
export function shouldRunOnNode(template: Record<string, unknown>, node: KubeObject): boolean {
  const spec = rec(template.spec);
  const probe: KubeObject = { metadata: {}, spec };
  if (!matchesNodeSelectorAndAffinity(probe, node)) return false;
  const tolerations = withDaemonTolerations(spec);
  return nodeTaints(node).every(
    (taint) =>
      (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') || tolerated(tolerations, taint),
  );
}

/** The node a daemon pod is meant for: its nodeName, or the node its affinity pins it to. */
export function daemonPodNode(pod: KubeObject): string | undefined {
  const spec = rec(pod.spec);
  if (typeof spec.nodeName === 'string' && spec.nodeName) return spec.nodeName;
  const terms = rec(
    rec(rec(spec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution,
  ).nodeSelectorTerms;
  if (!Array.isArray(terms)) return undefined;
  for (const term of terms) {
    const fields = rec(term).matchFields;
    for (const f of Array.isArray(fields) ? fields : []) {
      const field = rec(f);
      if (field.key === 'metadata.name' && field.operator === 'In' && Array.isArray(field.values)) {
        return String(field.values[0]);
      }
    }
  }
  return undefined;
}

/**
 * Pins a pod spec to one node the way the DaemonSet controller does: the required node
 * affinity becomes a single `matchFields metadata.name In [node]` term; preferred terms stay.
 */
export function pinToNode(spec: Record<string, unknown>, nodeName: string): void {
  const affinity = { ...rec(spec.affinity) };
  const nodeAffinity = { ...rec(affinity.nodeAffinity) };
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
  };
  affinity.nodeAffinity = nodeAffinity;
  spec.affinity = affinity;
  spec.tolerations = withDaemonTolerations(spec);
}
