import type { GroupVersionResource } from '../apiserver/registry/types';

/** The resources the kubelet reads and writes through the ObjectApi. */
export const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
export const NODES: GroupVersionResource = { group: '', version: 'v1', resource: 'nodes' };
export const CONFIGMAPS: GroupVersionResource = { group: '', version: 'v1', resource: 'configmaps' };
export const SECRETS: GroupVersionResource = { group: '', version: 'v1', resource: 'secrets' };
export const SERVICES: GroupVersionResource = { group: '', version: 'v1', resource: 'services' };
export const PVCS: GroupVersionResource = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
export const PVS: GroupVersionResource = { group: '', version: 'v1', resource: 'persistentvolumes' };
export const LEASES: GroupVersionResource = {
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
};
export const STORAGE_CLASSES: GroupVersionResource = {
  group: 'storage.k8s.io',
  version: 'v1',
  resource: 'storageclasses',
};
