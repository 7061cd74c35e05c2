import type { V1Service } from '@kubernetes/client-node';
import type { ObjectApi } from '../apiserver/object-api';
import { ApiError } from '../apiserver/status';
import type { GroupVersionResource } from '../apiserver/registry/types';
import type { KubeObject } from '../k8s-object';
import type { ObjectLookup } from './env';
import { CONFIGMAPS, PVCS, PVS, SECRETS, SERVICES } from './resources';

/** Reads of the objects pods refer to (config maps, secrets, claims, volumes). */
export type VolumeLookup = ObjectLookup & {
  persistentVolumeClaim(namespace: string, name: string): KubeObject | undefined;
  persistentVolume(name: string): KubeObject | undefined;
};

/** Lookups through the in-process API; a missing object is undefined. */
export function apiLookup(api: ObjectApi): VolumeLookup {
  const get = (
    gvr: GroupVersionResource,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined => {
    try {
      return api.get(gvr, namespace, name);
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) return undefined;
      throw error;
    }
  };
  return {
    configMap: (namespace, name) => get(CONFIGMAPS, namespace, name),
    secret: (namespace, name) => get(SECRETS, namespace, name),
    persistentVolumeClaim: (namespace, name) => get(PVCS, namespace, name),
    persistentVolume: (name) => get(PVS, undefined, name),
  };
}

/** The Services whose links go into a pod's environment: its namespace's and `default`'s. */
export function namespaceServices(api: ObjectApi, namespace: string): V1Service[] {
  const read = (ns: string): V1Service[] => {
    try {
      return api.list(SERVICES, { namespace: ns }).items as unknown as V1Service[];
    } catch {
      return [];
    }
  };
  return namespace === 'default' ? read('default') : [...read(namespace), ...read('default')];
}
