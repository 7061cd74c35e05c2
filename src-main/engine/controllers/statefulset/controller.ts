import type { ObjectApi } from '../../apiserver/object-api';
import { selectorFromSpec } from '../../apiserver/selectors';
import type { LabelSelectorSpec } from '../../apiserver/selectors';
import { ApiError } from '../../apiserver/status';
import type { KubeObject } from '../../k8s-object';
import type { Clock } from '../runtime/clock';
import { Controller } from '../runtime/controller';
import type { ReconcileResult } from '../runtime/controller';
import { EventRecorder } from '../runtime/event-recorder';
import { objectKey } from '../runtime/keys';
import { claimPods } from '../workload-common/adoption';
import { Expectations } from '../workload-common/expectations';
import {
  deleteIfPresent,
  isAvailable,
  isReady,
  num,
  podPhase,
  rec,
  sameJson,
  writeStatus,
} from '../workload-common/pods';
import { CONTROLLER_REVISIONS, PODS, PVCS, STATEFULSETS } from '../shared/resources';
import { ensureRevision, pruneRevisions, revisionTemplate, templateHash } from '../workload-common/revisions';
import { claimFor, claimTemplates, ordinalOf, REVISION_LABEL, statefulPod } from './stateful-pods';
import { InformerSet } from '../workload-common/informers';
import type { InformerSource } from '../workload-common/informers';
import { controllerRef } from '../shared/owners';

export interface StatefulSetControllerOptions {
  api: ObjectApi;
  clock: Clock;
  /** Shared informers (e.g. the engine's factory); default: the controller's own. */
  informers?: InformerSource;
  onError?: (message: string, error: unknown) => void;
}

function ownerKey(pod: KubeObject): string | undefined {
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'StatefulSet');
  return ref ? `${pod.metadata.namespace}/${ref.name}` : undefined;
}

const terminating = (pod: KubeObject) => !!pod.metadata.deletionTimestamp;
const healthy = (pod: KubeObject) => isReady(pod) && !terminating(pod);

/**
 * The StatefulSet controller: pods `<set>-0…N-1` with stable hostnames under the governing
 * Service (`subdomain`), a PVC `<claim>-<set>-<ordinal>` per volumeClaimTemplate created
 * before the pod and kept after it, OrderedReady (one at a time, each Running and Ready
 * before the next; scale-down from the highest ordinal) or Parallel management, and
 * rolling updates from the highest ordinal down to `partition`. Templates are kept as
 * ControllerRevisions; status reports currentRevision/updateRevision and the counters.
 */
export function startStatefulSetController(options: StatefulSetControllerOptions): {
  readonly name: string;
  stop(): Promise<void>;
  isIdle(): boolean;
} {
  const { api, clock } = options;
  const onError = options.onError ?? (() => undefined);
  const recorder = new EventRecorder(api, { component: 'statefulset-controller' }, clock);
  const informers = new InformerSet(api, options.informers);
  const sets = informers.get(STATEFULSETS);
  const pods = informers.get(PODS);
  const claims = informers.get(PVCS);
  const revisions = informers.get(CONTROLLER_REVISIONS);
  const expectations = new Expectations(clock);
  const controller = new Controller({
    name: 'statefulset',
    clock,
    reconcile: (key) => reconcile(key),
    onError: (key, error) => onError(`syncing StatefulSet ${key} failed`, error),
  });
  sets.addHandlers({
    add: (set) => controller.enqueue(objectKey(set)),
    update: (_old, set) => controller.enqueue(objectKey(set)),
  });
  const onPod = (pod: KubeObject) => {
    const key = ownerKey(pod);
    if (key) controller.enqueue(key);
    else if (!pod.metadata.ownerReferences?.some((r) => r.controller)) {
      // An orphan may be adopted by any StatefulSet whose selector matches it.
      for (const owner of sets.listInNamespace(pod.metadata.namespace ?? '')) {
        const selector = rec(owner.spec).selector as LabelSelectorSpec | undefined;
        if (selectorFromSpec(selector).matches(pod.metadata.labels ?? {}))
          controller.enqueue(objectKey(owner));
      }
    }
  };
  pods.addHandlers({ add: onPod, update: (_old, pod) => onPod(pod), delete: onPod });

  const event = (set: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) =>
    recorder.record({ ...set, apiVersion: 'apps/v1', kind: 'StatefulSet' }, type, reason, message);

  function deletePod(set: KubeObject, pod: KubeObject): void {
    expectations.expectDelete(objectKey(set), pod.metadata.name ?? '');
    if (deleteIfPresent(api, PODS, pod.metadata.namespace, pod.metadata.name ?? '')) {
      event(
        set,
        'Normal',
        'SuccessfulDelete',
        `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`,
      );
    }
  }

  function createPod(
    set: KubeObject,
    template: Record<string, unknown>,
    revisionName: string,
    ordinal: number,
  ): void {
    const namespace = set.metadata.namespace ?? '';
    const podName = `${set.metadata.name}-${ordinal}`;
    for (const claim of claimTemplates(set)) {
      const pvc = claimFor(set, claim, ordinal);
      if (rec(rec(set.spec).persistentVolumeClaimRetentionPolicy).whenDeleted === 'Delete') {
        // Garbage collection removes the claims with the set.
        const { controller: _controller, ...ref } = controllerRef(set, 'apps/v1', 'StatefulSet');
        pvc.metadata.ownerReferences = [ref];
      }
      if (claims.get(`${namespace}/${pvc.metadata.name}`)) continue;
      try {
        api.create(PVCS, namespace, pvc);
        event(
          set,
          'Normal',
          'SuccessfulCreate',
          `create Claim ${pvc.metadata.name} Pod ${podName} in StatefulSet ${set.metadata.name} success`,
        );
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 409)) {
          event(
            set,
            'Warning',
            'FailedCreate',
            `create Claim ${pvc.metadata.name} for Pod ${podName} in StatefulSet ${set.metadata.name} failed error: ${error instanceof Error ? error.message : String(error)}`,
          );
          throw error;
        }
      }
    }
    const pod = statefulPod(
      set,
      template,
      revisionName,
      ordinal,
      controllerRef(set, 'apps/v1', 'StatefulSet'),
    );
    try {
      api.create(PODS, namespace, pod);
      expectations.expectCreate(objectKey(set), podName);
      event(
        set,
        'Normal',
        'SuccessfulCreate',
        `create Pod ${podName} in StatefulSet ${set.metadata.name} successful`,
      );
    } catch (error) {
      if (error instanceof ApiError && (error.code === 409 || error.code === 403)) return;
      event(
        set,
        'Warning',
        'FailedCreate',
        `create Pod ${podName} in StatefulSet ${set.metadata.name} failed error: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
  }

  /** whenScaled=Delete: claims of ordinals scaled away go once their pod is gone. */
  function deleteScaledClaims(set: KubeObject, start: number, replicas: number, owned: KubeObject[]): void {
    const namespace = set.metadata.namespace ?? '';
    const setName = set.metadata.name ?? '';
    const present = new Set(owned.map((p) => ordinalOf(setName, p.metadata.name)));
    for (const template of claimTemplates(set)) {
      const prefix = `${template.metadata?.name ?? ''}-`;
      for (const pvc of claims.listInNamespace(namespace)) {
        const name = pvc.metadata.name ?? '';
        if (!name.startsWith(prefix) || pvc.metadata.deletionTimestamp) continue;
        const ordinal = ordinalOf(setName, name.slice(prefix.length));
        if (ordinal === undefined || (ordinal >= start && ordinal < start + replicas) || present.has(ordinal))
          continue;
        deleteIfPresent(api, PVCS, namespace, name);
      }
    }
  }

  function reconcile(key: string): ReconcileResult | void {
    const set = sets.get(key);
    if (!set || set.metadata.deletionTimestamp) {
      expectations.forget(key);
      return;
    }
    const namespace = set.metadata.namespace ?? '';
    const setName = set.metadata.name ?? '';
    if (!expectations.satisfied(key, (name) => pods.get(`${namespace}/${name}`))) return;
    const spec = rec(set.spec);
    const status = rec(set.status);
    const now = clock.now();
    const minReadySeconds = num(spec.minReadySeconds) ?? 0;

    const hash = templateHash(rec(spec.template), num(status.collisionCount) ?? 0);
    const { current: update, all: revisionList } = ensureRevision(
      api,
      set,
      'StatefulSet',
      hash,
      revisions.list((r) => r.metadata.namespace === namespace),
    );
    const updateRevision = update.name;
    const currentName = typeof status.currentRevision === 'string' ? status.currentRevision : updateRevision;
    const currentObject = revisionList.find((r) => r.metadata.name === currentName);
    const currentRevision = currentObject ? currentName : updateRevision;
    const currentTemplate = currentObject ? revisionTemplate(currentObject) : update.template;

    const replicas = num(spec.replicas) ?? 1;
    const start = num(rec(spec.ordinals).start) ?? 0;
    const monotonic = (spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    const strategy = rec(spec.updateStrategy);
    const rolling = (strategy.type ?? 'RollingUpdate') === 'RollingUpdate';
    const partition = rolling ? (num(rec(strategy.rollingUpdate).partition) ?? 0) : 0;

    const owned = claimPods(
      api,
      set,
      'apps/v1',
      'StatefulSet',
      pods.listInNamespace(namespace),
      (p) => ordinalOf(setName, p.metadata.name) !== undefined,
    );
    const slots: Array<KubeObject | undefined> = Array.from({ length: replicas }, () => undefined);
    const condemned: KubeObject[] = [];
    for (const pod of owned) {
      const ordinal = ordinalOf(setName, pod.metadata.name);
      if (ordinal === undefined) continue;
      if (ordinal >= start && ordinal < start + replicas) slots[ordinal - start] = pod;
      else condemned.push(pod);
    }
    condemned.sort(
      (a, b) => (ordinalOf(setName, b.metadata.name) ?? 0) - (ordinalOf(setName, a.metadata.name) ?? 0),
    );

    const revisionOf = (pod: KubeObject) => pod.metadata.labels?.[REVISION_LABEL];
    let requeueMs: number | undefined;
    const act = (): void => {
      for (let i = 0; i < replicas; i++) {
        const ordinal = start + i;
        const pod = slots[i];
        if (!pod) {
          const useCurrent = rolling && currentRevision !== updateRevision && ordinal < start + partition;
          createPod(
            set,
            useCurrent ? currentTemplate : update.template,
            useCurrent ? currentRevision : updateRevision,
            ordinal,
          );
          if (monotonic) return;
          continue;
        }
        if (podPhase(pod) === 'Failed' || podPhase(pod) === 'Succeeded') {
          if (!terminating(pod)) {
            const failed = podPhase(pod) === 'Failed';
            event(
              set,
              failed ? 'Warning' : 'Normal',
              failed ? 'RecreatingFailedPod' : 'RecreatingTerminatedPod',
              `StatefulSet ${namespace}/${setName} is recreating ${failed ? 'failed' : 'terminated'} Pod ${pod.metadata.name}`,
            );
            deletePod(set, pod);
          }
          if (monotonic) return;
          continue;
        }
        if (monotonic && (!healthy(pod) || terminating(pod))) return;
        if (monotonic && !isAvailable(pod, minReadySeconds, now)) {
          requeueMs = minReadySeconds * 1000;
          return;
        }
      }
      if (condemned.length > 0) {
        if (monotonic) {
          const [target] = condemned;
          if (!terminating(target)) deletePod(set, target);
          return;
        }
        for (const pod of condemned) if (!terminating(pod)) deletePod(set, pod);
        return;
      }
      if (!rolling) return;
      for (let i = replicas - 1; i >= partition; i--) {
        const pod = slots[i];
        if (!pod) return;
        if (revisionOf(pod) !== updateRevision && !terminating(pod)) {
          deletePod(set, pod);
          return;
        }
        if (!healthy(pod)) return;
      }
    };
    act();
    if (rec(spec.persistentVolumeClaimRetentionPolicy).whenScaled === 'Delete') {
      deleteScaledClaims(set, start, replicas, owned);
    }

    const live = owned.filter((p) => !terminating(p));
    const updatedReplicas = live.filter((p) => revisionOf(p) === updateRevision).length;
    const readyReplicas = live.filter(isReady).length;
    let nextCurrent = currentRevision;
    let currentReplicas = live.filter((p) => revisionOf(p) === currentRevision).length;
    if (updatedReplicas === replicas && readyReplicas === replicas && live.length === replicas) {
      nextCurrent = updateRevision;
      currentReplicas = updatedReplicas;
    }
    const inUse = new Set(owned.map((p) => revisionOf(p) ?? ''));
    inUse.add(updateRevision);
    inUse.add(nextCurrent);
    pruneRevisions(api, revisionList, inUse, num(spec.revisionHistoryLimit) ?? 10);

    const nextStatus: Record<string, unknown> = {
      ...status,
      observedGeneration: set.metadata.generation,
      replicas: live.length,
      readyReplicas,
      currentReplicas,
      updatedReplicas,
      currentRevision: nextCurrent,
      updateRevision,
      collisionCount: num(status.collisionCount) ?? 0,
      availableReplicas: live.filter((p) => isAvailable(p, minReadySeconds, now)).length,
    };
    for (const field of ['readyReplicas', 'currentReplicas', 'updatedReplicas']) {
      if (!nextStatus[field]) delete nextStatus[field];
    }
    if (!sameJson(nextStatus, status)) {
      writeStatus(api, STATEFULSETS, set, nextStatus);
    }
    if (minReadySeconds > 0 && live.some((p) => isReady(p) && !isAvailable(p, minReadySeconds, now))) {
      requeueMs = Math.min(requeueMs ?? Infinity, minReadySeconds * 1000);
    }
    return requeueMs === undefined ? undefined : { requeueAfterMs: requeueMs };
  }

  informers.start();
  controller.start();
  return {
    name: 'statefulset',
    isIdle: () => controller.queue.isIdle(),
    async stop() {
      informers.stop();
      await controller.stop();
    },
  };
}
