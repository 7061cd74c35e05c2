import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../apiserver/status';
import type { ObjectStorage } from '../../apiserver/storage/object-storage';
import type { KubeObject } from '../../k8s-object';
import { openControllerHarness } from '../testing/harness';
import type { ControllerHarness } from '../testing/harness';
import { PODS, REPLICA_SETS } from '../shared/resources';

let h: ControllerHarness;
afterEach(async () => {
  await h?.close();
});

function replicaSet(name: string, replicas: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
      ...extra,
    },
  };
}

const podsOf = (rs: KubeObject, all = false): KubeObject[] =>
  h.api
    .list(PODS, { namespace: 'default' })
    .items.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid))
    .filter((p) => all || !p.metadata.deletionTimestamp);

const status = (name: string): Record<string, number> =>
  h.api.get(REPLICA_SETS, 'default', name).status as Record<string, number>;

describe('ReplicaSet controller', () => {
  it('creates replicas with owner references and reports status', async () => {
    h = openControllerHarness();
    const rs = h.api.create(REPLICA_SETS, 'default', replicaSet('web', 3));
    await h.until(() => status('web').availableReplicas === 3);
    const pods = podsOf(rs);
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web',
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(pod.metadata.labels).toEqual({ app: 'web' });
    }
    expect(status('web')).toMatchObject({
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 1,
    });
    const events = h.api.list(
      { group: '', version: 'v1', resource: 'events' },
      { namespace: 'default' },
    ).items;
    expect(
      events
        .filter((e) => e.reason === 'SuccessfulCreate')
        .map((e) => e.message)
        .sort(),
    ).toEqual(pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
  });

  it('self-heals when a pod is deleted', async () => {
    h = openControllerHarness();
    const rs = h.api.create(REPLICA_SETS, 'default', replicaSet('web', 2));
    await h.until(() => status('web').readyReplicas === 2);
    const [victim] = podsOf(rs);
    h.api.delete(PODS, 'default', victim.metadata.name ?? '', {});
    await h.until(() => status('web').readyReplicas === 2 && podsOf(rs, true).length === 2);
    expect(podsOf(rs).map((p) => p.metadata.name)).not.toContain(victim.metadata.name);
  });

  it('adopts matching orphans and releases pods whose labels stop matching', async () => {
    h = openControllerHarness();
    h.api.create(PODS, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'orphan', labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    await h.settle();
    const rs = h.api.create(REPLICA_SETS, 'default', replicaSet('web', 2));
    await h.until(() => status('web').readyReplicas === 2);
    const owned = podsOf(rs).map((p) => p.metadata.name);
    expect(owned).toHaveLength(2);
    expect(owned).toContain('orphan');

    h.api.patch(PODS, 'default', 'orphan', 'merge', { metadata: { labels: { app: 'other' } } });
    await h.until(() => podsOf(rs).length === 2 && !podsOf(rs).some((p) => p.metadata.name === 'orphan'));
    const released = h.api.get(PODS, 'default', 'orphan');
    expect(released.metadata.ownerReferences ?? []).toEqual([]);
    await h.until(() => status('web').readyReplicas === 2);
  });

  it('scales down not-ready pods before ready ones, newest first', async () => {
    h = openControllerHarness({ kubelet: { readyAfterMs: 1000 } });
    const rs = h.api.create(REPLICA_SETS, 'default', replicaSet('web', 2));
    await h.until(() => status('web').readyReplicas === 2);
    const ready = podsOf(rs).map((p) => p.metadata.name);
    h.api.patch(REPLICA_SETS, 'default', 'web', 'merge', { spec: { replicas: 4 } });
    await h.until(() => podsOf(rs).length === 4);
    // The two new pods are not ready yet: they are the ones to go.
    h.api.patch(REPLICA_SETS, 'default', 'web', 'merge', { spec: { replicas: 2 } });
    await h.until(() => podsOf(rs, true).length === 2);
    expect(
      podsOf(rs)
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual(ready.sort());
    const reasons = h.api
      .list({ group: '', version: 'v1', resource: 'events' }, { namespace: 'default' })
      .items.filter((e) => e.reason === 'SuccessfulDelete');
    expect(reasons).toHaveLength(2);
    expect(status('web')).toMatchObject({ replicas: 2, readyReplicas: 2, observedGeneration: 3 });
  });

  it('counts pods available only after minReadySeconds', async () => {
    h = openControllerHarness({ kubelet: { readyAfterMs: 500 } });
    h.api.create(REPLICA_SETS, 'default', replicaSet('web', 1, { minReadySeconds: 10 }));
    await h.until(() => status('web').readyReplicas === 1);
    expect(status('web').availableReplicas).toBeUndefined();
    await h.advance(5000);
    expect(status('web').availableReplicas).toBeUndefined();
    await h.until(() => status('web').availableReplicas === 1, 6000);
  });

  it('reports FailedCreate and ReplicaFailure when pods cannot be created, and clears it once they can', async () => {
    let refuse = true;
    h = openControllerHarness({
      controllerApi: (api) =>
        new Proxy(api, {
          get(target, prop, receiver) {
            if (prop !== 'create') return Reflect.get(target, prop, receiver) as unknown;
            return (...args: Parameters<ObjectStorage['create']>) => {
              if (refuse && args[0].resource === 'pods') {
                throw new ApiError(403, 'Forbidden', 'pods "web-x" is forbidden: exceeded quota: compute');
              }
              return target.create(...args);
            };
          },
        }),
    });
    h.api.create(REPLICA_SETS, 'default', replicaSet('web', 2));
    await h.until(() =>
      ((status('web') as { conditions?: Array<{ type: string }> }).conditions ?? []).some(
        (c) => c.type === 'ReplicaFailure',
      ),
    );
    const failure = (status('web') as { conditions?: Array<Record<string, string>> }).conditions?.[0];
    expect(failure).toMatchObject({
      type: 'ReplicaFailure',
      status: 'True',
      reason: 'FailedCreate',
      message: 'pods "web-x" is forbidden: exceeded quota: compute',
    });
    const events = h.api.list(
      { group: '', version: 'v1', resource: 'events' },
      { namespace: 'default' },
    ).items;
    const failed = events.filter((e) => e.reason === 'FailedCreate');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      type: 'Warning',
      message: 'Error creating: pods "web-x" is forbidden: exceeded quota: compute',
    });
    // Retries back off and repeat the same event (counted, not duplicated).
    await h.advance(2000);
    refuse = false;
    await h.until(() => status('web').readyReplicas === 2, 120_000, 1000);
    expect((status('web') as { conditions?: unknown[] }).conditions).toBeUndefined();
  });

  it('never creates duplicates when many syncs race the informer', async () => {
    h = openControllerHarness({ kubelet: false });
    const rs = h.api.create(REPLICA_SETS, 'default', replicaSet('web', 5));
    for (let i = 0; i < 20; i++) {
      h.api.patch(REPLICA_SETS, 'default', 'web', 'merge', { metadata: { labels: { poke: String(i) } } });
    }
    await h.advance(2000);
    expect(podsOf(rs)).toHaveLength(5);
    expect(status('web')).toMatchObject({ replicas: 5 });
  });
});
