import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ManagedContainer } from '../runtime/types';
import { computePodStatus, imageRef, type ContainerView } from './status';

const now = new Date('2026-01-01T00:01:00Z');

function instance(over: Partial<ManagedContainer>): ManagedContainer {
  return {
    id: 'abc',
    name: 'x',
    labels: {},
    role: 'app',
    container: 'main',
    restartCount: 0,
    state: 'running',
    exitCode: 0,
    oomKilled: false,
    image: 'busybox',
    imageId: 'sha256:1234',
    createdAt: '2026-01-01T00:00:00.5Z',
    startedAt: '2026-01-01T00:00:01.123456789Z',
    ...over,
  };
}

function pod(restartPolicy = 'Always', init = false): V1Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: {
      restartPolicy,
      containers: [{ name: 'main', image: 'busybox' }],
      ...(init ? { initContainers: [{ name: 'setup', image: 'busybox' }] } : {}),
    },
    status: {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'True',
          lastTransitionTime: '2026-01-01T00:00:00Z' as unknown as Date,
        },
      ],
    },
  };
}

const sandbox = instance({ role: 'sandbox', id: 'sb', ipAddress: '172.18.0.5' });
const view = (over: Partial<ContainerView> = {}): ContainerView => ({
  spec: { name: over.spec?.name ?? 'main', image: 'busybox' },
  ready: true,
  started: true,
  ...over,
});

describe('computePodStatus', () => {
  it('reports a running, ready pod like Kubernetes', () => {
    const status = computePodStatus({
      pod: pod(),
      sandbox,
      hostIP: '172.18.0.1',
      init: [],
      app: [view({ current: instance({}) })],
      now,
    });
    expect(status.phase).toBe('Running');
    expect(status.podIP).toBe('172.18.0.5');
    expect(status.hostIPs).toEqual([{ ip: '172.18.0.1' }]);
    expect(status.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
      ['PodScheduled', 'True'],
    ]);
    expect(status.containerStatuses?.[0]).toEqual({
      name: 'main',
      state: { running: { startedAt: '2026-01-01T00:00:01Z' } },
      lastState: {},
      ready: true,
      restartCount: 0,
      image: 'busybox',
      imageID: 'docker://sha256:1234',
      containerID: 'docker://abc',
      started: true,
    });
  });

  it('shows CrashLoopBackOff with the last termination, and an unready pod', () => {
    const crashed = instance({
      state: 'exited',
      exitCode: 2,
      restartCount: 3,
      finishedAt: '2026-01-01T00:00:30Z',
    });
    const status = computePodStatus({
      pod: pod(),
      sandbox,
      init: [],
      app: [view({ current: crashed, waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } })],
      now,
    });
    expect(status.phase).toBe('Running');
    const cs = status.containerStatuses?.[0] as Record<string, unknown>;
    expect(cs.state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } });
    expect(cs.lastState).toMatchObject({ terminated: { exitCode: 2, reason: 'Error' } });
    expect(cs.restartCount).toBe(3);
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [main]',
    });
  });

  it('derives Pending with init containers, then Succeeded and Failed by restart policy', () => {
    const pending = computePodStatus({
      pod: pod('Never', true),
      sandbox,
      init: [view({ spec: { name: 'setup' }, current: instance({}) })],
      app: [view()],
      now,
    });
    expect(pending.phase).toBe('Pending');
    expect((pending.containerStatuses?.[0] as { state: unknown }).state).toEqual({
      waiting: { reason: 'PodInitializing' },
    });
    expect(pending.conditions?.find((c) => c.type === 'Initialized')?.message).toBe(
      'containers with incomplete status: [setup]',
    );

    const done = instance({ state: 'exited', exitCode: 0 });
    const succeeded = computePodStatus({
      pod: pod('Never', true),
      sandbox,
      init: [view({ spec: { name: 'setup' }, current: done })],
      app: [view({ current: done })],
      now,
    });
    expect(succeeded.phase).toBe('Succeeded');
    expect(succeeded.conditions?.find((c) => c.type === 'Ready')?.reason).toBe('PodCompleted');

    const failed = computePodStatus({
      pod: pod('Never'),
      sandbox,
      init: [],
      app: [view({ current: instance({ state: 'exited', exitCode: 137, oomKilled: true }) })],
      now,
    });
    expect(failed.phase).toBe('Failed');
    expect(
      (failed.containerStatuses?.[0] as { state: { terminated: { reason: string } } }).state.terminated
        .reason,
    ).toBe('OOMKilled');

    const onFailure = computePodStatus({
      pod: pod('OnFailure'),
      sandbox,
      init: [],
      app: [view({ current: instance({ state: 'exited', exitCode: 1 }) })],
      now,
    });
    expect(onFailure.phase).toBe('Running');
  });

  it('keeps transition times of unchanged conditions and honours readiness gates', () => {
    const p = pod();
    p.spec!.readinessGates = [{ conditionType: 'example.com/lb' }];
    const first = computePodStatus({
      pod: p,
      sandbox,
      init: [],
      app: [view({ current: instance({}) })],
      now,
    });
    const ready = first.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady' });
    const later = computePodStatus({
      pod: { ...p, status: first as V1Pod['status'] },
      sandbox,
      init: [],
      app: [view({ current: instance({}) })],
      now: new Date('2026-01-01T00:05:00Z'),
    });
    expect(later.conditions?.find((c) => c.type === 'ContainersReady')?.lastTransitionTime).toBe(
      '2026-01-01T00:01:00Z',
    );
  });
});

describe('sidecars and init readiness', () => {
  it('reports a completed init container as ready, and a started sidecar as initialized', () => {
    const p: V1Pod = {
      metadata: { name: 'p', namespace: 'default', uid: 'u' },
      spec: {
        restartPolicy: 'Never',
        initContainers: [
          { name: 'setup', image: 'busybox' },
          { name: 'proxy', image: 'busybox', restartPolicy: 'Always' },
        ],
        containers: [{ name: 'main', image: 'busybox' }],
      },
      status: { phase: 'Pending' },
    };
    const done = instance({ state: 'exited', exitCode: 0 });
    const status = computePodStatus({
      pod: p,
      sandbox,
      init: [
        view({ spec: { name: 'setup' }, current: done }),
        view({ spec: { name: 'proxy', restartPolicy: 'Always' }, current: instance({}) }),
      ],
      app: [view({ current: instance({}) })],
      now,
    });
    expect(status.phase).toBe('Running');
    expect(status.initContainerStatuses?.map((s) => (s as { ready: boolean }).ready)).toEqual([true, true]);
    expect(status.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
    expect(status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');

    const finished = computePodStatus({
      pod: p,
      sandbox,
      init: [
        view({ spec: { name: 'setup' }, current: done }),
        view({ spec: { name: 'proxy', restartPolicy: 'Always' }, current: instance({}) }),
      ],
      app: [view({ current: done })],
      now,
    });
    expect(finished.phase).toBe('Succeeded');
  });
});

describe('PodScheduled', () => {
  it('is added for a pod that was bound by its manifest', () => {
    const p = pod();
    p.status = { phase: 'Pending' };
    const status = computePodStatus({
      pod: p,
      sandbox,
      init: [],
      app: [view({ current: instance({}) })],
      now,
    });
    expect(status.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({
      status: 'True',
      lastTransitionTime: '2026-01-01T00:01:00Z',
    });
  });
});

describe('imageRef', () => {
  it('reports registry images by digest and local images by id', () => {
    expect(imageRef('nginx:1.27', 'sha256:abc', ['nginx@sha256:def'])).toBe(
      'docker-pullable://nginx@sha256:def',
    );
    expect(
      imageRef('localhost:5000/app:v1', 'sha256:abc', ['other@sha256:1', 'localhost:5000/app@sha256:2']),
    ).toBe('docker-pullable://localhost:5000/app@sha256:2');
    expect(imageRef('myapp:dev', 'sha256:abc')).toBe('docker://sha256:abc');
    expect(imageRef('x', 'docker-pullable://x@sha256:1')).toBe('docker-pullable://x@sha256:1');
  });
});
