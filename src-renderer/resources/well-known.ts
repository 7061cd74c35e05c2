import type { ResourceAddress } from '../../src-main/ipc/contract';

/** Types the UI reads outside their own views (namespace switcher, events, children). */
export const NAMESPACES_VIEW_TYPE: ResourceAddress = {
  group: '',
  version: 'v1',
  plural: 'namespaces',
  namespaced: false,
};
export const EVENTS_TYPE: ResourceAddress = { group: '', version: 'v1', plural: 'events', namespaced: true };
export const PODS_TYPE: ResourceAddress = { group: '', version: 'v1', plural: 'pods', namespaced: true };
export const REPLICASETS_TYPE: ResourceAddress = {
  group: 'apps',
  version: 'v1',
  plural: 'replicasets',
  namespaced: true,
};
export const JOBS_TYPE: ResourceAddress = { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true };
