import type { ObjectApi } from '../../apiserver/object-api';
import { ApiError } from '../../apiserver/status';
import type { KubeObject } from '../../k8s-object';
import { isPlainObject } from '../../k8s-object';
import { nodeReadyStatus } from '../../scheduler/predicates';
import type { Clock } from '../runtime/clock';
import { Controller } from '../runtime/controller';
import type { ReconcileResult } from '../runtime/controller';
import { EventRecorder } from '../runtime/event-recorder';
import { isTerminal, rec, sameJson } from '../workload-common/pods';
import { LEASES, NODES, PODS } from '../shared/resources';
import { desiredTaints, evictionTime } from './taints';
import { InformerSet } from '../workload-common/informers';
import type { InformerSource } from '../workload-common/informers';
import { formatTime } from '../shared/api-helpers';

/** How long a node may go without renewing its Lease before it counts as unreachable. */
export const NODE_MONITOR_GRACE_MS = 40_000;
/** How long pods bound to a node that does not exist are left before they are removed. */
export const ORPHAN_POD_QUARANTINE_MS = 40_000;
const LEASE_NAMESPACE = 'kube-node-lease';
const WATCHDOG_MS = 5_000;
const WATCHDOG_SLACK_MS = 10_000;

export interface NodeLifecycleOptions {
  api: ObjectApi;
  clock: Clock;
  /** Shared informers (e.g. the engine's factory); default: the controller's own. */
  informers?: InformerSource;
  onError?: (message: string, error: unknown) => void;
}

function nodeNameOf(pod: KubeObject): string | undefined {
  const name = rec(pod.spec).nodeName;
  return typeof name === 'string' && name ? name : undefined;
}

/**
 * The node lifecycle controller: a node whose Lease in kube-node-lease has not been renewed
 * for 40 s gets its conditions set to Unknown ("Kubelet stopped posting node status."), its
 * pods marked not Ready, and the `node.kubernetes.io/unreachable` NoSchedule/NoExecute
 * taints; Ready=False gives the not-ready taints; cordoned nodes get the unschedulable
 * taint. Pods on nodes with NoExecute taints are evicted when their toleration runs out
 * (immediately for untolerated taints, after 300 s for not-ready/unreachable without a
 * toleration). Pods bound to nodes that no longer exist are removed after 40 s.
 */
export function startNodeLifecycleController(options: NodeLifecycleOptions): {
  readonly name: string;
  stop(): Promise<void>;
  isIdle(): boolean;
} {
  const { api, clock } = options;
  const onError = options.onError ?? (() => undefined);
  const nodeRecorder = new EventRecorder(api, { component: 'node-controller' }, clock);
  const evictionRecorder = new EventRecorder(api, { component: 'taint-eviction-controller' }, clock);
  const informers = new InformerSet(api, options.informers);
  const nodes = informers.get(NODES);
  const leases = informers.get(LEASES);
  const pods = informers.get(PODS);
  const missingSince = new Map<string, number>();
  const observed = new Map<string, { beat: string; at: number }>();
  const registered = new Set<string>();
  const controller = new Controller({
    name: 'node-lifecycle',
    clock,
    reconcile: (key) => reconcile(key),
    onError: (key, error) => onError(`node lifecycle of ${key} failed`, error),
  });
  nodes.addHandlers({
    add: (node) => controller.enqueue(node.metadata.name ?? ''),
    update: (_old, node) => controller.enqueue(node.metadata.name ?? ''),
    delete: (node) => controller.enqueue(node.metadata.name ?? ''),
  });
  // Node leases only (the informer may be a shared one over every namespace).
  const onLease = (lease: KubeObject) => {
    if (lease.metadata.namespace === LEASE_NAMESPACE) controller.enqueue(lease.metadata.name ?? '');
  };
  leases.addHandlers({ add: onLease, update: (_old, lease) => onLease(lease) });
  const onPod = (pod: KubeObject) => {
    const name = nodeNameOf(pod);
    if (name) controller.enqueue(name);
  };
  pods.addHandlers({ add: onPod, update: (_old, pod) => onPod(pod) });

  const podsOn = (name: string) => pods.list((p) => nodeNameOf(p) === name);

  function reconcile(name: string): ReconcileResult | void {
    noticeTimeJump();
    const node = nodes.get(name);
    const now = clock.now();
    if (!node) {
      observed.delete(name);
      return removeOrphans(name, now);
    }
    missingSince.delete(name);
    if (!registered.has(name)) {
      registered.add(name);
      nodeRecorder.record(
        { ...node, apiVersion: 'v1', kind: 'Node' },
        'Normal',
        'RegisteredNode',
        `Node ${name} event: Registered Node ${name} in Controller`,
      );
    }
    let requeue: number | undefined;
    const soon = (ms: number) => {
      requeue = requeue === undefined ? ms : Math.min(requeue, ms);
    };

    let current = node;
    const lastSeen = lastHeartbeat(node);
    const silentFor = now.getTime() - lastSeen;
    if (silentFor >= NODE_MONITOR_GRACE_MS) {
      if (nodeReadyStatus(node) !== 'Unknown') current = markUnknown(node, now);
    } else {
      soon(NODE_MONITOR_GRACE_MS - silentFor);
    }

    const taints = desiredTaints(current, now);
    const existing = rec(current.spec).taints;
    if (!sameJson(taints, Array.isArray(existing) ? existing : [])) {
      const spec = { ...rec(current.spec) };
      if (taints.length) spec.taints = taints;
      else delete spec.taints;
      current = api.update(NODES, undefined, { ...current, spec });
    }

    for (const pod of podsOn(name)) {
      if (pod.metadata.deletionTimestamp) continue;
      const at = evictionTime(pod, taints, now);
      if (at === undefined) continue;
      if (at <= now.getTime()) evict(pod);
      else soon(at - now.getTime());
    }
    return requeue === undefined ? undefined : { requeueAfterMs: requeue };
  }

  /**
   * When this controller last saw the node's heartbeat change, on its own clock (as upstream
   * keeps a probe timestamp): a node first seen gets a full grace period, and the renew
   * time's own clock never matters.
   */
  function lastHeartbeat(node: KubeObject): number {
    const name = node.metadata.name ?? '';
    const lease = leases.get(`${LEASE_NAMESPACE}/${name}`);
    const conditions = rec(node.status).conditions;
    const ready = (Array.isArray(conditions) ? conditions : []).find(
      (c) => isPlainObject(c) && c.type === 'Ready',
    );
    const beat = `${String(rec(lease?.spec).renewTime ?? '')}|${String(rec(ready).lastHeartbeatTime ?? '')}`;
    const seen = observed.get(name);
    if (seen && seen.beat === beat) return seen.at;
    const at = clock.now().getTime();
    observed.set(name, { beat, at });
    return at;
  }

  // A suspended machine (laptop sleep) moves the wall clock without any kubelet being at
  // fault: time the controller did not run is not held against the nodes, the way
  // upstream's monotonic clock does not advance during suspend.
  let lastTick = clock.now().getTime();
  let cancelWatchdog = () => {};
  const noticeTimeJump = () => {
    const now = clock.now().getTime();
    const gap = now - lastTick - WATCHDOG_MS;
    if (gap > WATCHDOG_SLACK_MS) {
      for (const entry of observed.values()) entry.at += gap;
      for (const name of observed.keys()) controller.enqueue(name);
    }
    lastTick = Math.max(lastTick, now - WATCHDOG_MS);
  };
  const watchdog = () => {
    noticeTimeJump();
    lastTick = clock.now().getTime();
    cancelWatchdog = clock.setTimer(WATCHDOG_MS, watchdog);
  };

  function markUnknown(node: KubeObject, now: Date): KubeObject {
    const status = rec(node.status);
    const time = formatTime(now);
    const types = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'];
    const old = (Array.isArray(status.conditions) ? status.conditions : []).filter(isPlainObject);
    const conditions = [
      ...old.filter((c) => !types.includes(String(c.type))),
      ...types.map((type) => {
        const before = old.find((c) => c.type === type);
        return {
          type,
          status: 'Unknown',
          lastHeartbeatTime: before?.lastHeartbeatTime ?? null,
          lastTransitionTime: time,
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
        };
      }),
    ];
    const updated = api.update(
      NODES,
      undefined,
      { ...node, status: { ...status, conditions } },
      { subresource: 'status' },
    );
    const name = node.metadata.name ?? '';
    nodeRecorder.record(
      { ...node, apiVersion: 'v1', kind: 'Node' },
      'Normal',
      'NodeNotReady',
      `Node ${name} status is now: NodeNotReady`,
    );
    for (const pod of podsOn(name)) markPodNotReady(pod, time);
    return updated;
  }

  function markPodNotReady(pod: KubeObject, time: string): void {
    if (isTerminal(pod)) return;
    const status = rec(pod.status);
    const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter(isPlainObject);
    const ready = conditions.find((c) => c.type === 'Ready');
    if (ready?.status === 'False') return;
    const next = [
      ...conditions.filter((c) => c.type !== 'Ready'),
      { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: time },
    ];
    try {
      api.update(
        PODS,
        pod.metadata.namespace,
        { ...pod, status: { ...status, conditions: next } },
        { subresource: 'status' },
      );
      nodeRecorder.record(
        { ...pod, apiVersion: 'v1', kind: 'Pod' },
        'Warning',
        'NodeNotReady',
        'Node is not ready',
      );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }

  function evict(pod: KubeObject): void {
    const namespace = pod.metadata.namespace;
    const name = pod.metadata.name ?? '';
    try {
      const status = rec(pod.status);
      const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter(
        (c) => !(isPlainObject(c) && c.type === 'DisruptionTarget'),
      );
      conditions.push({
        type: 'DisruptionTarget',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: formatTime(clock.now()),
        reason: 'DeletionByTaintManager',
        message: 'Taint manager: deleting due to NoExecute taint',
      });
      api.update(PODS, namespace, { ...pod, status: { ...status, conditions } }, { subresource: 'status' });
    } catch (error) {
      // The condition is informative; the eviction itself must still happen.
      if (!(error instanceof ApiError)) throw error;
    }
    evictionRecorder.record(
      { ...pod, apiVersion: 'v1', kind: 'Pod' },
      'Normal',
      'TaintManagerEviction',
      `Marking for deletion Pod ${namespace}/${name}`,
    );
    try {
      api.delete(PODS, namespace, name, { preconditions: { uid: pod.metadata.uid } });
    } catch (error) {
      if (!(error instanceof ApiError && (error.code === 404 || error.code === 409))) throw error;
    }
  }

  function removeOrphans(name: string, now: Date): ReconcileResult | void {
    const orphans = podsOn(name);
    if (orphans.length === 0) {
      missingSince.delete(name);
      return;
    }
    const since = missingSince.get(name) ?? now.getTime();
    missingSince.set(name, since);
    const left = since + ORPHAN_POD_QUARANTINE_MS - now.getTime();
    if (left > 0) return { requeueAfterMs: left };
    for (const pod of orphans) {
      try {
        api.delete(PODS, pod.metadata.namespace, pod.metadata.name ?? '', {
          gracePeriodSeconds: 0,
          preconditions: { uid: pod.metadata.uid },
        });
      } catch (error) {
        if (!(error instanceof ApiError && (error.code === 404 || error.code === 409))) throw error;
      }
    }
    missingSince.delete(name);
  }

  informers.start();
  controller.start();
  cancelWatchdog = clock.setTimer(WATCHDOG_MS, watchdog);
  return {
    name: 'node-lifecycle',
    isIdle: () => controller.queue.isIdle(),
    async stop() {
      cancelWatchdog();
      informers.stop();
      await controller.stop();
    },
  };
}
