import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../k8s-object';
import { openWorkloadHarness } from '../controllers/workload-common/testing/harness';
import type { WorkloadHarness } from '../controllers/workload-common/testing/harness';
import { NODES, PODS } from '../controllers/workload-common/resources';
import { startScheduler } from './scheduler';

let h: WorkloadHarness;
let scheduler: { stop(): Promise<void> };

beforeEach(() => {
  h = openWorkloadHarness();
  scheduler = startScheduler({ api: h.api, clock: h.clock });
});
afterEach(async () => {
  await scheduler.stop();
  h.close();
});

function pod(
  name: string,
  spec: Record<string, unknown> = {},
  owner?: { name: string; uid: string },
): KubeObject {
  return h.api.create(PODS, 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      ...(owner
        ? {
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: owner.name,
                uid: owner.uid,
                controller: true,
              },
            ],
          }
        : {}),
    },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
  });
}

function nodeOf(name: string): string | undefined {
  return (h.api.get(PODS, 'default', name).spec as { nodeName?: string }).nodeName;
}

function scheduledCondition(name: string): Record<string, unknown> | undefined {
  const status = h.api.get(PODS, 'default', name).status as { conditions?: Array<Record<string, unknown>> };
  return status.conditions?.find((c) => c.type === 'PodScheduled');
}

describe('scheduler', () => {
  it('spreads four replicas of one owner 2+2 over two nodes and records Scheduled', async () => {
    h.addNode('kubedesk');
    h.addNode('kubedesk-m02');
    const owner = { name: 'web-abc', uid: '11111111-2222-3333-4444-555555555555' };
    for (let i = 0; i < 4; i++) pod(`web-${i}`, {}, owner);
    await h.run(200);
    const placement = [0, 1, 2, 3].map((i) => nodeOf(`web-${i}`));
    expect(placement.filter((n) => n === 'kubedesk')).toHaveLength(2);
    expect(placement.filter((n) => n === 'kubedesk-m02')).toHaveLength(2);
    expect(scheduledCondition('web-0')?.status).toBe('True');
    const messages = h.events('Scheduled').map((e) => e.message);
    expect(messages).toContain(`Successfully assigned default/web-0 to ${placement[0]}`);
    expect(h.events('Scheduled')[0].source).toEqual({ component: 'default-scheduler' });
  });

  it('leaves a pod Pending with a Kubernetes-worded FailedScheduling, then places it when a node fits', async () => {
    h.addNode('kubedesk', {
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
    });
    h.addNode('kubedesk-m02', { labels: { disk: 'hdd' } });
    pod('db', { nodeSelector: { disk: 'ssd' } });
    await h.run(200);
    expect(nodeOf('db')).toBeUndefined();
    const message =
      "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, " +
      '1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. ' +
      'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.';
    expect(scheduledCondition('db')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    const failed = h.events('FailedScheduling');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ type: 'Warning', message });
    expect((h.api.get(PODS, 'default', 'db').status as { phase: string }).phase).toBe('Pending');

    const node = h.api.get(NODES, undefined, 'kubedesk-m02');
    h.api.update(NODES, undefined, { ...node, metadata: { ...node.metadata, labels: { disk: 'ssd' } } });
    await h.run(200);
    expect(nodeOf('db')).toBe('kubedesk-m02');
  });

  it('counts requests of bound pods against allocatable and retries when a pod goes away', async () => {
    h.addNode('small', { allocatable: { cpu: '1', memory: '1Gi', pods: '110' } });
    const big = { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '600m' } } }] };
    pod('a', big);
    pod('b', big);
    await h.run(200);
    expect(nodeOf('a')).toBe('small');
    expect(nodeOf('b')).toBeUndefined();
    expect(scheduledCondition('b')?.message).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
    h.api.delete(PODS, 'default', 'a', { gracePeriodSeconds: 0 });
    await h.run(200);
    expect(nodeOf('b')).toBe('small');
  });

  it('honours cordon (unschedulable), tolerations, required and preferred node affinity, and host ports', async () => {
    h.addNode('n1', { unschedulable: true });
    h.addNode('n2', {
      labels: { zone: 'a' },
      taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }],
    });
    h.addNode('n3', { labels: { zone: 'b' } });
    pod('plain');
    pod('tolerant', {
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }],
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 10,
              preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
            },
          ],
        },
      },
    });
    pod('required', {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }],
          },
        },
      },
    });
    await h.run(200);
    expect(nodeOf('plain')).toBe('n3');
    expect(nodeOf('tolerant')).toBe('n2');
    expect(nodeOf('required')).toBeUndefined();
    expect(scheduledCondition('required')?.message).toBe(
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );

    const withPort = {
      containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80, hostPort: 8080 }] }],
    };
    pod('port-1', withPort);
    pod('port-2', withPort);
    await h.run(200);
    expect(nodeOf('port-1')).toBe('n3');
    expect(nodeOf('port-2')).toBeUndefined();
    expect(scheduledCondition('port-2')?.message).toBe(
      "0/3 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
    );

    // uncordon: the waiting pods get n1
    const n1 = h.api.get(NODES, undefined, 'n1');
    h.api.update(NODES, undefined, { ...n1, spec: { ...(n1.spec as object), unschedulable: false } });
    await h.run(200);
    expect(nodeOf('required')).toBe('n1');
    expect(nodeOf('port-2')).toBe('n1');
  });

  it('ignores pods for other schedulers and answers with no nodes at all', async () => {
    pod('custom', { schedulerName: 'my-scheduler' });
    pod('lonely');
    await h.run(200);
    expect(scheduledCondition('custom')).toBeUndefined();
    expect(scheduledCondition('lonely')?.message).toBe('no nodes available to schedule pods');
  });
});

describe('scheduler: scheduling gates', () => {
  it('leaves gated pods alone until the gates are removed', async () => {
    h.addNode('kubedesk');
    pod('gated', { schedulingGates: [{ name: 'example.com/wait' }] });
    await h.run(200);
    expect(nodeOf('gated')).toBeUndefined();
    expect(scheduledCondition('gated')).toMatchObject({
      status: 'False',
      reason: 'SchedulingGated',
      message: 'Scheduling is blocked due to non-empty scheduling gates',
    });
    expect(h.events('FailedScheduling')).toHaveLength(0);
    const current = h.api.get(PODS, 'default', 'gated');
    h.api.update(PODS, 'default', { ...current, spec: { ...(current.spec as object), schedulingGates: [] } });
    await h.run(200);
    expect(nodeOf('gated')).toBe('kubedesk');
  });
});

describe('scheduler: claims, pod affinity and topology spread', () => {
  const PVCS = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };

  it("waits for the pod's claims to exist and bind", async () => {
    h.addNode('kubedesk');
    pod('db', { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] });
    await h.run(200);
    expect(scheduledCondition('db')?.message).toBe(
      '0/1 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    const claim = h.api.create(PVCS, 'default', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    await h.run(200);
    expect(scheduledCondition('db')?.message).toBe(
      '0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    h.api.update(PVCS, 'default', { ...claim, status: { phase: 'Bound' } }, { subresource: 'status' });
    await h.run(200);
    expect(nodeOf('db')).toBe('kubedesk');
  });

  it('keeps anti-affine replicas apart and affine pods together', async () => {
    h.addNode('n1');
    h.addNode('n2');
    const antiAffinity = {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      },
    };
    for (const name of ['cache-0', 'cache-1', 'cache-2']) {
      h.api.create(PODS, 'default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels: { app: 'cache' } },
        spec: { containers: [{ name: 'c', image: 'busybox' }], ...antiAffinity },
      });
      await h.run(100);
    }
    expect([nodeOf('cache-0'), nodeOf('cache-1')].sort()).toEqual(['n1', 'n2']);
    expect(nodeOf('cache-2')).toBeUndefined();
    expect(scheduledCondition('cache-2')?.message).toBe(
      "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
    );
    pod('sidecar', {
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      },
    });
    await h.run(200);
    expect(['n1', 'n2']).toContain(nodeOf('sidecar'));
  });

  it('honours DoNotSchedule topology spread constraints', async () => {
    h.addNode('n1');
    h.addNode('n2', { allocatable: { cpu: '64', memory: '64Gi', pods: '110' } });
    const spread = {
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { app: 'web' } },
        },
      ],
      nodeSelector: {},
    };
    for (let i = 0; i < 4; i++) {
      h.api.create(PODS, 'default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `web-${i}`, labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: 'busybox' }], ...spread },
      });
    }
    await h.run(300);
    const placement = [0, 1, 2, 3].map((i) => nodeOf(`web-${i}`));
    expect(placement.filter((n) => n === 'n1')).toHaveLength(2);
    expect(placement.filter((n) => n === 'n2')).toHaveLength(2);
  });
});

describe('scheduler under a burst', () => {
  it('binds 600 pods over three nodes without over-committing', async () => {
    const local = openWorkloadHarness();
    const running = startScheduler({ api: local.api, clock: local.clock });
    try {
      for (const name of ['a', 'b', 'c'])
        local.addNode(name, { allocatable: { cpu: '100', memory: '64Gi', pods: '210' } });
      const started = Date.now();
      for (let i = 0; i < 600; i++) {
        local.api.create(PODS, 'default', {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `p-${i}` },
          spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m' } } }] },
        });
      }
      for (let round = 0; round < 50; round++) {
        await local.run(100);
        const pending = local.pods().filter((p) => !(p.spec as { nodeName?: string }).nodeName);
        if (pending.length === 0) break;
      }
      const counts = new Map<string, number>();
      for (const p of local.pods()) {
        const node = (p.spec as { nodeName?: string }).nodeName ?? 'none';
        counts.set(node, (counts.get(node) ?? 0) + 1);
      }
      expect(Object.fromEntries(counts)).toEqual({ a: 200, b: 200, c: 200 });
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await running.stop();
      local.close();
    }
  }, 30_000);
});
