import type { V1OwnerReference } from '@kubernetes/client-node';
import type { GroupVersionResource, ResourceDefinition } from '../../apiserver/registry/types';
import type { KubeObject } from '../../k8s-object';
import { Controller } from '../runtime/controller';
import type { Informer } from '../runtime/informer';
import { ignoreNotFound, isNotFound } from '../shared/api-helpers';
import { reportErrors } from '../shared/context';
import type { ControllerContext, RunningController } from '../shared/context';
import { gvrKey, uniqueResources } from '../shared/resources';

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

/** Kinds the collector never tracks (as Kubernetes' GC ignores events). */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

export interface GarbageCollectorOptions extends ControllerContext {
  /** Every resource type of the API (the registry's list). */
  resources: readonly ResourceDefinition[];
}

interface NodeRef {
  gvr: GroupVersionResource;
  namespace?: string;
  name: string;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** A node's queue key: resource, namespace and name. */
function nodeKey(ref: NodeRef): string {
  return `${gvrKey(ref.gvr)}|${ref.namespace ?? ''}|${ref.name}`;
}

function parseNodeKey(key: string): NodeRef {
  const [gvr, namespace, name] = key.split('|');
  const [group, version, resource] = gvr.split('/');
  return { gvr: { group, version, resource }, namespace: namespace || undefined, name };
}

/**
 * Kubernetes' garbage collector over every resource with ownerReferences: an object whose
 * owners are all gone is deleted (background cascade); an owner deleted in the foreground
 * (`foregroundDeletion` finalizer) loses that finalizer once its blocking dependents are
 * gone, after its dependents were deleted; an owner deleted with `orphan` has its
 * dependents' references to it removed, then loses that finalizer.
 */
export function startGarbageCollector(options: GarbageCollectorOptions): RunningController {
  const { api, clock } = options;
  const defsByKind = new Map<string, ResourceDefinition>();
  const informers = new Map<string, Informer>();
  /** owner uid → dependents' node keys. */
  const dependents = new Map<string, Set<string>>();
  /** uid → node key, for waking owners. */
  const nodes = new Map<string, string>();

  const controller = new Controller({
    name: 'garbage-collector',
    clock,
    workers: 4,
    reconcile: (key) => reconcile(key),
    onError: reportErrors(options, 'garbage collection of'),
  });

  const refOf = (def: ResourceDefinition, obj: KubeObject): NodeRef => ({
    gvr: { group: def.group, version: def.version, resource: def.plural },
    namespace: def.namespaced ? obj.metadata.namespace : undefined,
    name: obj.metadata.name ?? '',
  });
  const index = (key: string, obj: KubeObject): void => {
    if (obj.metadata.uid) nodes.set(obj.metadata.uid, key);
    for (const ref of obj.metadata.ownerReferences ?? []) {
      let set = dependents.get(ref.uid);
      if (!set) dependents.set(ref.uid, (set = new Set()));
      set.add(key);
    }
  };
  const unindexOwners = (key: string, obj: KubeObject): void => {
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const set = dependents.get(ref.uid);
      set?.delete(key);
      if (set?.size === 0) dependents.delete(ref.uid);
    }
  };
  const enqueueDependents = (uid: string | undefined): void => {
    for (const key of dependents.get(uid ?? '') ?? []) controller.enqueue(key);
  };
  const enqueueOwners = (obj: KubeObject): void => {
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const key = nodes.get(ref.uid);
      if (key) controller.enqueue(key);
    }
  };
  const deletionState = (obj: KubeObject): string =>
    `${obj.metadata.deletionTimestamp ? 'deleting' : ''}:${(obj.metadata.finalizers ?? []).join(',')}`;

  for (const def of uniqueResources(options.resources)) {
    const id = `${def.group}/${def.plural}`;
    if (IGNORED.has(id)) continue;
    if (!['list', 'watch', 'delete'].every((v) => def.verbs.includes(v))) continue;
    defsByKind.set(`${def.group}/${def.kind}`, def);
    const gvr = { group: def.group, version: def.version, resource: def.plural };
    const informer = options.informers.get(gvr);
    informers.set(gvrKey(gvr), informer);
    informer.addHandlers({
      add: (obj) => {
        const key = nodeKey(refOf(def, obj));
        index(key, obj);
        if (obj.metadata.ownerReferences?.length || obj.metadata.deletionTimestamp) controller.enqueue(key);
      },
      update: (old, obj) => {
        const key = nodeKey(refOf(def, obj));
        unindexOwners(key, old);
        index(key, obj);
        const ownersChanged =
          JSON.stringify(old.metadata.ownerReferences ?? []) !==
          JSON.stringify(obj.metadata.ownerReferences ?? []);
        if (ownersChanged) {
          controller.enqueue(key);
          enqueueOwners(old);
        }
        if (deletionState(old) !== deletionState(obj)) {
          controller.enqueue(key);
          enqueueDependents(obj.metadata.uid);
          enqueueOwners(obj);
        }
      },
      delete: (obj) => {
        const key = nodeKey(refOf(def, obj));
        unindexOwners(key, obj);
        if (obj.metadata.uid && nodes.get(obj.metadata.uid) === key) nodes.delete(obj.metadata.uid);
        enqueueDependents(obj.metadata.uid);
        enqueueOwners(obj);
      },
    });
  }

  const current = (key: string): KubeObject | undefined => {
    const ref = parseNodeKey(key);
    const informer = informers.get(gvrKey(ref.gvr));
    return informer?.get(ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name);
  };

  const dependentsOf = (obj: KubeObject): Array<{ key: string; obj: KubeObject }> => {
    const out: Array<{ key: string; obj: KubeObject }> = [];
    for (const key of dependents.get(obj.metadata.uid ?? '') ?? []) {
      const dep = current(key);
      if (dep && dep.metadata.ownerReferences?.some((r) => r.uid === obj.metadata.uid))
        out.push({ key, obj: dep });
    }
    return out;
  };

  const removeFinalizer = (key: string, obj: KubeObject, finalizer: string): void => {
    const ref = parseNodeKey(key);
    ignoreNotFound(() =>
      api.patch(ref.gvr, ref.namespace, ref.name, 'merge', {
        metadata: {
          resourceVersion: obj.metadata.resourceVersion,
          finalizers: (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer),
        },
      }),
    );
  };

  const setOwnerReferences = (key: string, obj: KubeObject, refs: V1OwnerReference[]): void => {
    const ref = parseNodeKey(key);
    ignoreNotFound(() =>
      api.patch(ref.gvr, ref.namespace, ref.name, 'merge', {
        metadata: { resourceVersion: obj.metadata.resourceVersion, ownerReferences: refs },
      }),
    );
  };

  const deleteNode = (key: string, obj: KubeObject, policy: 'Orphan' | 'Background' | 'Foreground'): void => {
    const ref = parseNodeKey(key);
    ignoreNotFound(() =>
      api.delete(ref.gvr, ref.namespace, ref.name, {
        propagationPolicy: policy,
        preconditions: { uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
      }),
    );
  };

  /** The live state of an owner reference: absent (or replaced), deleting in the foreground, or there. */
  const ownerState = (obj: KubeObject, ref: V1OwnerReference): 'dangling' | 'waiting' | 'solid' => {
    const def = defsByKind.get(`${groupOf(ref.apiVersion)}/${ref.kind}`);
    if (!def) return 'solid';
    const namespace = def.namespaced ? obj.metadata.namespace : undefined;
    if (def.namespaced && !namespace) return 'dangling';
    let owner: KubeObject;
    try {
      owner = api.get({ group: def.group, version: def.version, resource: def.plural }, namespace, ref.name);
    } catch (error) {
      if (isNotFound(error)) return 'dangling';
      throw error;
    }
    if (owner.metadata.uid !== ref.uid) return 'dangling';
    if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FOREGROUND))
      return 'waiting';
    return 'solid';
  };

  /** The object as stored now: decisions must not rest on a cache that may lag the owners' deletion. */
  const live = (key: string): KubeObject | undefined => {
    const ref = parseNodeKey(key);
    try {
      return api.get(ref.gvr, ref.namespace, ref.name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };

  const reconcile = (key: string): void => {
    const obj = live(key);
    if (!obj) return;
    const finalizers = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp) {
      if (finalizers.includes(ORPHAN)) {
        for (const dep of dependentsOf(obj)) {
          setOwnerReferences(
            dep.key,
            dep.obj,
            (dep.obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== obj.metadata.uid),
          );
        }
        removeFinalizer(key, obj, ORPHAN);
        return;
      }
      if (finalizers.includes(FOREGROUND)) {
        const deps = dependentsOf(obj);
        for (const dep of deps) {
          if (dep.obj.metadata.deletionTimestamp) continue;
          // A dependent with dependents of its own goes in the foreground too, so the chain blocks.
          const hasOwn = (dependents.get(dep.obj.metadata.uid ?? '')?.size ?? 0) > 0;
          const others = (dep.obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== obj.metadata.uid);
          if (others.some((r) => ownerState(dep.obj, r) === 'solid')) {
            setOwnerReferences(dep.key, dep.obj, others);
            continue;
          }
          deleteNode(dep.key, dep.obj, hasOwn ? 'Foreground' : 'Background');
        }
        const blocking = deps.filter((dep) =>
          dep.obj.metadata.ownerReferences?.some((r) => r.uid === obj.metadata.uid && r.blockOwnerDeletion),
        );
        if (blocking.length === 0) removeFinalizer(key, obj, FOREGROUND);
      }
      return;
    }

    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const states = refs.map((ref) => ({ ref, state: ownerState(obj, ref) }));
    const solid = states.filter((s) => s.state === 'solid');
    const waiting = states.filter((s) => s.state === 'waiting');
    if (solid.length === refs.length) return;
    if (solid.length > 0) {
      setOwnerReferences(
        key,
        obj,
        solid.map((s) => s.ref),
      );
      return;
    }
    if (waiting.length > 0 && (dependents.get(obj.metadata.uid ?? '')?.size ?? 0) > 0) {
      deleteNode(key, obj, 'Foreground');
      return;
    }
    const policy = finalizers.includes(ORPHAN)
      ? 'Orphan'
      : finalizers.includes(FOREGROUND)
        ? 'Foreground'
        : 'Background';
    deleteNode(key, obj, policy);
  };

  controller.start();
  return {
    name: 'garbage-collector',
    isIdle: () => controller.queue.isIdle(),
    stop: () => controller.stop(),
  };
}
