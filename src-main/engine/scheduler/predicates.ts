import type { KubeObject } from '../k8s-object';
import { isPlainObject } from '../k8s-object';

/** A node taint as stored in `spec.taints`. */
export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

/** A pod toleration as stored in `spec.tolerations`. */
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number | null;
}

interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** The taint kubectl cordon implies (added to the node by the node lifecycle controller). */
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';

function rec(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

export function podSpec(pod: KubeObject): Record<string, unknown> {
  return rec(pod.spec);
}

export function nodeTaints(node: KubeObject): Taint[] {
  const taints = rec(node.spec).taints;
  return Array.isArray(taints) ? (taints.filter(isPlainObject) as unknown as Taint[]) : [];
}

export function podTolerations(pod: KubeObject): Toleration[] {
  const tolerations = podSpec(pod).tolerations;
  return Array.isArray(tolerations) ? (tolerations.filter(isPlainObject) as Toleration[]) : [];
}

/** v1.Toleration.ToleratesTaint: effect (empty = all), key (empty with Exists = all), operator. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator = toleration.operator || 'Equal';
  if (operator === 'Exists') return true;
  if (operator === 'Equal') return (toleration.value ?? '') === (taint.value ?? '');
  return false;
}

export function tolerated(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => toleratesTaint(t, taint));
}

/** The first taint with one of `effects` that no toleration tolerates. */
export function firstUntoleratedTaint(
  taints: Taint[],
  tolerations: Toleration[],
  effects: string[],
): Taint | undefined {
  return taints.find((taint) => effects.includes(taint.effect) && !tolerated(tolerations, taint));
}

/** Taints as the scheduler's messages print them: `{key: value}`. */
export function formatTaint(taint: Taint): string {
  return `{${taint.key}: ${taint.value ?? ''}}`;
}

function matchRequirement(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1) return false;
      const actual = Number.parseInt(value, 10);
      const bound = Number.parseInt(values[0], 10);
      if (Number.isNaN(actual) || Number.isNaN(bound)) return false;
      return req.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

/** One NodeSelectorTerm: every expression and field requirement holds; an empty term matches nothing. */
export function matchNodeSelectorTerm(term: NodeSelectorTerm, node: KubeObject): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  for (const req of expressions) {
    if (!matchRequirement(req, Object.hasOwn(labels, req.key) ? labels[req.key] : undefined)) return false;
  }
  for (const req of fields) {
    const value = req.key === 'metadata.name' ? node.metadata.name : undefined;
    if (!matchRequirement(req, value)) return false;
  }
  return true;
}

function nodeAffinity(pod: KubeObject): Record<string, unknown> {
  return rec(rec(podSpec(pod).affinity).nodeAffinity);
}

/**
 * The NodeAffinity filter: `spec.nodeSelector` labels all match, and the required node
 * affinity terms (ORed) match when present.
 */
export function matchesNodeSelectorAndAffinity(pod: KubeObject, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const selector = rec(podSpec(pod).nodeSelector);
  for (const [key, value] of Object.entries(selector)) {
    if (labels[key] !== value) return false;
  }
  const required = rec(nodeAffinity(pod).requiredDuringSchedulingIgnoredDuringExecution);
  const terms = required.nodeSelectorTerms;
  if (Array.isArray(terms)) {
    return terms.some((term) => isPlainObject(term) && matchNodeSelectorTerm(term as NodeSelectorTerm, node));
  }
  return true;
}

/** Sum of the weights of the preferred node affinity terms the node matches. */
export function preferredAffinityScore(pod: KubeObject, node: KubeObject): number {
  const preferred = nodeAffinity(pod).preferredDuringSchedulingIgnoredDuringExecution;
  if (!Array.isArray(preferred)) return 0;
  let score = 0;
  for (const entry of preferred) {
    const term = rec(rec(entry).preference) as NodeSelectorTerm;
    const weight = rec(entry).weight;
    if (typeof weight === 'number' && matchNodeSelectorTerm(term, node)) score += weight;
  }
  return score;
}

/** The node's Ready condition status: "True", "False", "Unknown", or undefined when absent. */
export function nodeReadyStatus(node: KubeObject): string | undefined {
  const conditions = rec(node.status).conditions;
  if (!Array.isArray(conditions)) return undefined;
  const ready = conditions.find((c) => isPlainObject(c) && c.type === 'Ready');
  return isPlainObject(ready) && typeof ready.status === 'string' ? ready.status : undefined;
}

/**
 * The node's taints plus the ones its state implies (cordon, NotReady, Unknown), so the
 * scheduler behaves the same before and after the node lifecycle controller writes them.
 */
export function effectiveTaints(node: KubeObject): Taint[] {
  const taints = [...nodeTaints(node)];
  const has = (key: string, effect: string) => taints.some((t) => t.key === key && t.effect === effect);
  if (rec(node.spec).unschedulable === true && !has(TAINT_UNSCHEDULABLE, 'NoSchedule')) {
    taints.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  }
  const ready = nodeReadyStatus(node);
  if (ready === 'False' && !has(TAINT_NOT_READY, 'NoSchedule')) {
    taints.push({ key: TAINT_NOT_READY, effect: 'NoSchedule' });
  }
  // A node that never reported Ready counts as unreachable, as the node lifecycle controller sees it.
  if ((ready === 'Unknown' || ready === undefined) && !has(TAINT_UNREACHABLE, 'NoSchedule')) {
    taints.push({ key: TAINT_UNREACHABLE, effect: 'NoSchedule' });
  }
  return taints;
}

/** Host ports a pod claims: `protocol/hostIP/port` triples. */
export function podHostPorts(pod: KubeObject): Array<{ protocol: string; hostIP: string; port: number }> {
  const ports: Array<{ protocol: string; hostIP: string; port: number }> = [];
  const spec = podSpec(pod);
  for (const list of [spec.initContainers, spec.containers]) {
    if (!Array.isArray(list)) continue;
    for (const container of list) {
      const containerPorts = rec(container).ports;
      if (!Array.isArray(containerPorts)) continue;
      for (const p of containerPorts) {
        const port = rec(p);
        if (typeof port.hostPort !== 'number' || port.hostPort <= 0) continue;
        ports.push({
          protocol: typeof port.protocol === 'string' ? port.protocol : 'TCP',
          hostIP: typeof port.hostIP === 'string' && port.hostIP ? port.hostIP : '0.0.0.0',
          port: port.hostPort,
        });
      }
    }
  }
  return ports;
}

/** True when two pods' host ports collide (same protocol and port, overlapping host IPs). */
export function hostPortsConflict(
  wanted: ReturnType<typeof podHostPorts>,
  used: ReturnType<typeof podHostPorts>,
): boolean {
  return wanted.some((w) =>
    used.some(
      (u) =>
        u.port === w.port &&
        u.protocol === w.protocol &&
        (u.hostIP === w.hostIP || u.hostIP === '0.0.0.0' || w.hostIP === '0.0.0.0'),
    ),
  );
}
