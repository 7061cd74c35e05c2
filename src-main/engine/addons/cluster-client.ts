import type { DeleteOptions, ObjectApi } from '../apiserver/object-api';
import type { GroupVersionResource } from '../apiserver/registry/types';
import { ApiError } from '../apiserver/status';
import type { KubeObject } from '../k8s-object';

/**
 * The little an addon needs from a cluster, the same whether it runs inside the engine (over
 * ObjectApi) or in a CLI or the app against a running engine (over HTTPS as the admin).
 */
export interface ClusterClient {
  /** The object, or undefined when it does not exist. */
  get(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    name: string,
  ): Promise<KubeObject | undefined>;
  create(gvr: GroupVersionResource, namespace: string | undefined, obj: KubeObject): Promise<KubeObject>;
  /** JSON merge patch (RFC 7386). */
  mergePatch(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    name: string,
    patch: unknown,
  ): Promise<KubeObject>;
  /** Deletes the object; missing is fine. */
  delete(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    name: string,
    options?: Pick<DeleteOptions, 'propagationPolicy'>,
  ): Promise<void>;
}

/** A ClusterClient over the engine's in-process ObjectApi (same semantics as REST). */
export function objectApiClient(api: ObjectApi): ClusterClient {
  return {
    get: async (gvr, namespace, name) => {
      try {
        return api.get(gvr, namespace, name);
      } catch (error) {
        if (error instanceof ApiError && error.code === 404) return undefined;
        throw error;
      }
    },
    create: async (gvr, namespace, obj) => api.create(gvr, namespace, obj, { fieldManager: FIELD_MANAGER }),
    mergePatch: async (gvr, namespace, name, patch) =>
      api.patch(gvr, namespace, name, 'merge', patch, { fieldManager: FIELD_MANAGER }),
    delete: async (gvr, namespace, name, options) => {
      try {
        api.delete(gvr, namespace, name, options);
      } catch (error) {
        if (error instanceof ApiError && error.code === 404) return;
        throw error;
      }
    },
  };
}

/** The field manager addon objects are written with. */
export const FIELD_MANAGER = 'kubedesk-addons';

/**
 * Creates `obj` when it does not exist, else merges its labels and spec into the live object
 * (so fields the cluster filled in, such as a Service's clusterIP, stay). `immutableSpec`
 * objects (e.g. claims) are left as they are once they exist.
 */
export async function ensureObject(
  client: ClusterClient,
  gvr: GroupVersionResource,
  obj: KubeObject,
  options: { immutableSpec?: boolean } = {},
): Promise<KubeObject> {
  const namespace = obj.metadata.namespace;
  const name = obj.metadata.name ?? '';
  const live = await client.get(gvr, namespace, name);
  if (!live) {
    try {
      return await client.create(gvr, namespace, obj);
    } catch (error) {
      // Another writer (an engine start racing an enable) created it first: converge on it.
      if (!isConflict(error)) throw error;
    }
  }
  if (options.immutableSpec && live) return live;
  const patch: Record<string, unknown> = { metadata: { labels: obj.metadata.labels ?? {} } };
  if (obj.spec !== undefined) patch.spec = obj.spec;
  return client.mergePatch(gvr, namespace, name, patch);
}

function isConflict(error: unknown): boolean {
  if (error instanceof ApiError) return error.code === 409;
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 409;
}
