import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { isPodAvailable } from '../shared/pods';
import { DEPLOYMENTS, PODS, REPLICA_SETS } from '../shared/resources';
import { deploymentManifest, openControllerHarness } from '../testing/harness';
import type { ControllerHarness } from '../testing/harness';
import { POD_TEMPLATE_HASH, REVISION } from './helpers';

let h: ControllerHarness;
afterEach(async () => {
  await h?.close();
});

const EVENTS = { group: '', version: 'v1', resource: 'events' };

interface Status {
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  observedGeneration?: number;
  conditions?: Array<{ type: string; status: string; reason: string; message: string }>;
}

const deployment = (name = 'web'): KubeObject => h.api.get(DEPLOYMENTS, 'default', name);
const status = (name = 'web'): Status => (deployment(name).status ?? {}) as Status;
const replicaSets = (name = 'web'): KubeObject[] =>
  h.api
    .list(REPLICA_SETS, { namespace: 'default' })
    .items.filter((rs) =>
      rs.metadata.ownerReferences?.some((r) => r.name === name && r.kind === 'Deployment'),
    );
const livePods = (): KubeObject[] =>
  h.api.list(PODS, { namespace: 'default' }).items.filter((p) => !p.metadata.deletionTimestamp);
const rsReplicas = (rs: KubeObject): number => (rs.spec as { replicas: number }).replicas;
const condition = (type: string, name = 'web') => status(name).conditions?.find((c) => c.type === type);

/** kubectl's rollout status verdict. */
function rolledOut(name = 'web'): boolean {
  const d = deployment(name);
  const s = status(name);
  const replicas = (d.spec as { replicas: number }).replicas;
  return (
    (d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0) &&
    (s.updatedReplicas ?? 0) === replicas &&
    (s.replicas ?? 0) === (s.updatedReplicas ?? 0) &&
    (s.availableReplicas ?? 0) === (s.updatedReplicas ?? 0)
  );
}

function setImage(image: string, name = 'web'): void {
  const d = deployment(name);
  const spec = structuredClone(d.spec) as { template: { spec: { containers: Array<{ image: string }> } } };
  spec.template.spec.containers[0].image = image;
  h.api.patch(DEPLOYMENTS, 'default', name, 'merge', { spec: { template: spec.template } });
}

/** What `kubectl rollout undo --to-revision` writes: the old ReplicaSet's template, without its hash label. */
function undoTo(revision: number, name = 'web'): void {
  const rs = replicaSets(name).find((r) => r.metadata.annotations?.[REVISION] === String(revision));
  if (!rs) throw new Error(`no revision ${revision}`);
  const template = structuredClone(
    (rs.spec as { template: { metadata: { labels: Record<string, string> } } }).template,
  );
  delete template.metadata.labels[POD_TEMPLATE_HASH];
  const d = deployment(name);
  h.api.update(DEPLOYMENTS, 'default', { ...d, spec: { ...(d.spec as object), template } });
}

describe('Deployment controller', () => {
  it('creates a ReplicaSet named by the template hash and reports a finished rollout', async () => {
    h = openControllerHarness();
    h.api.create(DEPLOYMENTS, 'default', deploymentManifest('web', 'nginx', 3));
    await h.until(() => rolledOut());
    const [rs] = replicaSets();
    const hash = rs.metadata.labels?.[POD_TEMPLATE_HASH] ?? '';
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.spec).toMatchObject({
      replicas: 3,
      selector: { matchLabels: { app: 'web', [POD_TEMPLATE_HASH]: hash } },
      template: { metadata: { labels: { app: 'web', [POD_TEMPLATE_HASH]: hash } } },
    });
    expect(rs.metadata.annotations).toMatchObject({
      [REVISION]: '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(deployment().metadata.annotations?.[REVISION]).toBe('1');
    expect(status()).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(condition('Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(condition('Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "web-${hash}" has successfully progressed.`,
    });
    const scaling = h.api
      .list(EVENTS, { namespace: 'default' })
      .items.filter((e) => e.reason === 'ScalingReplicaSet')
      .map((e) => e.message);
    expect(scaling).toEqual([`Scaled up replica set web-${hash} to 3`]);
    // The same template always hashes the same.
    h.api.create(DEPLOYMENTS, 'default', {
      ...deploymentManifest('web', 'nginx', 3),
      metadata: { name: 'web2' },
    });
    await h.until(() => replicaSets('web2').length === 1);
    expect(replicaSets('web2')[0].metadata.labels?.[POD_TEMPLATE_HASH]).toBe(hash);
  });

  it.each([
    { replicas: 4, maxSurge: '25%', maxUnavailable: '25%', maxPods: 5, minAvailable: 3 },
    { replicas: 3, maxSurge: '25%', maxUnavailable: '25%', maxPods: 4, minAvailable: 3 },
    { replicas: 5, maxSurge: '50%', maxUnavailable: '50%', maxPods: 8, minAvailable: 3 },
    { replicas: 3, maxSurge: 0, maxUnavailable: 1, maxPods: 3, minAvailable: 2 },
    { replicas: 6, maxSurge: 2, maxUnavailable: 0, maxPods: 8, minAvailable: 6 },
  ])(
    'rolls out $replicas replicas within maxSurge $maxSurge / maxUnavailable $maxUnavailable at every step',
    async ({ replicas, maxSurge, maxUnavailable, maxPods, minAvailable }) => {
      h = openControllerHarness({ kubelet: { readyAfterMs: 2000 } });
      h.api.create(
        DEPLOYMENTS,
        'default',
        deploymentManifest('web', 'nginx:1', replicas, {
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } },
        }),
      );
      await h.until(() => rolledOut());
      setImage('nginx:2');
      let steps = 0;
      let peak = 0;
      let trough = replicas;
      await h.until(() => {
        steps++;
        const pods = livePods();
        const available = pods.filter((p) => isPodAvailable(p, 0, h.clock.now())).length;
        peak = Math.max(peak, pods.length);
        trough = Math.min(trough, available);
        return rolledOut() && status().observedGeneration === 2;
      });
      expect(peak).toBeLessThanOrEqual(maxPods);
      expect(trough).toBeGreaterThanOrEqual(minAvailable);
      // The limits are used, not just respected.
      expect(peak === maxPods || trough === minAvailable).toBe(true);
      expect(steps).toBeGreaterThan(3);
      const rss = replicaSets();
      expect(rss).toHaveLength(2);
      const newRS = rss.find((rs) => rs.metadata.annotations?.[REVISION] === '2');
      const oldRS = rss.find((rs) => rs.metadata.annotations?.[REVISION] === '1');
      expect(newRS && rsReplicas(newRS)).toBe(replicas);
      expect(oldRS && rsReplicas(oldRS)).toBe(0);
      expect(deployment().metadata.annotations?.[REVISION]).toBe('2');
      expect(
        livePods().every(
          (p) => (p.spec as { containers: Array<{ image: string }> }).containers[0].image === 'nginx:2',
        ),
      ).toBe(true);
      const messages = h.api
        .list(EVENTS, { namespace: 'default' })
        .items.filter((e) => e.reason === 'ScalingReplicaSet')
        .map((e) => e.message as string);
      expect(messages).toContainEqual(
        expect.stringMatching(new RegExp(`^Scaled down replica set ${oldRS?.metadata.name} to 0 from \\d+$`)),
      );
    },
  );

  it('waits minReadySeconds before counting new pods available and scaling old ones down', async () => {
    h = openControllerHarness({ kubelet: { readyAfterMs: 100 } });
    h.api.create(DEPLOYMENTS, 'default', deploymentManifest('web', 'nginx:1', 2, { minReadySeconds: 10 }));
    await h.until(() => rolledOut());
    const start = h.clock.now().getTime();
    setImage('nginx:2');
    await h.until(() => rolledOut() && status().observedGeneration === 2);
    // 2 replicas, 25%: surge 1, unavailable 0 — two steps of at least 10 s each.
    expect(h.clock.now().getTime() - start).toBeGreaterThanOrEqual(20_000);
  });

  it('stalls a broken rollout while old pods serve, exceeds the deadline, and undo recovers', async () => {
    h = openControllerHarness({ kubelet: { readyAfterMs: 1000 } });
    h.api.create(
      DEPLOYMENTS,
      'default',
      deploymentManifest('web', 'nginx:1', 3, { progressDeadlineSeconds: 30 }),
    );
    await h.until(() => rolledOut());
    setImage('registry.invalid/broken:1');
    await h.until(() => condition('Progressing')?.reason === 'ProgressDeadlineExceeded', 120_000, 1000);
    expect(condition('Progressing')).toMatchObject({
      status: 'False',
      message: expect.stringMatching(/^ReplicaSet "web-\w+" has timed out progressing\.$/),
    });
    // maxUnavailable 0 (25% of 3 rounded down), surge 1: old pods all still serve.
    const ready = livePods().filter((p) => isPodAvailable(p, 0, h.clock.now()));
    expect(ready).toHaveLength(3);
    expect(status()).toMatchObject({
      replicas: 4,
      updatedReplicas: 1,
      availableReplicas: 3,
      unavailableReplicas: 1,
    });
    expect(condition('Available')?.status).toBe('True');

    undoTo(1);
    await h.until(() => rolledOut() && condition('Progressing')?.reason === 'NewReplicaSetAvailable');
    const rss = replicaSets();
    const current = rss.find((rs) => rsReplicas(rs) === 3);
    expect(current?.metadata.annotations?.[REVISION]).toBe('3');
    expect(current?.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(deployment().metadata.annotations?.[REVISION]).toBe('3');
    expect(livePods()).toHaveLength(3);
  });

  it('Recreate removes every old pod before creating new ones', async () => {
    h = openControllerHarness({ kubelet: { readyAfterMs: 500, terminateAfterMs: 3000 } });
    h.api.create(
      DEPLOYMENTS,
      'default',
      deploymentManifest('web', 'nginx:1', 2, { strategy: { type: 'Recreate' } }),
    );
    await h.until(() => rolledOut());
    setImage('nginx:2');
    await h.until(() => {
      const all = h.api.list(PODS, { namespace: 'default' }).items;
      const images = new Set(
        all.map((p) => (p.spec as { containers: Array<{ image: string }> }).containers[0].image),
      );
      expect(images.size).toBe(1);
      return rolledOut() && status().observedGeneration === 2;
    });
  });

  it('a paused Deployment scales but does not roll out until resumed', async () => {
    h = openControllerHarness();
    h.api.create(DEPLOYMENTS, 'default', deploymentManifest('web', 'nginx:1', 2));
    await h.until(() => rolledOut());
    h.api.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { paused: true } });
    await h.until(() => condition('Progressing')?.reason === 'DeploymentPaused');
    setImage('nginx:2');
    h.api.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { replicas: 3 } });
    await h.advance(5000);
    expect(replicaSets()).toHaveLength(1);
    expect(rsReplicas(replicaSets()[0])).toBe(3);
    h.api.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { paused: false } });
    await h.until(() => rolledOut() && replicaSets().length === 2 && status().updatedReplicas === 3);
    expect(condition('Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  it('keeps at most revisionHistoryLimit old ReplicaSets', async () => {
    h = openControllerHarness({ kubelet: { readyAfterMs: 100 } });
    h.api.create(
      DEPLOYMENTS,
      'default',
      deploymentManifest('web', 'nginx:0', 1, { revisionHistoryLimit: 2 }),
    );
    await h.until(() => rolledOut());
    for (let i = 1; i <= 4; i++) {
      setImage(`nginx:${i}`);
      await h.until(() => rolledOut() && status().observedGeneration === i + 1);
    }
    await h.advance(1000);
    const revisions = replicaSets()
      .map((rs) => Number(rs.metadata.annotations?.[REVISION]))
      .sort();
    expect(revisions).toEqual([3, 4, 5]);
  });

  it('restart (a template annotation) rolls out a new ReplicaSet; scale changes only the active one', async () => {
    h = openControllerHarness({ kubelet: { readyAfterMs: 100 } });
    h.api.create(DEPLOYMENTS, 'default', deploymentManifest('web', 'nginx', 2));
    await h.until(() => rolledOut());
    h.api.patch(DEPLOYMENTS, 'default', 'web', 'strategic', {
      spec: {
        template: {
          metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:10Z' } },
        },
      },
    });
    await h.until(() => rolledOut() && status().observedGeneration === 2);
    expect(replicaSets()).toHaveLength(2);
    h.api.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { replicas: 5 } });
    await h.until(() => rolledOut() && status().availableReplicas === 5);
    const sizes = replicaSets().map(rsReplicas).sort();
    expect(sizes).toEqual([0, 5]);
  });

  it('scales proportionally in the middle of a rollout', async () => {
    h = openControllerHarness({ kubelet: { readyAfterMs: 100 } });
    h.api.create(DEPLOYMENTS, 'default', deploymentManifest('web', 'nginx:1', 10));
    await h.until(() => rolledOut());
    setImage('registry.invalid/broken:2');
    const sizes = (): number[] =>
      replicaSets()
        .sort(
          (a, b) => Number(a.metadata.annotations?.[REVISION]) - Number(b.metadata.annotations?.[REVISION]),
        )
        .map(rsReplicas);
    // 10 replicas, 25%: surge 3, unavailable 2 — the old ReplicaSet keeps 8, the new one stalls at 5.
    await h.until(() => JSON.stringify(sizes()) === '[8,5]');
    await h.advance(3000);
    expect(sizes()).toEqual([8, 5]);
    h.api.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { replicas: 20 } });
    // 20 + 5 surge = 25 pods, shared 8:5 by the max-replicas annotation (13): 15 and 10.
    await h.until(() => JSON.stringify(sizes()) === '[15,10]');
    const events = h.api
      .list(EVENTS, { namespace: 'default' })
      .items.filter((e) => e.reason === 'ScalingReplicaSet')
      .map((e) => e.message as string);
    expect(events).toContainEqual(expect.stringMatching(/^Scaled up replica set web-\w+ to 15 from 8$/));
    expect(events).toContainEqual(expect.stringMatching(/^Scaled up replica set web-\w+ to 10 from 5$/));
    expect(events).toContainEqual(expect.stringMatching(/^Scaled down replica set web-\w+ to 8 from 10$/));
  });

  it('converges 500 Deployments created at once without duplicate pods', async () => {
    h = openControllerHarness({ kubelet: { readyAfterMs: 100 } });
    for (let i = 0; i < 500; i++)
      h.api.create(DEPLOYMENTS, 'default', deploymentManifest(`app-${i}`, 'nginx', 2));
    await h.until(
      () => {
        const all = h.api.list(DEPLOYMENTS, { namespace: 'default' }).items;
        return all.every((d) => ((d.status ?? {}) as Status).availableReplicas === 2);
      },
      60_000,
      500,
    );
    const pods = h.api.list(PODS, { namespace: 'default' }).items;
    expect(pods).toHaveLength(1000);
    expect(h.api.list(REPLICA_SETS, { namespace: 'default' }).items).toHaveLength(500);
  }, 120_000);
});
