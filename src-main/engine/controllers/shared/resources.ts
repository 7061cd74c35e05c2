import type { GroupVersionResource } from '../../apiserver/registry/types';

/** The resources the controllers read and write through the ObjectApi. */
export const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
export const NAMESPACES: GroupVersionResource = { group: '', version: 'v1', resource: 'namespaces' };
export const SERVICES: GroupVersionResource = { group: '', version: 'v1', resource: 'services' };
export const ENDPOINTS: GroupVersionResource = { group: '', version: 'v1', resource: 'endpoints' };
export const SERVICE_ACCOUNTS: GroupVersionResource = {
  group: '',
  version: 'v1',
  resource: 'serviceaccounts',
};
export const REPLICA_SETS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'replicasets' };
export const DEPLOYMENTS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'deployments' };
export const ENDPOINT_SLICES: GroupVersionResource = {
  group: 'discovery.k8s.io',
  version: 'v1',
  resource: 'endpointslices',
};
export const NODES: GroupVersionResource = { group: '', version: 'v1', resource: 'nodes' };
export const PVCS: GroupVersionResource = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
export const LEASES: GroupVersionResource = {
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
};
export const DAEMONSETS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'daemonsets' };
export const STATEFULSETS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'statefulsets' };
export const CONTROLLER_REVISIONS: GroupVersionResource = {
  group: 'apps',
  version: 'v1',
  resource: 'controllerrevisions',
};
export const JOBS: GroupVersionResource = { group: 'batch', version: 'v1', resource: 'jobs' };
export const CRONJOBS: GroupVersionResource = { group: 'batch', version: 'v1', resource: 'cronjobs' };

export function gvrKey(gvr: GroupVersionResource): string {
  return `${gvr.group}/${gvr.version}/${gvr.resource}`;
}

/** One definition per resource (group + plural): a resource served in several versions is one set of objects. */
export function uniqueResources<T extends { group: string; plural: string }>(defs: readonly T[]): T[] {
  const seen = new Set<string>();
  return defs.filter((def) => {
    const key = `${def.group}/${def.plural}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
