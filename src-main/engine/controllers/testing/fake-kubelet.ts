import type { ObjectApi } from '../../apiserver/object-api';
import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import type { Clock } from '../runtime/clock';
import { Controller } from '../runtime/controller';
import { Informer } from '../runtime/informer';
import { objectKey } from '../runtime/keys';
import { formatTime, ignoreNotFound } from '../shared/api-helpers';
import { PODS } from '../shared/resources';

/** What the fake node does with a pod. */
export type PodBehaviour =
  { kind: 'ready'; afterMs: number } | { kind: 'fail-pull' } | { kind: 'crash' } | { kind: 'never-ready' };

export interface FakeKubeletOptions {
  api: ObjectApi;
  clock: Clock;
  /** Node pods are bound to when nothing scheduled them (default `node-1`); undefined disables binding. */
  nodeName?: string | null;
  /** Default readiness delay (default 1000 ms). */
  readyAfterMs?: number;
  /** How long a deleted pod takes to terminate (default 0: at once). */
  terminateAfterMs?: number;
  /**
   * Per-pod behaviour. Default: images whose name contains `broken` or `does-not-exist`
   * fail to pull, `crash` crash-loop, everything else gets Ready after `readyAfterMs`.
   */
  behaviour?: (pod: KubeObject) => PodBehaviour;
}

export interface FakeKubelet {
  /** Forces a pod's readiness (true/false) from now on, e.g. a failing readiness probe. */
  setReady(namespace: string, name: string, ready: boolean): void;
  isIdle(): boolean;
  stop(): Promise<void>;
}

interface ContainerSpec {
  name?: string;
  image?: string;
}

function containers(pod: KubeObject): ContainerSpec[] {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  return Array.isArray(spec.containers) ? (spec.containers as ContainerSpec[]) : [];
}

function defaultBehaviour(readyAfterMs: number): (pod: KubeObject) => PodBehaviour {
  return (pod) => {
    const images = containers(pod).map((c) => c.image ?? '');
    if (images.some((i) => i.includes('broken') || i.includes('does-not-exist')))
      return { kind: 'fail-pull' };
    if (images.some((i) => i.includes('crash'))) return { kind: 'crash' };
    return { kind: 'ready', afterMs: readyAfterMs };
  };
}

/**
 * An in-memory node for controller tests: binds unscheduled pods to one node, reports them
 * Pending, then Running and Ready after a delay (on the injected clock), or fails their
 * image pulls / crash-loops them, and finishes graceful deletions. No containers run.
 */
export function startFakeKubelet(options: FakeKubeletOptions): FakeKubelet {
  const { api, clock } = options;
  const nodeName = options.nodeName === undefined ? 'node-1' : options.nodeName;
  const behaviour = options.behaviour ?? defaultBehaviour(options.readyAfterMs ?? 1000);
  const terminateAfterMs = options.terminateAfterMs ?? 0;
  const pods = new Informer(api, PODS);
  const firstSeen = new Map<string, number>();
  const forced = new Map<string, boolean>();
  let nextIp = 0;
  const ips = new Map<string, string>();

  const controller = new Controller({
    name: 'fake-kubelet',
    clock,
    workers: 4,
    reconcile: (key) => {
      const pod = pods.get(key);
      if (!pod) {
        firstSeen.delete(key);
        return;
      }
      const uidKey = `${key}/${pod.metadata.uid}`;
      const now = clock.now().getTime();
      if (pod.metadata.deletionTimestamp) {
        const since =
          Date.parse(String(pod.metadata.deletionTimestamp)) -
          (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
        const wait = since + terminateAfterMs - now;
        if (wait > 0) return { requeueAfterMs: wait };
        ignoreNotFound(() =>
          api.delete(PODS, pod.metadata.namespace, pod.metadata.name ?? '', { gracePeriodSeconds: 0 }),
        );
        return;
      }
      const spec = isPlainObject(pod.spec) ? pod.spec : {};
      if (!spec.nodeName) {
        if (!nodeName) return;
        ignoreNotFound(() =>
          api.create(
            PODS,
            pod.metadata.namespace,
            {
              apiVersion: 'v1',
              kind: 'Binding',
              metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace },
              target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
            },
            { subresource: 'binding' },
          ),
        );
        return;
      }
      let seen = firstSeen.get(uidKey);
      if (seen === undefined) {
        seen = now;
        firstSeen.set(uidKey, now);
      }
      const what = behaviour(pod);
      const force = forced.get(key);
      let ready = false;
      let requeue: number | undefined;
      if (force !== undefined) ready = force;
      else if (what.kind === 'ready') {
        ready = now >= seen + what.afterMs;
        if (!ready) requeue = seen + what.afterMs - now;
      }
      let ip = ips.get(uidKey);
      if (!ip) {
        const n = nextIp++;
        ip = `10.244.${Math.floor(n / 250) % 256}.${(n % 250) + 2}`;
        ips.set(uidKey, ip);
      }
      writeStatus(pod, what, ready, ip, new Date(seen));
      return requeue !== undefined ? { requeueAfterMs: requeue } : undefined;
    },
  });

  const writeStatus = (
    pod: KubeObject,
    what: PodBehaviour,
    ready: boolean,
    ip: string,
    started: Date,
  ): void => {
    const old = isPlainObject(pod.status) ? pod.status : {};
    const oldConditions = Array.isArray(old.conditions)
      ? (old.conditions as Array<Record<string, unknown>>)
      : [];
    const now = formatTime(clock.now());
    const condition = (type: string, status: boolean): Record<string, unknown> => {
      const value = status ? 'True' : 'False';
      const previous = oldConditions.find((c) => c.type === type);
      return {
        type,
        status: value,
        lastProbeTime: null,
        lastTransitionTime: previous && previous.status === value ? previous.lastTransitionTime : now,
        ...(status || type === 'PodScheduled' || type === 'Initialized'
          ? {}
          : { reason: 'ContainersNotReady' }),
      };
    };
    const running = what.kind === 'ready' || what.kind === 'never-ready';
    const phase = what.kind === 'fail-pull' ? 'Pending' : 'Running';
    const containerStatuses = containers(pod).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: what.kind === 'fail-pull' ? '' : `docker-pullable://${c.image}`,
      ready,
      restartCount: what.kind === 'crash' ? 1 : 0,
      started: running,
      state:
        what.kind === 'fail-pull'
          ? { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } }
          : what.kind === 'crash'
            ? { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container' } }
            : { running: { startedAt: formatTime(started) } },
      ...(what.kind === 'fail-pull' ? {} : { containerID: `docker://${pod.metadata.uid}-${c.name}` }),
    }));
    const status = {
      phase,
      conditions: [
        condition('Initialized', true),
        condition('Ready', ready),
        condition('ContainersReady', ready),
        condition('PodScheduled', true),
      ],
      hostIP: '192.168.49.2',
      hostIPs: [{ ip: '192.168.49.2' }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: old.startTime ?? formatTime(started),
      containerStatuses,
      qosClass: old.qosClass ?? 'BestEffort',
    };
    const comparable = (s: Record<string, unknown>) => JSON.stringify({ ...s, conditions: undefined });
    const sameConditions =
      JSON.stringify(status.conditions.map((c) => [c.type, c.status])) ===
      JSON.stringify(oldConditions.map((c) => [c.type, c.status]));
    if (sameConditions && comparable(status) === comparable(old)) return;
    ignoreNotFound(() =>
      api.update(
        PODS,
        pod.metadata.namespace,
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
          status,
        },
        { subresource: 'status', fieldManager: 'kubelet' },
      ),
    );
  };

  pods.addHandlers({
    add: (pod) => controller.enqueue(objectKey(pod)),
    update: (_old, pod) => controller.enqueue(objectKey(pod)),
    delete: (pod) => controller.enqueue(objectKey(pod)),
  });
  pods.start();
  controller.start();

  return {
    setReady(namespace, name, ready) {
      forced.set(`${namespace}/${name}`, ready);
      controller.enqueue(`${namespace}/${name}`);
    },
    isIdle: () => controller.queue.isIdle(),
    stop: async () => {
      pods.stop();
      await controller.stop();
    },
  };
}
