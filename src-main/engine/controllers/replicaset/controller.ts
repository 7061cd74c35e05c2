import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import { Controller } from '../runtime/controller';
import type { ReconcileResult } from '../runtime/controller';
import { EventRecorder } from '../runtime/event-recorder';
import { objectKey, splitKey } from '../runtime/keys';
import { formatTime, ignoreNotFound, isNamespaceTerminating, isNotFound } from '../shared/api-helpers';
import { reportErrors } from '../shared/context';
import type { ControllerContext, RunningController } from '../shared/context';
import { Expectations } from '../shared/expectations';
import { controllerRef, controllerRefOf, withoutOwner } from '../shared/owners';
import { isPodActive, isPodAvailable, isPodReady, msUntilAvailable } from '../shared/pods';
import { PODS, REPLICA_SETS } from '../shared/resources';
import { selects } from '../shared/selectors';
import { podsToDelete } from './pod-ranking';

/** At most this many pods are created or deleted per sync (Kubernetes' burstReplicas). */
const BURST_REPLICAS = 500;
/** Longest generateName prefix Kubernetes keeps (names get 5 random characters on top). */
const MAX_GENERATED_NAME_LENGTH = 58;

interface ReplicaSetSpec {
  replicas?: number;
  minReadySeconds?: number;
  template?: {
    metadata?: {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
      finalizers?: string[];
    };
    spec?: unknown;
  };
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

function specOf(rs: KubeObject): ReplicaSetSpec {
  return (isPlainObject(rs.spec) ? rs.spec : {}) as ReplicaSetSpec;
}

function statusOf(rs: KubeObject): Record<string, unknown> {
  return isPlainObject(rs.status) ? rs.status : {};
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods matching each ReplicaSet's
 * selector. It adopts matching orphans, releases pods whose labels stop matching, replaces
 * deleted pods, picks the least valuable pods when scaling down, and reports replicas,
 * fullyLabeledReplicas, readyReplicas, availableReplicas (minReadySeconds) and
 * observedGeneration. Expectations keep a burst of syncs from creating duplicates.
 */
export function startReplicaSetController(ctx: ControllerContext): RunningController {
  const { api, clock } = ctx;
  const replicaSets = ctx.informers.get(REPLICA_SETS);
  const pods = ctx.informers.get(PODS);
  const expectations = new Expectations(clock);
  const recorder = new EventRecorder(api, { component: 'replicaset-controller' }, clock);

  const controller = new Controller({
    name: 'replicaset',
    clock,
    workers: 4,
    reconcile: (key) => reconcile(key),
    onError: reportErrors(ctx, 'replicaset'),
  });

  /** The ReplicaSet a pod's controller reference names, as a queue key. */
  const ownerKey = (pod: KubeObject): string | undefined => {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet' || !ref.apiVersion.startsWith('apps/')) return undefined;
    return `${pod.metadata.namespace}/${ref.name}`;
  };
  const enqueueMatching = (pod: KubeObject): void => {
    for (const rs of replicaSets.listInNamespace(pod.metadata.namespace ?? '')) {
      if (selects(rs, pod)) controller.enqueue(objectKey(rs));
    }
  };

  replicaSets.addHandlers({
    add: (rs) => controller.enqueue(objectKey(rs)),
    update: (_old, rs) => controller.enqueue(objectKey(rs)),
    delete: (rs) => {
      expectations.delete(objectKey(rs));
      controller.enqueue(objectKey(rs));
    },
  });
  pods.addHandlers({
    add: (pod) => {
      const key = ownerKey(pod);
      if (key) {
        if (pod.metadata.deletionTimestamp) expectations.deletionObserved(key, objectKey(pod));
        else expectations.creationObserved(key);
        controller.enqueue(key);
      } else if (!controllerRefOf(pod)) {
        enqueueMatching(pod);
      }
    },
    update: (old, pod) => {
      const key = ownerKey(pod);
      const oldKey = ownerKey(old);
      if (oldKey && oldKey !== key) controller.enqueue(oldKey);
      if (key) {
        if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) {
          expectations.deletionObserved(key, objectKey(pod));
        }
        controller.enqueue(key);
      } else if (!controllerRefOf(pod)) {
        enqueueMatching(pod);
      }
    },
    delete: (pod) => {
      const key = ownerKey(pod);
      if (key) {
        expectations.deletionObserved(key, objectKey(pod));
        controller.enqueue(key);
      }
    },
  });

  /** ClaimPods: keep owned matching pods, release owned non-matching ones, adopt matching orphans. */
  const claimPods = (rs: KubeObject, candidates: KubeObject[]): KubeObject[] => {
    const uid = rs.metadata.uid ?? '';
    const claimed: KubeObject[] = [];
    for (const pod of candidates) {
      const ref = controllerRefOf(pod);
      const matches = selects(rs, pod);
      if (ref) {
        if (ref.uid !== uid) continue;
        if (matches) {
          claimed.push(pod);
        } else if (!rs.metadata.deletionTimestamp) {
          ignoreNotFound(() =>
            api.patch(PODS, pod.metadata.namespace, pod.metadata.name ?? '', 'merge', {
              metadata: {
                resourceVersion: pod.metadata.resourceVersion,
                ownerReferences: withoutOwner(pod, uid),
              },
            }),
          );
        }
        continue;
      }
      if (!matches || rs.metadata.deletionTimestamp || pod.metadata.deletionTimestamp) continue;
      const adopted = ignoreNotFound(() =>
        api.patch(PODS, pod.metadata.namespace, pod.metadata.name ?? '', 'merge', {
          metadata: {
            resourceVersion: pod.metadata.resourceVersion,
            ownerReferences: [
              ...(pod.metadata.ownerReferences ?? []),
              controllerRef(rs, 'apps/v1', 'ReplicaSet'),
            ],
          },
        }),
      );
      if (adopted) claimed.push(adopted);
    }
    return claimed;
  };

  /** Pods of the ReplicaSets that share this one's controller, for the colocation rank. */
  const relatedPods = (rs: KubeObject, namespacePods: KubeObject[]): KubeObject[] => {
    const owner = controllerRefOf(rs);
    if (!owner) return namespacePods.filter((p) => controllerRefOf(p)?.uid === rs.metadata.uid);
    const siblings = new Set(
      replicaSets
        .listInNamespace(rs.metadata.namespace ?? '')
        .filter((other) => controllerRefOf(other)?.uid === owner.uid)
        .map((other) => other.metadata.uid),
    );
    siblings.add(rs.metadata.uid);
    return namespacePods.filter((p) => isPodActive(p) && siblings.has(controllerRefOf(p)?.uid));
  };

  const podFromTemplate = (rs: KubeObject): KubeObject => {
    const template = specOf(rs).template ?? {};
    const meta = template.metadata ?? {};
    let prefix = `${rs.metadata.name}-`;
    if (prefix.length > MAX_GENERATED_NAME_LENGTH) prefix = prefix.slice(0, MAX_GENERATED_NAME_LENGTH);
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: prefix,
        namespace: rs.metadata.namespace,
        ...(meta.labels ? { labels: { ...meta.labels } } : {}),
        ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
        ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
        ownerReferences: [controllerRef(rs, 'apps/v1', 'ReplicaSet')],
      },
      spec: structuredClone(template.spec ?? {}),
    };
  };

  /** Creates or deletes pods toward `spec.replicas`; returns the error that stopped it, if any. */
  const manageReplicas = (rs: KubeObject, active: KubeObject[], namespacePods: KubeObject[]): unknown => {
    const key = objectKey(rs);
    const diff = active.length - (specOf(rs).replicas ?? 1);
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS);
      expectations.expectCreations(key, count);
      // Slow start (1, 2, 4, …): a quota or validation error fails one pod, not hundreds.
      let created = 0;
      for (let batch = 1; created < count; batch = Math.min(batch * 2, count - created)) {
        const size = Math.min(batch, count - created);
        for (let i = 0; i < size; i++) {
          try {
            const pod = api.create(PODS, rs.metadata.namespace, podFromTemplate(rs), {
              fieldManager: 'kube-controller-manager',
            });
            recorder.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
          } catch (error) {
            // The pods never created will never be observed.
            for (let skipped = created + i; skipped < count; skipped++) expectations.creationObserved(key);
            // A namespace being deleted refuses every create: nothing to report or retry.
            if (isNamespaceTerminating(error)) return undefined;
            recorder.record(rs, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(error)}`);
            return error;
          }
        }
        created += size;
      }
      return undefined;
    }
    if (diff > 0) {
      const victims = podsToDelete(active, relatedPods(rs, namespacePods), Math.min(diff, BURST_REPLICAS));
      expectations.expectDeletions(
        key,
        victims.map((p) => objectKey(p)),
      );
      let failure: unknown;
      for (const pod of victims) {
        try {
          api.delete(PODS, pod.metadata.namespace, pod.metadata.name ?? '', {});
          recorder.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (error) {
          expectations.deletionObserved(key, objectKey(pod));
          if (isNotFound(error)) continue;
          failure ??= error;
          recorder.record(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(error)}`);
        }
      }
      return failure;
    }
    return undefined;
  };

  const reconcile = (key: string): ReconcileResult | void => {
    const rs = replicaSets.get(key);
    if (!rs) {
      expectations.delete(key);
      return;
    }
    const { namespace } = splitKey(key);
    const namespacePods = pods.listInNamespace(namespace ?? '');
    const needsSync = expectations.satisfied(key);
    const active = claimPods(
      rs,
      namespacePods.filter((p) => isPodActive(p)),
    );
    let failure: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) failure = manageReplicas(rs, active, namespacePods);
    const result = updateStatus(rs, active, failure);
    if (failure) throw failure;
    return result;
  };

  const updateStatus = (rs: KubeObject, active: KubeObject[], failure: unknown): ReconcileResult | void => {
    const spec = specOf(rs);
    const minReadySeconds = spec.minReadySeconds ?? 0;
    const now = clock.now();
    const templateLabels = spec.template?.metadata?.labels ?? {};
    let fullyLabeled = 0;
    let ready = 0;
    let available = 0;
    let nextAvailableMs: number | undefined;
    for (const pod of active) {
      const labels = pod.metadata.labels ?? {};
      if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
      if (isPodReady(pod)) {
        ready++;
        if (isPodAvailable(pod, minReadySeconds, now)) available++;
        else {
          const wait = msUntilAvailable(pod, minReadySeconds, now);
          if (wait !== undefined) nextAvailableMs = Math.min(nextAvailableMs ?? wait, wait);
        }
      }
    }
    const current = statusOf(rs);
    let conditions = Array.isArray(current.conditions) ? (current.conditions as Condition[]) : [];
    const existingFailure = conditions.find((c) => c.type === 'ReplicaFailure');
    if (failure && !existingFailure) {
      const diff = active.length - (spec.replicas ?? 1);
      conditions = [
        ...conditions,
        {
          type: 'ReplicaFailure',
          status: 'True',
          lastTransitionTime: formatTime(now),
          reason: diff < 0 ? 'FailedCreate' : 'FailedDelete',
          message: errorMessage(failure),
        },
      ];
    } else if (!failure && existingFailure) {
      conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
    }
    const status: Record<string, unknown> = {
      replicas: active.length,
      ...(fullyLabeled ? { fullyLabeledReplicas: fullyLabeled } : {}),
      ...(ready ? { readyReplicas: ready } : {}),
      ...(available ? { availableReplicas: available } : {}),
      observedGeneration: rs.metadata.generation ?? 1,
      ...(conditions.length ? { conditions } : {}),
    };
    const changed = JSON.stringify(status) !== JSON.stringify(normalizeStatus(current));
    if (changed) {
      ignoreNotFound(() =>
        api.update(
          REPLICA_SETS,
          rs.metadata.namespace,
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            metadata: { name: rs.metadata.name, namespace: rs.metadata.namespace, uid: rs.metadata.uid },
            status,
          },
          { subresource: 'status', fieldManager: 'kube-controller-manager' },
        ),
      );
    }
    return nextAvailableMs !== undefined ? { requeueAfterMs: nextAvailableMs } : undefined;
  };

  controller.start();
  return {
    name: 'replicaset',
    isIdle: () => controller.queue.isIdle(),
    stop: () => controller.stop(),
  };
}

/** The status fields this controller writes, in the order it writes them. */
function normalizeStatus(status: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [
    'replicas',
    'fullyLabeledReplicas',
    'readyReplicas',
    'availableReplicas',
    'observedGeneration',
    'conditions',
  ]) {
    const value = status[key];
    if (value === undefined || (value === 0 && key !== 'replicas' && key !== 'observedGeneration')) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}
