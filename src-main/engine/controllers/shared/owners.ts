import type { V1OwnerReference } from '@kubernetes/client-node';
import type { KubeObject } from '../../k8s-object';

/** The controller owner reference Kubernetes' workload controllers set on what they create. */
export function controllerRef(owner: KubeObject, apiVersion: string, kind: string): V1OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The controlling owner reference of `obj`, if any. */
export function controllerRefOf(obj: KubeObject): V1OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** True when `obj` is controlled by the object with `uid`. */
export function isControlledBy(obj: KubeObject, uid: string | undefined): boolean {
  return uid !== undefined && controllerRefOf(obj)?.uid === uid;
}

/** The owner references of `obj` without the ones pointing at `uid`. */
export function withoutOwner(obj: KubeObject, uid: string): V1OwnerReference[] {
  return (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
}
