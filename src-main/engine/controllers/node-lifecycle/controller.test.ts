import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { LEASES, NODES, PODS } from '../shared/resources';
import { openWorkloadHarness } from '../workload-common/testing/harness';
import type { WorkloadHarness } from '../workload-common/testing/harness';
import { startNodeLifecycleController } from './controller';
import { getOrUndefined } from '../shared/api-helpers';

let h: WorkloadHarness;
let stopController: () => Promise<void>;
const alive = new Set<string>();

function renew(name: string): void {
  const renewTime = h.clock.now().toISOString().replace(/Z$/, '000Z');
  const lease = getOrUndefined(h.api, LEASES, 'kube-node-lease', name);
  if (lease) {
    h.api.update(LEASES, 'kube-node-lease', { ...lease, spec: { ...(lease.spec as object), renewTime } });
  } else {
    h.api.create(LEASES, 'kube-node-lease', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime },
    });
  }
}

function heartbeat(): void {
  for (const name of alive) renew(name);
  h.clock.setTimer(10_000, heartbeat);
}

beforeEach(() => {
  h = openWorkloadHarness();
  alive.clear();
  for (const name of ['kubedesk', 'kubedesk-m02']) {
    h.addNode(name);
    alive.add(name);
  }
  heartbeat();
  const controller = startNodeLifecycleController({ api: h.api, clock: h.clock });
  stopController = () => controller.stop();
});
afterEach(async () => {
  await stopController();
  h.close();
});

function boundPod(name: string, node: string, tolerations?: unknown[]): KubeObject {
  return h.api.create(PODS, 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      nodeName: node,
      containers: [{ name: 'c', image: 'busybox' }],
      ...(tolerations ? { tolerations } : {}),
    },
  });
}

function readyOf(name: string): Record<string, unknown> | undefined {
  const status = h.api.get(NODES, undefined, name).status as { conditions: Array<Record<string, unknown>> };
  return status.conditions.find((c) => c.type === 'Ready');
}

function taintsOf(name: string): Array<{ key: string; effect: string }> {
  return (
    (h.api.get(NODES, undefined, name).spec as { taints?: Array<{ key: string; effect: string }> }).taints ??
    []
  ).map(({ key, effect }) => ({ key, effect }));
}

function deleting(name: string): boolean {
  const pod = getOrUndefined(h.api, PODS, 'default', name);
  return !pod || !!pod.metadata.deletionTimestamp;
}

describe('node lifecycle controller', () => {
  it('marks a silent node Unknown and taints it unreachable; evicts its pods after their toleration', async () => {
    boundPod('defaulted', 'kubedesk-m02'); // the API adds the 300 s tolerations
    boundPod('quick', 'kubedesk-m02', [
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 10,
      },
    ]);
    boundPod('forever', 'kubedesk-m02', [{ operator: 'Exists' }]);
    boundPod('healthy', 'kubedesk');
    await h.run(30_000, 1000);
    expect(readyOf('kubedesk-m02')?.status).toBe('True');
    alive.delete('kubedesk-m02');
    await h.run(45_000, 1000);
    expect(readyOf('kubedesk-m02')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    });
    expect(readyOf('kubedesk')?.status).toBe('True');
    expect(taintsOf('kubedesk-m02')).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
    ]);
    expect(taintsOf('kubedesk')).toEqual([]);
    const podReady = (
      h.api.get(PODS, 'default', 'defaulted').status as { conditions: Array<Record<string, unknown>> }
    ).conditions;
    expect(podReady.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(h.events('NodeNotReady').map((e) => e.message)).toContain(
      'Node kubedesk-m02 status is now: NodeNotReady',
    );
    expect(h.events('RegisteredNode').map((e) => e.message)).toContain(
      'Node kubedesk-m02 event: Registered Node kubedesk-m02 in Controller',
    );

    await h.run(12_000, 1000);
    expect(deleting('quick')).toBe(true);
    expect(deleting('defaulted')).toBe(false);
    await h.run(300_000, 5000);
    expect(deleting('defaulted')).toBe(true);
    expect(deleting('forever')).toBe(false);
    expect(deleting('healthy')).toBe(false);
    const quick = getOrUndefined(h.api, PODS, 'default', 'quick');
    expect((quick?.status as { conditions: Array<Record<string, unknown>> }).conditions).toContainEqual(
      expect.objectContaining({ type: 'DisruptionTarget', reason: 'DeletionByTaintManager' }),
    );
    expect(h.events('TaintManagerEviction').map((e) => e.message)).toContain(
      'Marking for deletion Pod default/quick',
    );

    // The kubelet comes back and reports Ready: the taints go.
    alive.add('kubedesk-m02');
    renew('kubedesk-m02');
    const node = h.api.get(NODES, undefined, 'kubedesk-m02');
    const status = node.status as { conditions: Array<Record<string, unknown>> };
    status.conditions = status.conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'True' } : c));
    h.api.update(NODES, undefined, node, { subresource: 'status' });
    await h.run(11_000, 1000);
    expect(taintsOf('kubedesk-m02')).toEqual([]);
  });

  it('taints cordoned nodes unschedulable and evicts pods that do not tolerate a NoExecute taint at once', async () => {
    boundPod('victim', 'kubedesk');
    let node = h.api.get(NODES, undefined, 'kubedesk');
    h.api.update(NODES, undefined, { ...node, spec: { ...(node.spec as object), unschedulable: true } });
    await h.run(1000);
    expect(taintsOf('kubedesk')).toEqual([{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
    expect(deleting('victim')).toBe(false);

    node = h.api.get(NODES, undefined, 'kubedesk');
    const spec = node.spec as { taints: unknown[]; unschedulable?: boolean };
    delete spec.unschedulable;
    spec.taints = [...spec.taints, { key: 'maintenance', effect: 'NoExecute' }];
    h.api.update(NODES, undefined, node);
    await h.run(1000);
    expect(taintsOf('kubedesk')).toEqual([{ key: 'maintenance', effect: 'NoExecute' }]);
    expect(deleting('victim')).toBe(true);
  });

  it('does not hold a suspended machine (a wall-clock jump) against the nodes', async () => {
    await stopController();
    let offset = 0;
    const clock = {
      now: () => new Date(h.clock.now().getTime() + offset),
      setTimer: (ms: number, callback: () => void) => h.clock.setTimer(ms, callback),
    };
    const controller = startNodeLifecycleController({ api: h.api, clock });
    stopController = () => controller.stop();
    await h.run(20_000, 1000);
    offset += 600_000;
    // something wakes the controller before any kubelet had a chance to renew its lease
    const node = h.api.get(NODES, undefined, 'kubedesk');
    h.api.update(NODES, undefined, { ...node, metadata: { ...node.metadata, labels: { woke: 'yes' } } });
    await h.run(500, 100);
    expect(readyOf('kubedesk')?.status).toBe('True');
    await h.run(8000, 1000);
    expect(readyOf('kubedesk')?.status).toBe('True');
    expect(taintsOf('kubedesk')).toEqual([]);
    // a node that really stays silent still goes Unknown
    alive.delete('kubedesk');
    await h.run(50_000, 1000);
    expect(readyOf('kubedesk')?.status).toBe('Unknown');
  });

  it('removes pods bound to a node that no longer exists', async () => {
    boundPod('stray', 'gone');
    await h.run(30_000, 1000);
    expect(getOrUndefined(h.api, PODS, 'default', 'stray')).toBeDefined();
    await h.run(15_000, 1000);
    expect(getOrUndefined(h.api, PODS, 'default', 'stray')).toBeUndefined();
  });
});
