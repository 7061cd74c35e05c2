import type { ObjectApi } from '../apiserver/object-api';
import type { GroupVersionResource } from '../apiserver/registry/types';
import { ApiError } from '../apiserver/status';
import type { KubeObject } from '../k8s-object';
import { isPlainObject } from '../k8s-object';
import type { Clock } from '../controllers/runtime/clock';
import { Controller } from '../controllers/runtime/controller';
import { EventRecorder } from '../controllers/runtime/event-recorder';
import { objectKey, splitKey } from '../controllers/runtime/keys';
import { failureMessage, filterNode, wantsScheduling } from './filters';
import type { ClusterView, NodeInfo } from './filters';
import { volumePreFilter } from './volumes';
import { podRequests } from './pod-resources';
import { pickNode } from './scoring';
import { InformerSet } from '../controllers/workload-common/informers';
import type { InformerSource } from '../controllers/workload-common/informers';

const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
const NODES: GroupVersionResource = { group: '', version: 'v1', resource: 'nodes' };
const PVCS: GroupVersionResource = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
const NAMESPACES: GroupVersionResource = { group: '', version: 'v1', resource: 'namespaces' };
const STORAGE_CLASSES: GroupVersionResource = {
  group: 'storage.k8s.io',
  version: 'v1',
  resource: 'storageclasses',
};

/** kube-scheduler flushes unschedulable pods back to the queue at least this often. */
const UNSCHEDULABLE_RETRY_MS = 5 * 60_000;

export interface SchedulerOptions {
  api: ObjectApi;
  clock: Clock;
  /** Shared informers (e.g. the engine's factory); default: the controller's own. */
  informers?: InformerSource;
  onError?: (message: string, error: unknown) => void;
}

function terminal(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Our own PodScheduled writes come back as updates; they are no reason to try again. */
function onlyStatusChanged(oldPod: KubeObject, pod: KubeObject): boolean {
  return (
    JSON.stringify(oldPod.spec) === JSON.stringify(pod.spec) &&
    JSON.stringify(oldPod.metadata.labels) === JSON.stringify(pod.metadata.labels) &&
    oldPod.metadata.deletionTimestamp === pod.metadata.deletionTimestamp
  );
}

/** What of a node the filters read: labels, spec, allocatable and condition statuses. */
function schedulingView(node: KubeObject): string {
  const status = isPlainObject(node.status) ? node.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isPlainObject) : [];
  return JSON.stringify([
    node.metadata.labels,
    node.spec,
    status.allocatable,
    conditions.map((c) => `${String(c.type)}=${String(c.status)}`),
  ]);
}

function hasPodAffinity(pod: KubeObject): boolean {
  const affinity = (pod.spec as { affinity?: Record<string, unknown> } | undefined)?.affinity;
  return !!affinity && (!!affinity.podAffinity || !!affinity.podAntiAffinity);
}

function nodeNameOf(pod: KubeObject): string | undefined {
  const name = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  return name || undefined;
}

/**
 * The default scheduler: binds every pending pod whose `schedulerName` is
 * `default-scheduler` to a node through `pods/binding`, one pod at a time so no node is
 * over-committed. A pod no node accepts stays Pending with `PodScheduled=False`
 * (`Unschedulable`) and a `FailedScheduling` event worded like kube-scheduler's; it is
 * retried whenever nodes or pods change (and every five minutes).
 */
export function startScheduler(options: SchedulerOptions): {
  readonly name: string;
  stop(): Promise<void>;
  isIdle(): boolean;
} {
  const { api, clock } = options;
  const onError = options.onError ?? (() => undefined);
  const recorder = new EventRecorder(api, { component: 'default-scheduler' }, clock);
  const informers = new InformerSet(api, options.informers);
  const pods = informers.get(PODS);
  const nodes = informers.get(NODES);
  const claims = informers.get(PVCS);
  const namespaces = informers.get(NAMESPACES);
  const storageClasses = informers.get(STORAGE_CLASSES);
  // Bindings made but not yet seen in the cache: counted on their node meanwhile.
  const assumed = new Map<string, { uid: string; node: string; pod: KubeObject }>();
  const waiting = new Set<string>();

  const controller = new Controller({
    name: 'scheduler',
    clock,
    workers: 1,
    reconcile: (key) => schedule(key),
    onError: (key, error) => onError(`scheduling ${key} failed`, error),
  });

  const retryWaiting = () => {
    for (const key of waiting) controller.enqueue(key);
  };

  pods.addHandlers({
    add: (pod) => {
      if (wantsScheduling(pod)) controller.enqueue(objectKey(pod));
    },
    update: (oldPod, pod) => {
      const key = objectKey(pod);
      if (nodeNameOf(pod)) {
        assumed.delete(key);
        // A bound pod finishing frees room for the waiting ones.
        if (terminal(pod) !== terminal(oldPod)) retryWaiting();
      } else if (wantsScheduling(pod) && !onlyStatusChanged(oldPod, pod)) controller.enqueue(key);
    },
    delete: (pod) => {
      const key = objectKey(pod);
      assumed.delete(key);
      waiting.delete(key);
      if (nodeNameOf(pod)) retryWaiting();
    },
  });
  nodes.addHandlers({
    add: retryWaiting,
    // A heartbeat alone changes nothing a filter looks at.
    update: (oldNode, node) => {
      if (schedulingView(oldNode) !== schedulingView(node)) retryWaiting();
    },
    delete: retryWaiting,
  });
  claims.addHandlers({ add: retryWaiting, update: retryWaiting });

  function nodeInfos(): NodeInfo[] {
    const byNode = new Map<string, NodeInfo>();
    for (const node of nodes.list()) {
      byNode.set(node.metadata.name ?? '', { node, pods: [], requested: {} });
    }
    const place = (pod: KubeObject, nodeName: string) => {
      const info = byNode.get(nodeName);
      if (!info) return;
      info.pods.push(pod);
      for (const [name, amount] of Object.entries(podRequests(pod))) {
        info.requested[name] = (info.requested[name] ?? 0) + amount;
      }
    };
    for (const pod of pods.list()) {
      const nodeName = nodeNameOf(pod);
      if (nodeName && !terminal(pod)) place(pod, nodeName);
    }
    for (const [key, entry] of assumed) {
      const cached = pods.get(key);
      if (cached && cached.metadata.uid === entry.uid && !nodeNameOf(cached)) place(entry.pod, entry.node);
      else if (!cached || cached.metadata.uid !== entry.uid) assumed.delete(key);
    }
    return [...byNode.values()].sort((a, b) =>
      (a.node.metadata.name ?? '').localeCompare(b.node.metadata.name ?? ''),
    );
  }

  function schedule(key: string): { requeueAfterMs: number } | void {
    const pod = pods.get(key);
    if (!pod || !wantsScheduling(pod)) {
      waiting.delete(key);
      return;
    }
    const pending = assumed.get(key);
    if (pending && pending.uid === pod.metadata.uid) return;
    const gates = (pod.spec as { schedulingGates?: unknown[] } | undefined)?.schedulingGates;
    if (Array.isArray(gates) && gates.length > 0) {
      // Gated pods wait untouched until their gates are removed (a spec change re-queues them).
      waiting.delete(key);
      setScheduledFalse(pod, 'SchedulingGated', 'Scheduling is blocked due to non-empty scheduling gates');
      return;
    }
    const infos = nodeInfos();
    const podWide =
      infos.length > 0
        ? volumePreFilter(pod, {
            claim: (namespace, name) => claims.get(`${namespace}/${name}`),
            storageClass: (name) => storageClasses.get(name),
          })
        : undefined;
    const view: ClusterView = {
      all: infos,
      namespaceLabels: (name) => namespaces.get(name)?.metadata.labels,
      anyPodAffinity: hasPodAffinity(pod) || infos.some((info) => info.pods.some(hasPodAffinity)),
    };
    const feasible: NodeInfo[] = [];
    const reasons: string[][] = [];
    if (!podWide) {
      for (const info of infos) {
        const failed = filterNode(pod, info, view);
        if (failed.length === 0) feasible.push(info);
        else reasons.push(failed);
      }
    }
    const chosen = pickNode(pod, feasible, view);
    if (!chosen) {
      waiting.add(key);
      markUnschedulable(pod, failureMessage(infos.length, reasons, podWide));
      return { requeueAfterMs: UNSCHEDULABLE_RETRY_MS };
    }
    waiting.delete(key);
    const nodeName = chosen.node.metadata.name ?? '';
    const { namespace, name } = splitKey(key);
    try {
      api.create(
        PODS,
        namespace,
        {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name, namespace, uid: pod.metadata.uid },
          target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
        },
        { subresource: 'binding' },
      );
    } catch (error) {
      // Bound or deleted meanwhile: the cache will tell; nothing to retry.
      if (error instanceof ApiError && (error.code === 409 || error.code === 404)) return;
      throw error;
    }
    assumed.set(key, { uid: pod.metadata.uid ?? '', node: nodeName, pod });
    recorder.record(
      { ...pod, apiVersion: 'v1', kind: 'Pod' },
      'Normal',
      'Scheduled',
      `Successfully assigned ${namespace}/${name} to ${nodeName}`,
    );
  }

  function markUnschedulable(pod: KubeObject, message: string): void {
    recorder.record({ ...pod, apiVersion: 'v1', kind: 'Pod' }, 'Warning', 'FailedScheduling', message);
    setScheduledFalse(pod, 'Unschedulable', message);
  }

  function setScheduledFalse(pod: KubeObject, reason: string, message: string): void {
    const status = isPlainObject(pod.status) ? pod.status : {};
    const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isPlainObject) : [];
    const existing = conditions.find((c) => c.type === 'PodScheduled');
    if (
      existing &&
      existing.status === 'False' &&
      existing.reason === reason &&
      existing.message === message
    ) {
      return;
    }
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime:
        existing?.status === 'False'
          ? existing.lastTransitionTime
          : clock
              .now()
              .toISOString()
              .replace(/\.\d+Z$/, 'Z'),
      reason,
      message,
    };
    const next = [...conditions.filter((c) => c.type !== 'PodScheduled'), condition];
    try {
      api.update(
        PODS,
        pod.metadata.namespace,
        { ...pod, status: { ...status, phase: status.phase ?? 'Pending', conditions: next } },
        { subresource: 'status' },
      );
    } catch (error) {
      // A stale copy: the pod changed, which queues it again anyway.
      if (!(error instanceof ApiError && (error.code === 409 || error.code === 404))) throw error;
    }
  }

  informers.start();
  controller.start();
  return {
    name: 'scheduler',
    isIdle: () => controller.queue.isIdle(),
    async stop() {
      informers.stop();
      await controller.stop();
    },
  };
}
