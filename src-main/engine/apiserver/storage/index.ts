export { ObjectStorage } from './object-storage';
export { bootstrapCluster, SYSTEM_NAMESPACES, KUBERNETES_SERVICE_IP } from './bootstrap';
export type { BootstrapOptions } from './bootstrap';
export type {
  Patcher,
  ResourceResolver,
  StorageOptions,
  ServerSideApplyArgs,
  RecordUpdateArgs,
} from './dependencies';
export { objectKey, listPrefix, resourcePrefix } from './keys';
export { formatTime } from './object-utils';
export { BOOKMARK_INTERVAL_MS } from './watch';
