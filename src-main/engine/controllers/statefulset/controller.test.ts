import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { startScheduler } from '../../scheduler';
import { PODS, PVCS, STATEFULSETS } from '../shared/resources';
import { startFakeVolumeBinder } from '../workload-common/testing/fake-binder';
import { startFakeKubelet } from '../workload-common/testing/fake-kubelet';
import { openWorkloadHarness } from '../workload-common/testing/harness';
import type { WorkloadHarness } from '../workload-common/testing/harness';
import { startStatefulSetController } from './controller';

let h: WorkloadHarness;
const stops: Array<() => unknown> = [];

beforeEach(() => {
  h = openWorkloadHarness();
  h.addNode('kubedesk');
  const scheduler = startScheduler({ api: h.api, clock: h.clock });
  const kubelet = startFakeKubelet({ api: h.api, clock: h.clock, startMs: 2000 });
  const sets = startStatefulSetController({ api: h.api, clock: h.clock });
  const binder = startFakeVolumeBinder(h.api);
  stops.push(
    () => scheduler.stop(),
    () => kubelet.stop(),
    () => sets.stop(),
    () => binder.stop(),
  );
});
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  h.close();
});

function statefulSet(spec: Record<string, unknown> = {}): KubeObject {
  return h.api.create(STATEFULSETS, 'default', {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web' },
    spec: {
      serviceName: 'nginx',
      replicas: 3,
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'www' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
      ...spec,
    },
  });
}

function names(): string[] {
  return h
    .pods()
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => p.metadata.name ?? '')
    .sort();
}

function setStatus(): Record<string, unknown> {
  return h.api.get(STATEFULSETS, 'default', 'web').status as Record<string, unknown>;
}

function scale(replicas: number): void {
  const set = h.api.get(STATEFULSETS, 'default', 'web');
  h.api.update(STATEFULSETS, 'default', { ...set, spec: { ...(set.spec as object), replicas } });
}

function image(name: string): string {
  return (h.api.get(PODS, 'default', name).spec as { containers: Array<{ image: string }> }).containers[0]
    .image;
}

describe('StatefulSet controller', () => {
  it('creates pods in order, each Ready before the next, with stable identity and claims', async () => {
    statefulSet();
    await h.run(500);
    expect(names()).toEqual(['web-0']);
    await h.run(2000);
    expect(names()).toEqual(['web-0', 'web-1']);
    await h.run(2000);
    expect(names()).toEqual(['web-0', 'web-1', 'web-2']);
    const pod = h.api.get(PODS, 'default', 'web-1');
    expect(pod.spec).toMatchObject({ hostname: 'web-1', subdomain: 'nginx' });
    expect(pod.metadata.labels).toMatchObject({
      app: 'nginx',
      'statefulset.kubernetes.io/pod-name': 'web-1',
      'apps.kubernetes.io/pod-index': '1',
    });
    expect((pod.spec as { volumes: unknown[] }).volumes).toContainEqual({
      name: 'www',
      persistentVolumeClaim: { claimName: 'www-web-1' },
    });
    const claims = h.api.list(PVCS, { namespace: 'default' }).items.map((c) => c.metadata.name);
    expect(claims.sort()).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    await h.run(2500);
    const status = setStatus();
    expect(status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3 });
    expect(status.currentRevision).toBe(status.updateRevision);
    expect(String(status.updateRevision)).toMatch(/^web-[a-z0-9]+$/);
    expect(h.events('SuccessfulCreate').map((e) => e.message)).toContain(
      'create Pod web-0 in StatefulSet web successful',
    );
    expect(h.events('SuccessfulCreate').map((e) => e.message)).toContain(
      'create Claim www-web-0 Pod web-0 in StatefulSet web success',
    );
  });

  it('scales down from the highest ordinal and keeps the claims', async () => {
    statefulSet();
    await h.run(8000);
    scale(1);
    await h.run(500);
    expect(names()).toEqual(['web-0']);
    expect(h.events('SuccessfulDelete').map((e) => e.message)).toEqual([
      'delete Pod web-2 in StatefulSet web successful',
      'delete Pod web-1 in StatefulSet web successful',
    ]);
    expect(h.api.list(PVCS, { namespace: 'default' }).items).toHaveLength(3);
    expect(setStatus()).toMatchObject({ replicas: 1 });
  });

  it('creates all at once with Parallel', async () => {
    statefulSet({ podManagementPolicy: 'Parallel' });
    await h.run(300);
    expect(names()).toEqual(['web-0', 'web-1', 'web-2']);
  });

  it('recreates a deleted pod with the same name and claim', async () => {
    statefulSet({ replicas: 1 });
    await h.run(3000);
    const before = h.api.get(PODS, 'default', 'web-0');
    h.api.delete(PODS, 'default', 'web-0');
    await h.run(3000);
    const after = h.api.get(PODS, 'default', 'web-0');
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
    expect(h.api.list(PVCS, { namespace: 'default' }).items).toHaveLength(1);
  });

  it('rolls updates out in reverse ordinal order, honouring the partition', async () => {
    statefulSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } });
    await h.run(8000);
    const oldRevision = setStatus().updateRevision;
    const set = h.api.get(STATEFULSETS, 'default', 'web');
    const spec = set.spec as { template: { spec: { containers: Array<{ image: string }> } } };
    spec.template.spec.containers[0].image = 'nginx:2';
    h.api.update(STATEFULSETS, 'default', set);
    await h.run(500);
    // web-2 is replaced first; web-1 waits until it is Ready
    expect(image('web-2')).toBe('nginx:2');
    expect(image('web-1')).toBe('nginx:1');
    await h.run(1000);
    expect(image('web-1')).toBe('nginx:1');
    await h.run(3000);
    expect(image('web-1')).toBe('nginx:2');
    await h.run(6000);
    expect(image('web-0')).toBe('nginx:1');
    const status = setStatus();
    expect(status.currentRevision).toBe(oldRevision);
    expect(status.updateRevision).not.toBe(oldRevision);
    expect(status).toMatchObject({ updatedReplicas: 2, currentReplicas: 1 });

    // partition 0 finishes the rollout and the current revision follows
    const again = h.api.get(STATEFULSETS, 'default', 'web');
    (again.spec as { updateStrategy: unknown }).updateStrategy = {
      type: 'RollingUpdate',
      rollingUpdate: { partition: 0 },
    };
    h.api.update(STATEFULSETS, 'default', again);
    await h.run(6000);
    expect(image('web-0')).toBe('nginx:2');
    expect(setStatus().currentRevision).toBe(setStatus().updateRevision);
  });

  it('deletes the claims of scaled-away ordinals with whenScaled: Delete and owns them with whenDeleted: Delete', async () => {
    statefulSet({ persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete', whenDeleted: 'Delete' } });
    await h.run(8000);
    const claim = h.api.get(PVCS, 'default', 'www-web-0');
    expect(claim.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'StatefulSet', name: 'web' });
    scale(1);
    await h.run(1000);
    const left = h.api
      .list(PVCS, { namespace: 'default' })
      .items.filter((c) => !c.metadata.deletionTimestamp);
    expect(left.map((c) => c.metadata.name)).toEqual(['www-web-0']);
  });

  it('adopts orphaned pods when the set is created again (delete --cascade=orphan, then apply)', async () => {
    statefulSet({ replicas: 2 });
    await h.run(6000);
    const before = h.pods().map((p) => p.metadata.uid);
    for (const pod of h.pods()) {
      h.api.update(PODS, 'default', { ...pod, metadata: { ...pod.metadata, ownerReferences: [] } });
    }
    h.api.delete(STATEFULSETS, 'default', 'web', { propagationPolicy: 'Background' });
    await h.run(500);
    const again = statefulSet({ replicas: 2 });
    await h.run(3000);
    const pods = h.pods();
    expect(pods.map((p) => p.metadata.uid).sort()).toEqual([...before].sort());
    for (const pod of pods) {
      expect(pod.metadata.ownerReferences).toEqual([
        expect.objectContaining({
          kind: 'StatefulSet',
          name: 'web',
          uid: again.metadata.uid,
          controller: true,
        }),
      ]);
    }
    expect(setStatus()).toMatchObject({ replicas: 2, readyReplicas: 2 });
  });
});
