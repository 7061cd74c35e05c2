import { parseQuantity } from '../apiserver/registry/validation/quantity';
import type { KubeObject } from '../k8s-object';
import { isPlainObject } from '../k8s-object';

/** Resource amounts by name (cpu in cores, memory in bytes, counts as numbers). */
export type Resources = Record<string, number>;

function containerRequests(container: unknown): Resources {
  const resources = isPlainObject(container) && isPlainObject(container.resources) ? container.resources : {};
  // A limit without a request defaults the request (the API does this too; kept for old objects).
  const limits = isPlainObject(resources.limits) ? resources.limits : {};
  const requests = isPlainObject(resources.requests) ? resources.requests : {};
  const out: Resources = {};
  for (const [name, value] of Object.entries({ ...limits, ...requests })) {
    const amount = parseQuantity(value);
    if (amount !== undefined) out[name] = amount;
  }
  return out;
}

function add(into: Resources, from: Resources): void {
  for (const [name, value] of Object.entries(from)) into[name] = (into[name] ?? 0) + value;
}

// Objects from informer caches are replaced, never mutated, so a computed value stays valid.
const requestCache = new WeakMap<KubeObject, Resources>();

/**
 * The pod's effective requests as the scheduler counts them: the sum over app containers,
 * raised to the largest init container where that is bigger, plus `spec.overhead`.
 */
export function podRequests(pod: KubeObject): Resources {
  const cached = requestCache.get(pod);
  if (cached) return cached;
  const total = computeRequests(pod);
  requestCache.set(pod, total);
  return total;
}

function computeRequests(pod: KubeObject): Resources {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const total: Resources = {};
  for (const container of Array.isArray(spec.containers) ? spec.containers : []) {
    add(total, containerRequests(container));
  }
  for (const container of Array.isArray(spec.initContainers) ? spec.initContainers : []) {
    for (const [name, value] of Object.entries(containerRequests(container))) {
      if (value > (total[name] ?? 0)) total[name] = value;
    }
  }
  if (isPlainObject(spec.overhead)) {
    const overhead: Resources = {};
    for (const [name, value] of Object.entries(spec.overhead)) {
      const amount = parseQuantity(value);
      if (amount !== undefined) overhead[name] = amount;
    }
    add(total, overhead);
  }
  return total;
}

/** `status.allocatable` of a node as numbers. */
export function nodeAllocatable(node: KubeObject): Resources {
  const status = isPlainObject(node.status) ? node.status : {};
  const allocatable = isPlainObject(status.allocatable) ? status.allocatable : {};
  const out: Resources = {};
  for (const [name, value] of Object.entries(allocatable)) {
    const amount = parseQuantity(value);
    if (amount !== undefined) out[name] = amount;
  }
  return out;
}

export function sumRequests(pods: KubeObject[]): Resources {
  const total: Resources = {};
  for (const pod of pods) add(total, podRequests(pod));
  return total;
}
