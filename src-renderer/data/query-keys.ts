import type { ResourceAddress } from '../../src-main/ipc/contract';

/** All namespaces: lists span the cluster. */
export const ALL_NAMESPACES = '';

/** `pods`, `deployments.apps`: a stable short form of a resource address for keys and routes. */
export function resourceKey(type: Pick<ResourceAddress, 'group' | 'plural'>): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/**
 * The one factory of query keys. Keys nest (cluster → kind of data → details) so a prefix
 * invalidates everything below it, e.g. `queryKeys.cluster(id)` after a cluster restarts.
 */
export const queryKeys = {
  all: ['kubedesk'] as const,
  app: () => [...queryKeys.all, 'app'] as const,
  settings: () => [...queryKeys.all, 'settings'] as const,
  clusters: () => [...queryKeys.all, 'clusters'] as const,
  cluster: (cluster: string) => [...queryKeys.all, 'cluster', cluster] as const,
  discovery: (cluster: string) => [...queryKeys.cluster(cluster), 'discovery'] as const,
  /** Lists of one resource type (any namespace): the prefix of every `list` key of that type. */
  lists: (cluster: string, type: ResourceAddress) =>
    [...queryKeys.cluster(cluster), 'list', resourceKey(type), type.version] as const,
  /** One list: a type in one namespace (or all, as ALL_NAMESPACES). */
  list: (cluster: string, type: ResourceAddress, namespace: string) =>
    [...queryKeys.lists(cluster, type), type.namespaced ? namespace : ALL_NAMESPACES] as const,
  object: (cluster: string, type: ResourceAddress, namespace: string | undefined, name: string) =>
    [...queryKeys.cluster(cluster), 'object', resourceKey(type), namespace ?? '', name] as const,
  rolloutHistory: (cluster: string, namespace: string | undefined, name: string) =>
    [...queryKeys.cluster(cluster), 'rollout-history', namespace ?? '', name] as const,
};

export type ListKey = ReturnType<typeof queryKeys.list>;
