import type { ObjectApi } from '../../apiserver/object-api';
import type { GroupVersionResource } from '../../apiserver/registry/types';
import { ApiError } from '../../apiserver/status';
import type { KubeObject } from '../../k8s-object';

/** True for a 404 from the API. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.code === 404;
}

/** True for a 409 AlreadyExists (not a Conflict) from the API. */
export function isAlreadyExists(error: unknown): boolean {
  return error instanceof ApiError && error.code === 409 && error.reason === 'AlreadyExists';
}

/** True for the 403 a create gets in a namespace being deleted. */
export function isNamespaceTerminating(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.code === 403 &&
    (error.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating')
  );
}

/** Runs `write`, treating "the object is already gone" as done. */
export function ignoreNotFound<T>(write: () => T): T | undefined {
  try {
    return write();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The object, or undefined when the API answers 404. */
export function getOrUndefined(
  api: ObjectApi,
  gvr: GroupVersionResource,
  namespace: string | undefined,
  name: string,
): KubeObject | undefined {
  try {
    return api.get(gvr, namespace, name);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Seconds-precision RFC 3339, as Kubernetes' metav1.Time serialises. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}
