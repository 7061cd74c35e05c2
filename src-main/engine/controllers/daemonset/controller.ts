import type { ObjectApi } from '../../apiserver/object-api';
import { selectorFromSpec } from '../../apiserver/selectors';
import type { LabelSelectorSpec } from '../../apiserver/selectors';
import { intOrPercentValue, isPercent } from '../../apiserver/registry/apps/int-or-percent';
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
  isActive,
  isAvailable,
  isReady,
  num,
  podFromTemplate,
  podPhase,
  rec,
  sameJson,
  writeStatus,
} from '../workload-common/pods';
import { CONTROLLER_REVISIONS, DAEMONSETS, NODES, PODS } from '../shared/resources';
import { ensureRevision, pruneRevisions, templateHash } from '../workload-common/revisions';
import { daemonPodNode, pinToNode, shouldRunOnNode } from './daemon-pods';
import { InformerSet } from '../workload-common/informers';
import type { InformerSource } from '../workload-common/informers';
import { controllerRef } from '../shared/owners';

export interface DaemonSetControllerOptions {
  api: ObjectApi;
  clock: Clock;
  /** Shared informers (e.g. the engine's factory); default: the controller's own. */
  informers?: InformerSource;
  onError?: (message: string, error: unknown) => void;
}

const HASH_LABEL = 'controller-revision-hash';
const GENERATION_LABEL = 'pod-template-generation';

function ownerKey(pod: KubeObject): string | undefined {
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'DaemonSet');
  return ref ? `${pod.metadata.namespace}/${ref.name}` : undefined;
}

/** The node's condition statuses without heartbeat times, which change every report. */
function conditionStates(node: KubeObject): string {
  const conditions = rec(node.status).conditions;
  return (Array.isArray(conditions) ? conditions : [])
    .map((c) => `${String(rec(c).type)}=${String(rec(c).status)}`)
    .join(',');
}

function scaled(value: unknown, total: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  return isPercent(value) ? Math.ceil((intOrPercentValue(value) * total) / 100) : intOrPercentValue(value);
}

/**
 * The DaemonSet controller: one pod per eligible node (node selector, required affinity,
 * taints; cordoned and not-ready nodes keep theirs), named `<ds>-<5 chars>` and pinned to
 * its node by node affinity so the scheduler binds it there. Template changes roll out
 * node by node within `maxUnavailable` (RollingUpdate) or wait for manual deletion
 * (OnDelete); each template is kept as a ControllerRevision. Status carries the upstream
 * counters and `observedGeneration`.
 */
export function startDaemonSetController(options: DaemonSetControllerOptions): {
  readonly name: string;
  stop(): Promise<void>;
  isIdle(): boolean;
} {
  const { api, clock } = options;
  const onError = options.onError ?? (() => undefined);
  const recorder = new EventRecorder(api, { component: 'daemonset-controller' }, clock);
  const informers = new InformerSet(api, options.informers);
  const sets = informers.get(DAEMONSETS);
  const pods = informers.get(PODS);
  const nodes = informers.get(NODES);
  const revisions = informers.get(CONTROLLER_REVISIONS);
  const expectations = new Expectations(clock);
  const controller = new Controller({
    name: 'daemonset',
    clock,
    reconcile: (key) => reconcile(key),
    onError: (key, error) => onError(`syncing DaemonSet ${key} failed`, error),
  });
  const enqueueAll = () => {
    for (const ds of sets.list()) controller.enqueue(objectKey(ds));
  };
  sets.addHandlers({
    add: (ds) => controller.enqueue(objectKey(ds)),
    update: (_old, ds) => controller.enqueue(objectKey(ds)),
  });
  const onPod = (pod: KubeObject) => {
    const key = ownerKey(pod);
    if (key) controller.enqueue(key);
    else if (!pod.metadata.ownerReferences?.some((r) => r.controller)) {
      // An orphan may be adopted by any DaemonSet whose selector matches it.
      for (const owner of sets.listInNamespace(pod.metadata.namespace ?? '')) {
        const selector = rec(owner.spec).selector as LabelSelectorSpec | undefined;
        if (selectorFromSpec(selector).matches(pod.metadata.labels ?? {}))
          controller.enqueue(objectKey(owner));
      }
    }
  };
  pods.addHandlers({ add: onPod, update: (_old, pod) => onPod(pod), delete: onPod });
  nodes.addHandlers({
    add: enqueueAll,
    delete: enqueueAll,
    // Heartbeats change only status; labels, taints and readiness are what matter here.
    update: (oldNode, node) => {
      if (!sameJson(oldNode.metadata.labels, node.metadata.labels) || !sameJson(oldNode.spec, node.spec))
        enqueueAll();
      else if (conditionStates(oldNode) !== conditionStates(node)) enqueueAll();
    },
  });

  const event = (ds: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) =>
    recorder.record({ ...ds, apiVersion: 'apps/v1', kind: 'DaemonSet' }, type, reason, message);

  function deletePod(ds: KubeObject, pod: KubeObject): void {
    expectations.expectDelete(objectKey(ds), pod.metadata.name ?? '');
    if (deleteIfPresent(api, PODS, pod.metadata.namespace, pod.metadata.name ?? '')) {
      event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    }
  }

  function createPod(ds: KubeObject, nodeName: string, hash: string): void {
    const template = rec(rec(ds.spec).template);
    const pod = podFromTemplate(template, controllerRef(ds, 'apps/v1', 'DaemonSet'), {
      generateName: `${ds.metadata.name}-`,
    });
    pod.metadata.labels = {
      ...(pod.metadata.labels ?? {}),
      [HASH_LABEL]: hash,
      [GENERATION_LABEL]: String(ds.metadata.generation ?? 1),
    };
    pinToNode(rec(pod.spec), nodeName);
    try {
      const created = api.create(PODS, ds.metadata.namespace, pod);
      expectations.expectCreate(objectKey(ds), created.metadata.name ?? '');
      event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    } catch (error) {
      if (error instanceof ApiError && error.code === 403) return;
      event(
        ds,
        'Warning',
        'FailedCreate',
        `Error creating: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
  }

  function reconcile(key: string): ReconcileResult | void {
    const ds = sets.get(key);
    if (!ds || ds.metadata.deletionTimestamp) {
      expectations.forget(key);
      return;
    }
    const namespace = ds.metadata.namespace ?? '';
    if (!expectations.satisfied(key, (name) => pods.get(`${namespace}/${name}`))) return;
    const spec = rec(ds.spec);
    const status = rec(ds.status);
    const template = rec(spec.template);
    const hash = templateHash(template, num(status.collisionCount) ?? 0);
    const { all: revisionList } = ensureRevision(
      api,
      ds,
      'DaemonSet',
      hash,
      revisions.list((r) => r.metadata.namespace === namespace),
    );
    const minReadySeconds = num(spec.minReadySeconds) ?? 0;
    const now = clock.now();

    const owned = claimPods(api, ds, 'apps/v1', 'DaemonSet', pods.listInNamespace(namespace));
    const byNode = new Map<string, KubeObject[]>();
    for (const pod of owned) {
      const nodeName = daemonPodNode(pod) ?? '';
      byNode.set(nodeName, [...(byNode.get(nodeName) ?? []), pod]);
    }

    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    let requeueMs: number | undefined;
    const eligible: Array<{ node: string; pod?: KubeObject; pods: KubeObject[] }> = [];
    const strategy = rec(spec.updateStrategy);
    const rolling = (strategy.type ?? 'RollingUpdate') === 'RollingUpdate';
    const rollingUpdate = rec(strategy.rollingUpdate);
    const nodeCount = nodes.list().filter((n) => shouldRunOnNode(template, n)).length;
    const maxSurge = rolling ? scaled(rollingUpdate.maxSurge, nodeCount, 0) : 0;
    // Both zero is invalid upstream; treat it as one unavailable at a time.
    const maxUnavailable = maxSurge > 0 ? 0 : Math.max(1, scaled(rollingUpdate.maxUnavailable, nodeCount, 1));
    const surge = maxSurge > 0;
    const knownNodes = new Set<string>();

    for (const node of nodes.list()) {
      const nodeName = node.metadata.name ?? '';
      knownNodes.add(nodeName);
      const here = byNode.get(nodeName) ?? [];
      const live = here.filter(isActive);
      if (!shouldRunOnNode(template, node)) {
        if (here.some((p) => !p.metadata.deletionTimestamp)) misscheduled++;
        for (const pod of live) deletePod(ds, pod);
        continue;
      }
      desired++;
      for (const pod of here) {
        if (podPhase(pod) === 'Failed' && !pod.metadata.deletionTimestamp) {
          event(
            ds,
            'Warning',
            'FailedDaemonPod',
            `Found failed daemon pod ${namespace}/${pod.metadata.name} on node ${nodeName}, will try to kill it`,
          );
          deletePod(ds, pod);
        }
      }
      if (live.length === 0) {
        if (!here.some((p) => p.metadata.deletionTimestamp && podPhase(p) !== 'Failed'))
          createPod(ds, nodeName, hash);
        eligible.push({ node: nodeName, pods: [] });
        continue;
      }
      const sorted = [...live].sort((a, b) =>
        String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)),
      );
      // With surge an updated pod may run beside the old one until it is available.
      const newest = surge
        ? [...sorted].reverse().find((p) => p.metadata.labels?.[HASH_LABEL] === hash)
        : undefined;
      const kept = newest && newest !== sorted[0] ? [sorted[0], newest] : [sorted[0]];
      for (const extra of sorted) if (!kept.includes(extra)) deletePod(ds, extra);
      const pod = newest && isAvailable(newest, minReadySeconds, now) ? newest : sorted[0];
      current++;
      if (isReady(pod)) ready++;
      if (isAvailable(pod, minReadySeconds, now)) available++;
      else if (isReady(pod)) requeueMs = Math.min(requeueMs ?? Infinity, minReadySeconds * 1000);
      if (kept.some((p) => p.metadata.labels?.[HASH_LABEL] === hash)) updated++;
      eligible.push({ node: nodeName, pod, pods: kept });
    }
    for (const [nodeName, here] of byNode) {
      if (knownNodes.has(nodeName)) continue;
      for (const pod of here.filter(isActive)) deletePod(ds, pod);
    }

    if (rolling) {
      const isOld = (p: KubeObject) => p.metadata.labels?.[HASH_LABEL] !== hash;
      const availableNow = (p: KubeObject) => isAvailable(p, minReadySeconds, now);
      if (surge) {
        let budget =
          maxSurge -
          eligible.filter((e) => e.pods.length > 1 && e.pods.some((p) => !isOld(p) && !availableNow(p)))
            .length;
        for (const entry of eligible) {
          const olds = entry.pods.filter(isOld);
          if (olds.length === 0) continue;
          const fresh = entry.pods.find((p) => !isOld(p));
          if (fresh) {
            if (availableNow(fresh)) for (const pod of olds) deletePod(ds, pod);
          } else if (!olds.some(availableNow)) {
            for (const pod of olds) deletePod(ds, pod);
          } else if (budget > 0) {
            budget--;
            createPod(ds, entry.node, hash);
          }
        }
      } else {
        const unavailable = eligible.filter((e) => !e.pod || !availableNow(e.pod)).length;
        // Old pods that are not available anyway go first and cost nothing.
        let budget = maxUnavailable - unavailable;
        for (const entry of eligible) {
          const pod = entry.pod;
          if (!pod || !isOld(pod)) continue;
          if (!availableNow(pod)) deletePod(ds, pod);
          else if (budget > 0) {
            budget--;
            deletePod(ds, pod);
          }
        }
      }
    }

    const inUse = new Set(owned.map((p) => `${ds.metadata.name}-${p.metadata.labels?.[HASH_LABEL] ?? ''}`));
    inUse.add(`${ds.metadata.name}-${hash}`);
    pruneRevisions(api, revisionList, inUse, num(spec.revisionHistoryLimit) ?? 10);

    const nextStatus: Record<string, unknown> = {
      ...status,
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
      observedGeneration: ds.metadata.generation,
      updatedNumberScheduled: updated,
      numberAvailable: available,
      numberUnavailable: desired - available,
    };
    if (!nextStatus.numberAvailable) delete nextStatus.numberAvailable;
    if (!nextStatus.numberUnavailable) delete nextStatus.numberUnavailable;
    if (!nextStatus.updatedNumberScheduled) delete nextStatus.updatedNumberScheduled;
    if (!sameJson(nextStatus, status)) {
      writeStatus(api, DAEMONSETS, ds, nextStatus);
    }
    return requeueMs === undefined ? undefined : { requeueAfterMs: requeueMs };
  }

  informers.start();
  controller.start();
  return {
    name: 'daemonset',
    isIdle: () => controller.queue.isIdle(),
    async stop() {
      informers.stop();
      await controller.stop();
    },
  };
}
