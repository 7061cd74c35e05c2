import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import { StoreConflictError } from '../../store/types';
import type { StoreRecord } from '../../store/types';
import type { DeleteOptions } from '../object-api';
import { apiVersionOf } from '../registry/types';
import type { ResourceDefinition } from '../registry/types';
import { ApiError, conflict } from '../status';
import { decodeRecord } from './list';
import type { ObjectStorage } from './object-storage';
import { clone, metaTime } from './object-utils';

/** Namespaces Kubernetes refuses to delete. */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

/** The grace period a pod deletion gets: 0 for pods never bound to a node or already finished. */
function podGracePeriod(pod: KubeObject, requested: number | undefined): number {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const phase = isPlainObject(pod.status) ? pod.status.phase : undefined;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  if (requested !== undefined) return Math.max(0, requested);
  return typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30;
}

/**
 * Kubernetes' deletion semantics for one stored object: preconditions, namespace
 * termination, graceful pod deletion, and finalizers (including the ones propagation
 * policies add). Returns the removed object, or the object as marked for deletion.
 */
export function deleteObject(
  storage: ObjectStorage,
  def: ResourceDefinition,
  key: string,
  record: StoreRecord,
  options: DeleteOptions,
): KubeObject {
  const current: KubeObject = { ...decodeRecord(record), apiVersion: apiVersionOf(def), kind: def.kind };
  const name = current.metadata.name ?? '';
  const ref = storage.ref(def, name);
  const pre = options.preconditions ?? {};
  if (pre.uid && pre.uid !== current.metadata.uid) {
    throw conflict(
      ref,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
    );
  }
  if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(
      ref,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
    );
  }

  const now = storage.now();
  const write = (obj: KubeObject): KubeObject => {
    if (options.dryRun) return obj;
    const { resourceVersion: _rv, ...metadata } = obj.metadata;
    try {
      const rev = storage.store.update(key, JSON.stringify({ ...obj, metadata }), record.modRevision);
      return { ...obj, metadata: { ...metadata, resourceVersion: String(rev) } };
    } catch (error) {
      if (error instanceof StoreConflictError) throw conflict(ref);
      throw error;
    }
  };
  const remove = (): KubeObject => {
    if (options.dryRun) return current;
    try {
      const rev = storage.store.delete(key, record.modRevision);
      return { ...current, metadata: { ...current.metadata, resourceVersion: String(rev) } };
    } catch (error) {
      if (error instanceof StoreConflictError) throw conflict(ref);
      throw error;
    }
  };

  if (def.kind === 'Namespace' && def.group === '') {
    if (IMMORTAL_NAMESPACES.has(name)) {
      throw new ApiError(
        403,
        'Forbidden',
        `namespaces "${name}" is forbidden: this namespace may not be deleted`,
        {
          name,
          kind: 'namespaces',
        },
      );
    }
    const specFinalizers =
      isPlainObject(current.spec) && Array.isArray(current.spec.finalizers) ? current.spec.finalizers : [];
    if (!current.metadata.deletionTimestamp) {
      const marked = clone(current);
      marked.metadata.deletionTimestamp = metaTime(now);
      marked.metadata.deletionGracePeriodSeconds = 0;
      marked.status = { ...(isPlainObject(marked.status) ? marked.status : {}), phase: 'Terminating' };
      if (specFinalizers.length > 0 || (marked.metadata.finalizers ?? []).length > 0) return write(marked);
      return remove();
    }
    if (specFinalizers.length > 0 || (current.metadata.finalizers ?? []).length > 0) return current;
    return remove();
  }

  // As Kubernetes' deletion finalizer handling: each policy adds its own finalizer and drops the others'.
  const policy = options.propagationPolicy;
  let finalizers = [...(current.metadata.finalizers ?? [])];
  if (policy) {
    finalizers = finalizers.filter((f) => f !== FOREGROUND && f !== ORPHAN);
    if (policy === 'Foreground') finalizers.push(FOREGROUND);
    if (policy === 'Orphan') finalizers.push(ORPHAN);
  }

  if (def.kind === 'Pod' && def.group === '') {
    const grace = podGracePeriod(current, options.gracePeriodSeconds);
    if (grace > 0) {
      const pending = current.metadata.deletionGracePeriodSeconds;
      // A repeated delete may shorten the grace period but never extend it.
      if (current.metadata.deletionTimestamp && pending !== undefined && pending <= grace) return current;
      const marked = clone(current);
      marked.metadata.deletionTimestamp = metaTime(new Date(now.getTime() + grace * 1000));
      marked.metadata.deletionGracePeriodSeconds = grace;
      if (finalizers.length > 0) marked.metadata.finalizers = finalizers;
      return write(marked);
    }
  }

  if (finalizers.length > 0) {
    const marked = clone(current);
    if (!marked.metadata.deletionTimestamp) marked.metadata.deletionTimestamp = metaTime(now);
    marked.metadata.deletionGracePeriodSeconds = 0;
    marked.metadata.finalizers = finalizers;
    const unchanged =
      current.metadata.deletionTimestamp &&
      current.metadata.deletionGracePeriodSeconds === 0 &&
      JSON.stringify(finalizers) === JSON.stringify(current.metadata.finalizers ?? []);
    if (unchanged) return current;
    return write(marked);
  }
  return remove();
}
