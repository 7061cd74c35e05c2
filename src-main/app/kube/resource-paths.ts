import type { ResourceAddress } from '../../ipc/contract';

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/**
 * The collection path of a resource: namespaced types with a namespace are scoped to it; without
 * one (or for cluster-scoped types) the path spans the whole cluster.
 */
export function collectionPath(type: ResourceAddress, namespace?: string): string {
  const base = groupVersionPath(type.group, type.version);
  const scope = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${scope}/${type.plural}`;
}

/** The path of one object (optionally a subresource such as `scale` or `eviction`). */
export function objectPath(
  type: ResourceAddress,
  namespace: string | undefined,
  name: string,
  sub?: string,
): string {
  if (type.namespaced && !namespace) throw new Error(`a namespace is needed for ${type.plural} "${name}"`);
  const path = `${collectionPath(type, namespace)}/${encodeURIComponent(name)}`;
  return sub ? `${path}/${sub}` : path;
}

/** Splits `apps/v1` into group and version (`v1` → core group). */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export const CORE = {
  pods: { group: '', version: 'v1', plural: 'pods', namespaced: true },
  events: { group: '', version: 'v1', plural: 'events', namespaced: true },
  nodes: { group: '', version: 'v1', plural: 'nodes', namespaced: false },
  namespaces: { group: '', version: 'v1', plural: 'namespaces', namespaced: false },
  replicaSets: { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true },
  deployments: { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true },
} as const satisfies Record<string, ResourceAddress>;
