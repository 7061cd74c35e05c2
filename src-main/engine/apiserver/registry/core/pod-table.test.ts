import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import { podsResource } from './pods';

const now = new Date('2026-03-01T12:00:00Z');
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();
const MIN = 60_000;

function pod(
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  extra: Partial<KubeObject['metadata']> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-7d4b9',
      namespace: 'default',
      creationTimestamp: ago(10 * MIN) as unknown as Date,
      ...extra,
    },
    spec,
    status,
  };
}

const cells = (p: KubeObject): unknown[] => podsResource.table.cells(p, { now });

describe('pod table', () => {
  it('has the columns kubectl shows, wide ones marked', () => {
    expect(podsResource.table.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Ready:0',
      'Status:0',
      'Restarts:0',
      'Age:0',
      'IP:1',
      'Node:1',
      'Nominated Node:1',
      'Readiness Gates:1',
    ]);
  });

  it('prints a crash-looping pod as CrashLoopBackOff with "3 (2m ago)"', () => {
    const p = pod(
      { containers: [{ name: 'app' }], nodeName: 'kubedesk' },
      {
        phase: 'Running',
        podIPs: [{ ip: '10.244.0.7' }],
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(2 * MIN) } },
          },
        ],
      },
    );
    expect(cells(p)).toEqual([
      'web-7d4b9',
      '0/1',
      'CrashLoopBackOff',
      '3 (2m ago)',
      '10m',
      '10.244.0.7',
      'kubedesk',
      '<none>',
      '<none>',
    ]);
  });

  it('shows init progress, init failures and PodInitializing', () => {
    const spec = { initContainers: [{ name: 'migrate' }, { name: 'seed' }], containers: [{ name: 'app' }] };
    const running = pod(spec, {
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'migrate', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'seed', state: { running: {} } },
      ],
      containerStatuses: [{ name: 'app', state: { waiting: { reason: 'PodInitializing' } } }],
    });
    expect(cells(running).slice(1, 4)).toEqual(['0/1', 'Init:1/2', '0']);

    const failed = pod(spec, {
      phase: 'Pending',
      initContainerStatuses: [
        {
          name: 'migrate',
          restartCount: 2,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, finishedAt: ago(30_000) } },
        },
      ],
    });
    expect(cells(failed).slice(1, 4)).toEqual(['0/1', 'Init:CrashLoopBackOff', '2 (30s ago)']);

    const errored = pod(spec, {
      phase: 'Failed',
      initContainerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 2 } } }],
    });
    expect(cells(errored)[2]).toBe('Init:ExitCode:2');

    const initializing = pod(spec, {
      phase: 'Pending',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [
        { name: 'migrate', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'seed', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      ],
      containerStatuses: [{ name: 'app', state: { waiting: { reason: 'PodInitializing' } } }],
    });
    expect(cells(initializing)[2]).toBe('PodInitializing');
  });

  it('shows ContainerCreating, Completed, NotReady, Terminating and Pending', () => {
    const creating = pod(
      { containers: [{ name: 'app' }] },
      {
        phase: 'Pending',
        containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }],
      },
    );
    expect(cells(creating)[2]).toBe('ContainerCreating');

    const done = pod(
      { containers: [{ name: 'job' }] },
      {
        phase: 'Succeeded',
        containerStatuses: [{ name: 'job', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
      },
    );
    expect(cells(done).slice(1, 3)).toEqual(['0/1', 'Completed']);

    const partly = pod(
      { containers: [{ name: 'a' }, { name: 'b' }] },
      {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          { name: 'a', ready: true, state: { running: {} } },
          { name: 'b', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
      },
    );
    expect(cells(partly).slice(1, 3)).toEqual(['1/2', 'NotReady']);

    const deleting = pod(
      { containers: [{ name: 'app' }] },
      { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }] },
      { deletionTimestamp: ago(1000) as unknown as Date },
    );
    expect(cells(deleting).slice(1, 3)).toEqual(['1/1', 'Terminating']);

    expect(cells(pod({ containers: [{ name: 'app' }] }, { phase: 'Pending' })).slice(1, 3)).toEqual([
      '0/1',
      'Pending',
    ]);
    const gated = pod(
      { containers: [{ name: 'app' }] },
      {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      },
    );
    expect(cells(gated)[2]).toBe('SchedulingGated');
  });

  it('counts ready sidecars and readiness gates', () => {
    const p = pod(
      {
        initContainers: [{ name: 'proxy', restartPolicy: 'Always' }],
        containers: [{ name: 'app' }],
        readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }],
      },
      {
        phase: 'Running',
        conditions: [
          { type: 'Initialized', status: 'True' },
          { type: 'example.com/lb', status: 'True' },
        ],
        initContainerStatuses: [
          {
            name: 'proxy',
            started: true,
            ready: true,
            restartCount: 1,
            state: { running: {} },
            lastState: { terminated: { exitCode: 137, finishedAt: ago(4 * MIN) } },
          },
        ],
        containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }],
      },
    );
    expect(cells(p).slice(1, 4)).toEqual(['2/2', 'Running', '1 (4m ago)']);
    expect(cells(p)[8]).toBe('1/2');
  });
});
