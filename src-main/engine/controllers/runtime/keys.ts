import type { KubeObject } from '../../k8s-object';

/** The cache/queue key of an object: "namespace/name", or "name" when cluster-scoped. */
export function objectKey(obj: Pick<KubeObject, 'metadata'>): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : (name ?? '');
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The controlling owner reference of an object (controller: true), if any. */
export function controllerOf(
  obj: KubeObject,
): { kind: string; name: string; uid: string; apiVersion: string } | undefined {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller);
  return ref ? { kind: ref.kind, name: ref.name, uid: ref.uid, apiVersion: ref.apiVersion } : undefined;
}
