import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { DEPLOYMENTS, PODS, REPLICA_SETS } from '../shared/resources';
import { deploymentManifest, openControllerHarness } from '../testing/harness';
import type { ControllerHarness } from '../testing/harness';

let h: ControllerHarness;
afterEach(async () => {
  await h?.close();
});

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };
const count = (gvr: typeof PODS, all = true): number =>
  h.api.list(gvr, { namespace: 'default' }).items.filter((o) => all || !o.metadata.deletionTimestamp).length;
const exists = (gvr: typeof PODS, name: string): boolean => {
  try {
    h.api.get(gvr, 'default', name);
    return true;
  } catch {
    return false;
  }
};

async function rolledOut(replicas: number): Promise<void> {
  await h.until(
    () =>
      ((h.api.get(DEPLOYMENTS, 'default', 'web').status ?? {}) as { availableReplicas?: number })
        .availableReplicas === replicas,
  );
}

describe('garbage collector', () => {
  it('background: deleting a Deployment removes its ReplicaSets and their pods', async () => {
    h = openControllerHarness({ kubelet: { terminateAfterMs: 2000 } });
    h.api.create(DEPLOYMENTS, 'default', deploymentManifest('web', 'nginx', 2));
    await rolledOut(2);
    h.api.delete(DEPLOYMENTS, 'default', 'web', { propagationPolicy: 'Background' });
    expect(exists(DEPLOYMENTS, 'web')).toBe(false);
    await h.until(() => count(REPLICA_SETS) === 0 && count(PODS) === 0);
  });

  it('foreground: the owner stays (with its finalizer) until the blocking dependents are gone', async () => {
    h = openControllerHarness({ kubelet: { terminateAfterMs: 5000 } });
    h.api.create(DEPLOYMENTS, 'default', deploymentManifest('web', 'nginx', 2));
    await rolledOut(2);
    h.api.delete(DEPLOYMENTS, 'default', 'web', { propagationPolicy: 'Foreground' });
    const marked = h.api.get(DEPLOYMENTS, 'default', 'web');
    expect(marked.metadata.finalizers).toEqual(['foregroundDeletion']);
    await h.advance(2000);
    // Pods are terminating (5 s), so the ReplicaSet and the Deployment wait for them.
    expect(count(PODS, false)).toBe(0);
    expect(count(PODS)).toBe(2);
    expect(exists(DEPLOYMENTS, 'web')).toBe(true);
    expect(h.api.list(REPLICA_SETS, { namespace: 'default' }).items[0].metadata.finalizers).toEqual([
      'foregroundDeletion',
    ]);
    await h.until(() => !exists(DEPLOYMENTS, 'web'));
    expect(count(PODS)).toBe(0);
    expect(count(REPLICA_SETS)).toBe(0);
  });

  it('orphan: dependents lose the owner reference and stay', async () => {
    h = openControllerHarness();
    h.api.create(DEPLOYMENTS, 'default', deploymentManifest('web', 'nginx', 2));
    await rolledOut(2);
    h.api.delete(DEPLOYMENTS, 'default', 'web', { propagationPolicy: 'Orphan' });
    await h.until(() => !exists(DEPLOYMENTS, 'web'));
    await h.advance(2000);
    const [rs] = h.api.list(REPLICA_SETS, { namespace: 'default' }).items;
    expect(rs.metadata.ownerReferences ?? []).toEqual([]);
    expect(count(PODS, false)).toBe(2);
    // The ReplicaSet keeps its pods.
    expect(
      h.api
        .list(PODS, { namespace: 'default' })
        .items.every((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid),
    ).toBe(true);
  });

  it('works for any kind: a ConfigMap owned by another ConfigMap, and one with an owner that never existed', async () => {
    h = openControllerHarness({ kubelet: false });
    const owner = h.api.create(CONFIGMAPS, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'owner' },
    });
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid ?? '' };
    const dependent = (name: string, refs: KubeObject['metadata']['ownerReferences']): KubeObject =>
      h.api.create(CONFIGMAPS, 'default', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, ownerReferences: refs },
      });
    dependent('child', [ref]);
    dependent('ghost-child', [{ ...ref, name: 'ghost', uid: 'no-such-uid' }]);
    dependent('two-owners', [
      ref,
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gone', uid: 'gone-uid' },
    ]);
    await h.advance(1000);
    expect(exists(CONFIGMAPS, 'child')).toBe(true);
    expect(exists(CONFIGMAPS, 'ghost-child')).toBe(false);
    // A dangling reference next to a live owner is removed; the object stays.
    expect(h.api.get(CONFIGMAPS, 'default', 'two-owners').metadata.ownerReferences).toEqual([ref]);
    h.api.delete(CONFIGMAPS, 'default', 'owner', {});
    await h.until(() => !exists(CONFIGMAPS, 'child') && !exists(CONFIGMAPS, 'two-owners'));
  });
});
