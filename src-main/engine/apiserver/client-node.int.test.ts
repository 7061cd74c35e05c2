import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer } from './testing/test-api-server';
import type { TestApiServer } from './testing/test-api-server';

let s: TestApiServer;
let kc: KubeConfig;
let core: CoreV1Api;

interface Seen {
  type: string;
  name: string;
  rv: string;
  data?: Record<string, string>;
}

/** Starts a client-node watch and collects its events. */
async function watchConfigMaps(params: Record<string, string | boolean | number>) {
  const events: Seen[] = [];
  const errors: unknown[] = [];
  let done = false;
  const controller = await new Watch(kc).watch(
    '/api/v1/namespaces/default/configmaps',
    params,
    (type, obj: V1ConfigMap & { code?: number; reason?: string }) => {
      events.push({
        type,
        name: obj.metadata?.name ?? `${obj.code ?? ''} ${obj.reason ?? ''}`,
        rv: obj.metadata?.resourceVersion ?? '',
        data: obj.data,
      });
    },
    (err) => {
      done = true;
      if (err) errors.push(err);
    },
  );
  const until = async (predicate: () => boolean, timeoutMs = 5000) => {
    const start = Date.now();
    while (!predicate()) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out; events: ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { events, errors, until, isDone: () => done, stop: () => controller.abort() };
}

beforeAll(async () => {
  s = await startTestApiServer();
  kc = new KubeConfig();
  kc.loadFromFile(s.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
});
afterAll(() => s?.close());

describe('@kubernetes/client-node', () => {
  it('lists typed objects', async () => {
    const list = await core.listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toEqual(
      expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']),
    );
    const svc = await core.readNamespacedService({ name: 'kubernetes', namespace: 'default' });
    expect(svc.spec?.clusterIP).toBe('10.96.0.1');
  });

  it('watches ADDED, MODIFIED and DELETED in order, and resumes from a resourceVersion', async () => {
    const w = await watchConfigMaps({ labelSelector: 'suite=watch' });
    await new Promise((r) => setTimeout(r, 100));
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'w1', labels: { suite: 'watch' } }, data: { v: '1' } },
    });
    await core.patchNamespacedConfigMap(
      { name: 'w1', namespace: 'default', body: { data: { v: '2' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedConfigMap({ name: 'w1', namespace: 'default' });
    await w.until(() => w.events.length >= 3);
    w.stop();
    expect(w.events.map((e) => `${e.type} ${e.name}`)).toEqual(['ADDED w1', 'MODIFIED w1', 'DELETED w1']);
    expect(w.events[1].data).toEqual({ v: '2' });
    const rvs = w.events.map((e) => Number(e.rv));
    expect(rvs[0]).toBeLessThan(rvs[1]);
    expect(rvs[1]).toBeLessThan(rvs[2]);

    const resumed = await watchConfigMaps({ labelSelector: 'suite=watch', resourceVersion: w.events[0].rv });
    await resumed.until(() => resumed.events.length >= 2);
    resumed.stop();
    expect(resumed.events.map((e) => `${e.type} ${e.name}`)).toEqual(['MODIFIED w1', 'DELETED w1']);
  });

  it('gets an ERROR 410 for a compacted resourceVersion', async () => {
    const c = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'old' } },
    });
    await core.patchNamespacedConfigMap(
      { name: 'old', namespace: 'default', body: { data: { x: 'y' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    s.store.compact(s.store.currentRevision());
    const w = await watchConfigMaps({ resourceVersion: c.metadata!.resourceVersion! });
    await w.until(() => w.events.length >= 1);
    expect(w.events[0]).toMatchObject({ type: 'ERROR', name: '410 Expired' });
    await w.until(() => w.isDone());
  });

  it('patches with merge, strategic and server-side apply', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'cn' },
        spec: {
          selector: { matchLabels: { app: 'cn' } },
          template: {
            metadata: { labels: { app: 'cn' } },
            spec: {
              containers: [
                { name: 'a', image: 'busybox' },
                { name: 'b', image: 'busybox' },
              ],
            },
          },
        },
      },
    });
    const patched = await apps.patchNamespacedDeployment(
      {
        name: 'cn',
        namespace: 'default',
        body: { spec: { template: { spec: { containers: [{ name: 'b', image: 'alpine' }] } } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(patched.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual([
      'a=busybox',
      'b=alpine',
    ]);
    expect(patched.metadata?.generation).toBe(2);

    const objects = KubernetesObjectApi.makeApiClient(kc);
    const applied = await objects.patch(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'ssa', namespace: 'default' },
        data: { a: 'b' },
      },
      undefined,
      undefined,
      'client-node-test',
      true,
      PatchStrategy.ServerSideApply,
    );
    const cm = applied as V1ConfigMap;
    expect(cm.data).toEqual({ a: 'b' });
    expect(cm.metadata?.managedFields?.[0]).toMatchObject({
      manager: 'client-node-test',
      operation: 'Apply',
    });
  });

  it('reads objects through KubernetesObjectApi (legacy discovery)', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const ns = await objects.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    expect(ns.metadata?.uid).toBeTruthy();
    const list = await objects.list('apps/v1', 'Deployment', 'default');
    expect(list.items.map((d) => d.metadata?.name)).toContain('cn');
  });
});
