import type { KubeObject } from '../../../k8s-object';
import type { FieldError } from '../../status';
import { STANDARD_VERBS, STATUS_VERBS } from '../core/common';
import type { SubresourceDefinition } from '../types';
import { nameIsDnsSubdomain, validateObjectMeta, validateObjectMetaUpdate } from '../validation';
import type { NameValidator } from '../validation';

export { STANDARD_VERBS, STATUS_VERBS };

/** The `status` subresource of a kind, answering with the kind itself. */
export function statusSubresource(kind: string, group: string, version: string): SubresourceDefinition {
  return { name: 'status', kind, group, version, verbs: [...STATUS_VERBS] };
}

/** The `scale` subresource, answering with an autoscaling/v1 Scale. */
export function scaleSubresource(): SubresourceDefinition {
  return { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: [...STATUS_VERBS] };
}

/**
 * ValidateObjectMeta on create, ValidateObjectMetaUpdate on update (where Kubernetes also
 * re-checks the name rules only through immutability).
 */
export function validateMeta(
  obj: KubeObject,
  old: KubeObject | undefined,
  namespaced: boolean,
  name: NameValidator = nameIsDnsSubdomain,
): FieldError[] {
  return old
    ? validateObjectMetaUpdate(obj.metadata, old.metadata)
    : validateObjectMeta(obj.metadata, { namespaced, name });
}

/** The zero-valued status Kubernetes returns for a new object (fields without `omitempty`). */
export function resetStatus(obj: KubeObject, zero: Record<string, unknown> = {}): void {
  obj.status = structuredClone(zero);
}

/**
 * Kinds without a status subresource whose Kubernetes strategy still tracks
 * `metadata.generation` (NetworkPolicy, IngressClass, EndpointSlice) start it at 1; the
 * storage bumps it on spec changes once an object has one.
 */
export function startGeneration(obj: KubeObject): void {
  obj.metadata.generation = 1;
}
