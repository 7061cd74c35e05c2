export { CONFIGMAPS, LEASES, NODES, PODS, PVCS, PVS, SECRETS, STORAGE_CLASSES } from '../resources';
export const EVENTS_FOR_TEST = { group: '', version: 'v1', resource: 'events' };
