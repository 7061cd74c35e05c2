import type { ObjectApi } from '../../../apiserver/object-api';
import { ApiError } from '../../../apiserver/status';
import type { KubeObject } from '../../../k8s-object';
import type { Clock } from '../../runtime/clock';
import { Informer } from '../../runtime/informer';
import { objectKey } from '../../runtime/keys';
import { rec } from '../pods';
import { PODS } from '../../shared/resources';
import { formatTime } from '../../shared/api-helpers';

/** What a fake node does with a pod bound to it. */
export type PodOutcome = { run: true } | { exitCode: number };

export interface FakeKubeletOptions {
  api: ObjectApi;
  clock: Clock;
  /** Delay before a bound pod is Running and Ready (or finishes). Default 1000 ms. */
  startMs?: number;
  /** Default: keeps running. `{ exitCode }` ends the pod Succeeded (0) or Failed. */
  outcome?: (pod: KubeObject) => PodOutcome;
  /** Nodes whose pods stay untouched (a node that went away). */
  deadNodes?: Set<string>;
}

/**
 * A kubelet stand-in for controller tests: pods bound to a node become Running and Ready
 * after `startMs`, or finish with the outcome's exit code; pods marked for deletion are
 * removed at once (their grace period is over as far as a test cares).
 */
export function startFakeKubelet(options: FakeKubeletOptions): { stop(): void } {
  const { api, clock } = options;
  const startMs = options.startMs ?? 1000;
  const outcome = options.outcome ?? (() => ({ run: true as const }));
  const informer = new Informer(api, PODS);
  const started = new Set<string>();
  const cancels: Array<() => void> = [];

  const handle = (pod: KubeObject) => {
    const nodeName = rec(pod.spec).nodeName;
    if (typeof nodeName !== 'string' || !nodeName || options.deadNodes?.has(nodeName)) return;
    const key = `${objectKey(pod)}/${pod.metadata.uid}`;
    if (pod.metadata.deletionTimestamp) {
      cancels.push(
        clock.setTimer(0, () => {
          try {
            api.delete(PODS, pod.metadata.namespace, pod.metadata.name ?? '', {
              gracePeriodSeconds: 0,
              preconditions: { uid: pod.metadata.uid },
            });
          } catch (error) {
            if (!(error instanceof ApiError)) throw error;
          }
        }),
      );
      return;
    }
    if (started.has(key)) return;
    started.add(key);
    cancels.push(clock.setTimer(startMs, () => transition(pod)));
  };

  const transition = (bound: KubeObject) => {
    let pod: KubeObject;
    try {
      pod = api.get(PODS, bound.metadata.namespace, bound.metadata.name ?? '');
    } catch {
      return;
    }
    if (pod.metadata.uid !== bound.metadata.uid || pod.metadata.deletionTimestamp) return;
    const now = formatTime(clock.now());
    const result = outcome(pod);
    const containers = (rec(pod.spec).containers as Array<{ name: string; image: string }> | undefined) ?? [];
    const status = rec(pod.status);
    const others = (Array.isArray(status.conditions) ? status.conditions : []).filter(
      (c) => !['Ready', 'ContainersReady', 'Initialized'].includes(String(rec(c).type)),
    );
    const running = 'run' in result;
    const ready = running ? 'True' : 'False';
    const readyReason = running ? {} : { reason: 'PodCompleted' };
    api.update(
      PODS,
      pod.metadata.namespace,
      {
        ...pod,
        status: {
          ...status,
          phase: running ? 'Running' : result.exitCode === 0 ? 'Succeeded' : 'Failed',
          startTime: status.startTime ?? now,
          podIP: '10.244.0.10',
          conditions: [
            ...others,
            {
              type: 'Initialized',
              status: 'True',
              lastProbeTime: null,
              lastTransitionTime: now,
              ...readyReason,
            },
            { type: 'Ready', status: ready, lastProbeTime: null, lastTransitionTime: now, ...readyReason },
            {
              type: 'ContainersReady',
              status: ready,
              lastProbeTime: null,
              lastTransitionTime: now,
              ...readyReason,
            },
          ],
          containerStatuses: containers.map((c) => ({
            name: c.name,
            image: c.image,
            imageID: '',
            ready: running,
            restartCount: 0,
            started: running,
            state: running
              ? { running: { startedAt: now } }
              : {
                  terminated: {
                    exitCode: result.exitCode,
                    reason: result.exitCode === 0 ? 'Completed' : 'Error',
                    startedAt: now,
                    finishedAt: now,
                  },
                },
          })),
        },
      },
      { subresource: 'status' },
    );
  };

  informer.addHandlers({ add: handle, update: (_old, pod) => handle(pod) });
  informer.start();
  return {
    stop() {
      informer.stop();
      for (const cancel of cancels) cancel();
    },
  };
}
