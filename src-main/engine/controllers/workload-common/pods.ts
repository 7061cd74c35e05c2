import type { V1OwnerReference } from '@kubernetes/client-node';
import type { ObjectApi } from '../../apiserver/object-api';
import type { GroupVersionResource } from '../../apiserver/registry/types';
import { ApiError } from '../../apiserver/status';
import type { KubeObject } from '../../k8s-object';
import { isPlainObject } from '../../k8s-object';
import { getOrUndefined } from '../shared/api-helpers';

export function rec(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function podPhase(pod: KubeObject): string {
  const phase = rec(pod.status).phase;
  return typeof phase === 'string' ? phase : 'Pending';
}

export function isTerminal(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Neither finished nor being deleted: the pods a controller counts as its running replicas. */
export function isActive(pod: KubeObject): boolean {
  return !isTerminal(pod) && !pod.metadata.deletionTimestamp;
}

function condition(pod: KubeObject, type: string): Record<string, unknown> | undefined {
  const conditions = rec(pod.status).conditions;
  if (!Array.isArray(conditions)) return undefined;
  const found = conditions.find((c) => isPlainObject(c) && c.type === type);
  return isPlainObject(found) ? found : undefined;
}

export function isReady(pod: KubeObject): boolean {
  return podPhase(pod) === 'Running' && condition(pod, 'Ready')?.status === 'True';
}

/** Ready for at least `minReadySeconds` (at `now`). */
export function isAvailable(pod: KubeObject, minReadySeconds: number, now: Date): boolean {
  if (!isReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = condition(pod, 'Ready')?.lastTransitionTime;
  if (typeof since !== 'string') return false;
  return Date.parse(since) + minReadySeconds * 1000 <= now.getTime();
}

export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return !!obj.metadata.ownerReferences?.some((r) => r.controller && r.uid === owner.metadata.uid);
}

/** A pod built from a workload's pod template (labels, annotations, finalizers, spec). */
export function podFromTemplate(
  template: unknown,
  owner: V1OwnerReference,
  naming: { name?: string; generateName?: string },
): KubeObject {
  const t = rec(template);
  const meta = rec(t.metadata);
  const copy = <T>(value: T): T => (value === undefined ? value : (structuredClone(value) as T));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...naming,
      labels: { ...(rec(meta.labels) as Record<string, string>) },
      ...(isPlainObject(meta.annotations)
        ? { annotations: { ...(meta.annotations as Record<string, string>) } }
        : {}),
      ...(Array.isArray(meta.finalizers) ? { finalizers: [...(meta.finalizers as string[])] } : {}),
      ownerReferences: [owner],
    },
    spec: copy(rec(t.spec)),
  };
}

/** Deletes, treating "already gone" as done. */
export function deleteIfPresent(
  api: ObjectApi,
  gvr: GroupVersionResource,
  namespace: string | undefined,
  name: string,
  options: Parameters<ObjectApi['delete']>[3] = {},
): boolean {
  try {
    api.delete(gvr, namespace, name, options);
    return true;
  } catch (error) {
    if (error instanceof ApiError && (error.code === 404 || error.code === 409)) return false;
    throw error;
  }
}

/** JSON equality for status comparisons (key order as written by the same code). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Writes `status` through the status subresource. The cached copy may trail our own last
 * write; on a conflict the status (computed from the same observed state) is written onto
 * the latest version once more, so a stale cache costs no back-off.
 */
export function writeStatus(
  api: ObjectApi,
  gvr: GroupVersionResource,
  obj: KubeObject,
  status: Record<string, unknown>,
): KubeObject | undefined {
  try {
    return api.update(gvr, obj.metadata.namespace, { ...obj, status }, { subresource: 'status' });
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 409)) throw error;
  }
  const latest = getOrUndefined(api, gvr, obj.metadata.namespace, obj.metadata.name ?? '');
  if (!latest || latest.metadata.uid !== obj.metadata.uid) return undefined;
  return api.update(gvr, obj.metadata.namespace, { ...latest, status }, { subresource: 'status' });
}
