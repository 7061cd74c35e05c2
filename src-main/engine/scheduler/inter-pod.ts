import { selectorFromSpec } from '../apiserver/selectors';
import type { LabelSelectorSpec } from '../apiserver/selectors';
import type { KubeObject } from '../k8s-object';
import { isPlainObject } from '../k8s-object';
import type { NodeInfo } from './filters';
import { matchesNodeSelectorAndAffinity, podSpec } from './predicates';

export const REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const REASON_SPREAD = "node(s) didn't match pod topology spread constraints";
export const REASON_SPREAD_LABEL =
  "node(s) didn't match pod topology spread constraints (missing required label)";

/** Labels of namespaces, for terms with a namespaceSelector. */
export type NamespaceLabels = (namespace: string) => Record<string, string> | undefined;

interface AffinityTerm {
  labelSelector?: LabelSelectorSpec | null;
  namespaces?: string[];
  namespaceSelector?: LabelSelectorSpec | null;
  topologyKey: string;
  matchLabelKeys?: string[];
}

function rec(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function terms(pod: KubeObject, kind: 'podAffinity' | 'podAntiAffinity', field: string): AffinityTerm[] {
  const list = rec(rec(podSpec(pod).affinity)[kind])[field];
  if (!Array.isArray(list)) return [];
  if (field.startsWith('preferred')) {
    return list
      .filter(isPlainObject)
      .map((w) => ({ ...(rec(w.podAffinityTerm) as unknown as AffinityTerm), weight: w.weight }));
  }
  return list.filter(isPlainObject) as unknown as AffinityTerm[];
}

/** Whether `target` is selected by a term written in `owner`'s pod spec. */
function termMatches(
  term: AffinityTerm,
  owner: KubeObject,
  target: KubeObject,
  nsLabels: NamespaceLabels,
): boolean {
  const ownerNs = owner.metadata.namespace ?? 'default';
  const targetNs = target.metadata.namespace ?? 'default';
  const listed = term.namespaces ?? [];
  let nsOk: boolean;
  if (listed.length === 0 && (term.namespaceSelector === undefined || term.namespaceSelector === null)) {
    nsOk = targetNs === ownerNs;
  } else {
    nsOk =
      listed.includes(targetNs) ||
      (term.namespaceSelector !== undefined &&
        term.namespaceSelector !== null &&
        selectorFromSpec(term.namespaceSelector).matches(nsLabels(targetNs) ?? {}));
  }
  if (!nsOk) return false;
  const selector: LabelSelectorSpec = { ...(term.labelSelector ?? {}) };
  if (term.labelSelector === undefined || term.labelSelector === null) return false;
  const ownerLabels = owner.metadata.labels ?? {};
  const extra = (term.matchLabelKeys ?? [])
    .filter((key) => key in ownerLabels)
    .map((key) => ({ key, operator: 'In', values: [ownerLabels[key]] }));
  if (extra.length) selector.matchExpressions = [...(selector.matchExpressions ?? []), ...extra];
  return selectorFromSpec(selector).matches(target.metadata.labels ?? {});
}

function sameDomain(a: KubeObject, b: KubeObject, key: string): boolean {
  const va = a.metadata.labels?.[key];
  return va !== undefined && va === b.metadata.labels?.[key];
}

/**
 * kube-scheduler's InterPodAffinity filter (required terms), in its order: the pod's
 * affinity, its anti-affinity, then existing pods' anti-affinity. Empty when the node passes.
 */
export function interPodAffinityReasons(
  pod: KubeObject,
  info: NodeInfo,
  all: NodeInfo[],
  nsLabels: NamespaceLabels,
): string[] {
  for (const term of terms(pod, 'podAffinity', 'requiredDuringSchedulingIgnoredDuringExecution')) {
    const inDomain = all.some(
      (other) =>
        sameDomain(info.node, other.node, term.topologyKey) &&
        other.pods.some((existing) => termMatches(term, pod, existing, nsLabels)),
    );
    if (inDomain) continue;
    // The first pod of a group that wants to be with itself may go anywhere.
    const anywhere = all.some((other) =>
      other.pods.some((existing) => termMatches(term, pod, existing, nsLabels)),
    );
    if (
      !anywhere &&
      termMatches(term, pod, pod, nsLabels) &&
      info.node.metadata.labels?.[term.topologyKey] !== undefined
    ) {
      continue;
    }
    return [REASON_AFFINITY];
  }
  for (const term of terms(pod, 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution')) {
    for (const other of all) {
      if (!sameDomain(info.node, other.node, term.topologyKey)) continue;
      if (other.pods.some((existing) => termMatches(term, pod, existing, nsLabels)))
        return [REASON_ANTI_AFFINITY];
    }
  }
  for (const other of all) {
    for (const existing of other.pods) {
      for (const term of terms(
        existing,
        'podAntiAffinity',
        'requiredDuringSchedulingIgnoredDuringExecution',
      )) {
        if (
          sameDomain(info.node, other.node, term.topologyKey) &&
          termMatches(term, existing, pod, nsLabels)
        ) {
          return [REASON_EXISTING_ANTI_AFFINITY];
        }
      }
    }
  }
  return [];
}

/** Preferred pod (anti-)affinity: summed weights of the terms the node's domain satisfies. */
export function interPodAffinityScore(
  pod: KubeObject,
  info: NodeInfo,
  all: NodeInfo[],
  nsLabels: NamespaceLabels,
): number {
  let score = 0;
  const weigh = (kind: 'podAffinity' | 'podAntiAffinity', sign: number) => {
    for (const term of terms(pod, kind, 'preferredDuringSchedulingIgnoredDuringExecution')) {
      const weight = (term as AffinityTerm & { weight?: number }).weight ?? 0;
      const hit = all.some(
        (other) =>
          sameDomain(info.node, other.node, term.topologyKey) &&
          other.pods.some((existing) => termMatches(term, pod, existing, nsLabels)),
      );
      if (hit) score += sign * weight;
    }
  };
  weigh('podAffinity', 1);
  weigh('podAntiAffinity', -1);
  return score;
}

interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: string;
  labelSelector?: LabelSelectorSpec | null;
  minDomains?: number;
  matchLabelKeys?: string[];
  nodeAffinityPolicy?: string;
}

function constraints(pod: KubeObject, when: string): SpreadConstraint[] {
  const list = podSpec(pod).topologySpreadConstraints;
  if (!Array.isArray(list)) return [];
  return (list.filter(isPlainObject) as unknown as SpreadConstraint[]).filter(
    (c) => c.whenUnsatisfiable === when,
  );
}

/** Matching pods per topology value, over the nodes the constraint considers. */
function domainCounts(pod: KubeObject, c: SpreadConstraint, all: NodeInfo[]): Map<string, number> {
  const labels = pod.metadata.labels ?? {};
  const selector: LabelSelectorSpec = { ...(c.labelSelector ?? {}) };
  const extra = (c.matchLabelKeys ?? [])
    .filter((key) => key in labels)
    .map((key) => ({ key, operator: 'In', values: [labels[key]] }));
  if (extra.length) selector.matchExpressions = [...(selector.matchExpressions ?? []), ...extra];
  const matcher = c.labelSelector ? selectorFromSpec(selector) : undefined;
  const counts = new Map<string, number>();
  for (const info of all) {
    const value = info.node.metadata.labels?.[c.topologyKey];
    if (value === undefined) continue;
    if ((c.nodeAffinityPolicy ?? 'Honor') === 'Honor' && !matchesNodeSelectorAndAffinity(pod, info.node))
      continue;
    const matching = info.pods.filter(
      (p) =>
        !p.metadata.deletionTimestamp &&
        p.metadata.namespace === pod.metadata.namespace &&
        !!matcher?.matches(p.metadata.labels ?? {}),
    ).length;
    counts.set(value, (counts.get(value) ?? 0) + matching);
  }
  return counts;
}

function skewAfter(
  pod: KubeObject,
  c: SpreadConstraint,
  info: NodeInfo,
  counts: Map<string, number>,
): number | undefined {
  const value = info.node.metadata.labels?.[c.topologyKey];
  if (value === undefined) return undefined;
  const selfMatch =
    c.labelSelector && selectorFromSpec(c.labelSelector).matches(pod.metadata.labels ?? {}) ? 1 : 0;
  let min = counts.size ? Math.min(...counts.values()) : 0;
  if (c.minDomains !== undefined && counts.size < c.minDomains) min = 0;
  return (counts.get(value) ?? 0) + selfMatch - min;
}

/** kube-scheduler's PodTopologySpread filter (DoNotSchedule constraints). */
export function topologySpreadReasons(pod: KubeObject, info: NodeInfo, all: NodeInfo[]): string[] {
  for (const c of constraints(pod, 'DoNotSchedule')) {
    const skew = skewAfter(pod, c, info, domainCounts(pod, c, all));
    if (skew === undefined) return [REASON_SPREAD_LABEL];
    if (skew > c.maxSkew) return [REASON_SPREAD];
  }
  return [];
}

/** ScheduleAnyway constraints: the summed matching pods in the node's domains (lower is better). */
export function topologySpreadPenalty(pod: KubeObject, info: NodeInfo, all: NodeInfo[]): number {
  let penalty = 0;
  for (const c of constraints(pod, 'ScheduleAnyway')) {
    const value = info.node.metadata.labels?.[c.topologyKey];
    if (value === undefined) continue;
    penalty += domainCounts(pod, c, all).get(value) ?? 0;
  }
  return penalty;
}
