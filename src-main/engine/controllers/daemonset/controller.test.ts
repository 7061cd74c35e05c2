import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { startScheduler } from '../../scheduler';
import { CONTROLLER_REVISIONS, DAEMONSETS, NODES } from '../shared/resources';
import { startFakeKubelet } from '../workload-common/testing/fake-kubelet';
import { openWorkloadHarness } from '../workload-common/testing/harness';
import type { WorkloadHarness } from '../workload-common/testing/harness';
import { startDaemonSetController } from './controller';

let h: WorkloadHarness;
const stops: Array<() => unknown> = [];

beforeEach(() => {
  h = openWorkloadHarness();
  const scheduler = startScheduler({ api: h.api, clock: h.clock });
  const kubelet = startFakeKubelet({ api: h.api, clock: h.clock, startMs: 1000 });
  const daemonsets = startDaemonSetController({ api: h.api, clock: h.clock });
  stops.push(
    () => scheduler.stop(),
    () => kubelet.stop(),
    () => daemonsets.stop(),
  );
});
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  h.close();
});

function daemonSet(spec: Record<string, unknown> = {}, image = 'agent:1'): KubeObject {
  return h.api.create(DAEMONSETS, 'default', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image }] } },
      ...spec,
    },
  });
}

function nodesOfPods(): string[] {
  return h
    .pods()
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => (p.spec as { nodeName?: string }).nodeName ?? '')
    .sort();
}

function dsStatus(): Record<string, unknown> {
  return h.api.get(DAEMONSETS, 'default', 'agent').status as Record<string, unknown>;
}

describe('DaemonSet controller', () => {
  it('runs one pod per node, pinned by node affinity, including cordoned nodes but not tainted ones', async () => {
    h.addNode('kubedesk');
    h.addNode('kubedesk-m02', { unschedulable: true });
    h.addNode('gpu', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] });
    daemonSet();
    await h.run(3000);
    expect(nodesOfPods()).toEqual(['kubedesk', 'kubedesk-m02']);
    const pod = h.pods().find((p) => (p.spec as { nodeName: string }).nodeName === 'kubedesk') as KubeObject;
    expect(pod.metadata.name).toMatch(/^agent-[a-z0-9]{5}$/);
    expect((pod.spec as Record<string, unknown>).affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['kubedesk'] }] },
          ],
        },
      },
    });
    expect(pod.metadata.labels?.['controller-revision-hash']).toMatch(/^[a-z0-9]+$/);
    expect(dsStatus()).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 2,
      numberAvailable: 2,
      updatedNumberScheduled: 2,
      numberMisscheduled: 0,
      observedGeneration: 1,
    });
    expect(h.api.list(CONTROLLER_REVISIONS, { namespace: 'default' }).items).toHaveLength(1);

    // A new node gets its daemon; a deleted node's pod goes away.
    h.addNode('kubedesk-m03');
    await h.run(3000);
    expect(nodesOfPods()).toEqual(['kubedesk', 'kubedesk-m02', 'kubedesk-m03']);
    h.api.delete(NODES, undefined, 'kubedesk-m03');
    await h.run(1000);
    expect(nodesOfPods()).toEqual(['kubedesk', 'kubedesk-m02']);
  });

  it('follows the node selector when labels change', async () => {
    h.addNode('a', { labels: { role: 'edge' } });
    h.addNode('b');
    daemonSet({
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { nodeSelector: { role: 'edge' }, containers: [{ name: 'a', image: 'agent:1' }] },
      },
    });
    await h.run(2000);
    expect(nodesOfPods()).toEqual(['a']);
    const b = h.api.get(NODES, undefined, 'b');
    h.api.update(NODES, undefined, { ...b, metadata: { ...b.metadata, labels: { role: 'edge' } } });
    await h.run(2000);
    expect(nodesOfPods()).toEqual(['a', 'b']);
  });

  it('rolls a new template out one node at a time and records revisions', async () => {
    for (const n of ['n1', 'n2', 'n3']) h.addNode(n);
    daemonSet();
    await h.run(3000);
    const before = new Set(h.pods().map((p) => p.metadata.name));
    const ds = h.api.get(DAEMONSETS, 'default', 'agent');
    const spec = ds.spec as { template: { spec: { containers: Array<{ image: string }> } } };
    spec.template.spec.containers[0].image = 'agent:2';
    h.api.update(DAEMONSETS, 'default', ds);
    await h.run(300);
    // maxUnavailable 1: only one old pod replaced at a time
    const live = h.pods().filter((p) => !p.metadata.deletionTimestamp);
    expect(live.filter((p) => before.has(p.metadata.name)).length).toBe(2);
    await h.run(10_000);
    const images = h
      .pods()
      .map((p) => (p.spec as { containers: Array<{ image: string }> }).containers[0].image);
    expect(images).toEqual(['agent:2', 'agent:2', 'agent:2']);
    expect(dsStatus()).toMatchObject({
      updatedNumberScheduled: 3,
      numberAvailable: 3,
      observedGeneration: 2,
    });
    const revisions = h.api.list(CONTROLLER_REVISIONS, { namespace: 'default' }).items;
    expect(revisions.map((r) => r.revision).sort()).toEqual([1, 2]);
  });

  it('surges a new pod beside the old one with maxSurge, removing the old once the new is available', async () => {
    for (const n of ['n1', 'n2']) h.addNode(n);
    daemonSet({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    });
    await h.run(3000);
    const ds = h.api.get(DAEMONSETS, 'default', 'agent');
    const spec = ds.spec as { template: { spec: { containers: Array<{ image: string }> } } };
    spec.template.spec.containers[0].image = 'agent:2';
    h.api.update(DAEMONSETS, 'default', ds);
    await h.run(300);
    const during = h.pods().filter((p) => !p.metadata.deletionTimestamp);
    expect(during).toHaveLength(3);
    expect(
      during.filter(
        (p) => (p.spec as { containers: Array<{ image: string }> }).containers[0].image === 'agent:1',
      ),
    ).toHaveLength(2);
    expect(dsStatus().numberAvailable).toBe(2);
    await h.run(10_000);
    const images = h
      .pods()
      .map((p) => (p.spec as { containers: Array<{ image: string }> }).containers[0].image);
    expect(images).toEqual(['agent:2', 'agent:2']);
    expect(dsStatus()).toMatchObject({
      updatedNumberScheduled: 2,
      numberAvailable: 2,
      desiredNumberScheduled: 2,
    });
  });
});
