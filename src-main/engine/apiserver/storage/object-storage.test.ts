import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { openSqliteStore } from '../../store/sqlite-store';
import type { KeyValueStore } from '../../store/types';
import type { WatchEvent } from '../object-api';
import { ApiError } from '../status';
import { fakePatcher, fakeResolver } from '../testing/fake-resources';
import { bootstrapCluster } from './bootstrap';
import { ObjectStorage } from './object-storage';

const CM = { group: '', version: 'v1', resource: 'configmaps' };
const NS = { group: '', version: 'v1', resource: 'namespaces' };
const PODS = { group: '', version: 'v1', resource: 'pods' };
const DEPLOY = { group: 'apps', version: 'v1', resource: 'deployments' };

let store: KeyValueStore;
let api: ObjectStorage;
let clock: Date;

function cm(
  name: string,
  labels?: Record<string, string>,
  data: Record<string, string> = { a: '1' },
): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

beforeEach(() => {
  store = openSqliteStore(':memory:');
  clock = new Date('2026-01-01T00:00:00Z');
  api = new ObjectStorage({ store, resources: fakeResolver(), patcher: fakePatcher, now: () => clock });
  bootstrapCluster(api);
});
afterEach(() => store.close());

describe('create/get/update', () => {
  it('bootstraps system namespaces and the kubernetes service', () => {
    const names = api.list(NS).items.map((n) => n.metadata.name);
    expect(names).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const svc = store.get('/registry/core/services/default/kubernetes');
    expect(JSON.parse(svc!.value).spec.clusterIP).toBe('10.96.0.1');
  });

  it('fills system metadata and answers resourceVersion from the store revision', () => {
    const created = api.create(CM, 'default', cm('a'));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(created.metadata.namespace).toBe('default');
    expect(created.metadata.resourceVersion).toBe(String(store.currentRevision()));
    expect(api.get(CM, 'default', 'a')).toMatchObject({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      data: { a: '1' },
    });
  });

  it('rejects duplicates, missing namespaces and terminating namespaces', () => {
    api.create(CM, 'default', cm('a'));
    const dup = apiError(() => api.create(CM, 'default', cm('a')));
    expect([dup.code, dup.reason, dup.message]).toEqual([
      409,
      'AlreadyExists',
      'configmaps "a" already exists',
    ]);
    const missing = apiError(() => api.create(CM, 'nope', cm('a')));
    expect([missing.code, missing.message]).toEqual([404, 'namespaces "nope" not found']);
    api.create(NS, undefined, { metadata: { name: 'doomed' } });
    api.delete(NS, undefined, 'doomed');
    const term = apiError(() => api.create(CM, 'doomed', cm('x')));
    expect(term.code).toBe(403);
    expect(term.message).toBe(
      'configmaps "x" is forbidden: unable to create new content in namespace doomed because it is being terminated',
    );
  });

  it('generates names with a 5-character suffix', () => {
    const created = api.create(CM, 'default', { metadata: { generateName: 'web-' }, data: {} });
    expect(created.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
  });

  it('dry-run create answers without writing', () => {
    const rev = store.currentRevision();
    const created = api.create(CM, 'default', cm('dry'), { dryRun: true });
    expect(created.metadata.uid).toBeTruthy();
    expect(store.currentRevision()).toBe(rev);
    expect(apiError(() => api.get(CM, 'default', 'dry')).code).toBe(404);
  });

  it('conflicts on a stale resourceVersion and updates unconditionally without one', () => {
    const created = api.create(CM, 'default', cm('a'));
    api.update(CM, 'default', { ...cm('a', undefined, { a: '2' }) });
    const stale = apiError(() =>
      api.update(CM, 'default', { ...cm('a', undefined, { a: '3' }), metadata: { ...created.metadata } }),
    );
    expect(stale.code).toBe(409);
    expect(stale.message).toBe(
      'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
    );
    const updated = api.get(CM, 'default', 'a');
    expect(updated.data).toEqual({ a: '2' });
    expect(updated.metadata.uid).toBe(created.metadata.uid);
  });

  it('does not bump the revision for a no-op update', () => {
    const created = api.create(CM, 'default', cm('a'));
    const again = api.update(CM, 'default', created);
    expect(again.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('keeps status on main writes and spec on status writes; bumps generation on spec change only', () => {
    const d = api.create(DEPLOY, 'default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } } },
      status: { replicas: 99 },
    });
    expect(d.metadata.generation).toBe(1);
    expect(d.status).toBeUndefined();
    const s = api.update(
      DEPLOY,
      'default',
      { ...d, spec: { replicas: 5 }, status: { replicas: 1 } },
      { subresource: 'status' },
    );
    expect(s.status).toEqual({ replicas: 1 });
    expect((s.spec as { replicas: number }).replicas).toBe(1);
    expect(s.metadata.generation).toBe(1);
    const m = api.update(DEPLOY, 'default', {
      ...s,
      spec: { ...(s.spec as object), replicas: 3 },
      status: {},
    });
    expect(m.status).toEqual({ replicas: 1 });
    expect(m.metadata.generation).toBe(2);
    const l = api.patch(DEPLOY, 'default', 'web', 'merge', { metadata: { labels: { x: 'y' } } });
    expect(l.metadata.generation).toBe(2);
  });

  it('validates and answers Invalid', () => {
    const e = apiError(() =>
      api.create(DEPLOY, 'default', { metadata: { name: 'bad' }, spec: { replicas: -1 } }),
    );
    expect(e.code).toBe(422);
    expect(e.message).toContain('spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  });

  it('serves the scale subresource', () => {
    api.create(DEPLOY, 'default', {
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } },
    });
    const scale = api.get(DEPLOY, 'default', 'web', 'scale');
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 2 },
      status: { selector: 'app=web' },
    });
    const patched = api.patch(
      DEPLOY,
      'default',
      'web',
      'merge',
      { spec: { replicas: 4 } },
      { subresource: 'scale' },
    );
    expect(patched.spec).toEqual({ replicas: 4 });
    expect((api.get(DEPLOY, 'default', 'web').spec as { replicas: number }).replicas).toBe(4);
    expect(
      apiError(() =>
        api.update(
          DEPLOY,
          'default',
          { metadata: { name: 'web' }, spec: { replicas: -1 } },
          { subresource: 'scale' },
        ),
      ).code,
    ).toBe(422);
  });

  it('rejects a body whose kind does not match the URL', () => {
    const e = apiError(() =>
      api.create(CM, 'default', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } }),
    );
    expect(e.code).toBe(400);
  });

  it('rejects metadata that is not ObjectMeta-shaped with 400', () => {
    for (const metadata of [
      { name: 123 },
      { name: 'x', labels: 'a' },
      { name: 'x', labels: { a: 1 } },
      { name: 'x', finalizers: 'f' },
    ]) {
      const e = apiError(() => api.create(CM, 'default', { metadata } as unknown as KubeObject));
      expect(e.code).toBe(400);
      expect(e.message).toMatch(
        /^ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal/,
      );
    }
    expect(apiError(() => api.patch(CM, 'default', 'nope', 'merge', {})).code).toBe(404);
    api.create(CM, 'default', cm('shape'));
    expect(
      apiError(() => api.patch(CM, 'default', 'shape', 'merge', { metadata: { labels: { a: 5 } } })).code,
    ).toBe(400);
  });

  it('handles unknown fields per fieldValidation', () => {
    const strict = new ObjectStorage({
      store,
      resources: fakeResolver(),
      patcher: fakePatcher,
      findUnknownFields: (_v, _k, obj) => ('foo' in obj ? ['foo'] : []),
    });
    const e = apiError(() =>
      strict.create(CM, 'default', { ...cm('u'), foo: 1 }, { fieldValidation: 'Strict' }),
    );
    expect(e.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "foo"',
    );
    const warnings: string[] = [];
    const created = strict.create(
      CM,
      'default',
      { ...cm('u'), foo: 1 },
      { onWarning: (w) => warnings.push(w) },
    );
    expect(warnings).toEqual(['unknown field "foo"']);
    expect(created.foo).toBeUndefined();
  });
});

describe('multi-version resources', () => {
  it('presents stored objects through the resolver conversion on every read and patch', async () => {
    const resolver = fakeResolver();
    const converting = new ObjectStorage({
      store,
      resources: {
        ...resolver,
        convert: (_def, obj) => ({ ...obj, data: { ...(obj.data as object), view: 'converted' } }),
      },
      patcher: fakePatcher,
    });
    converting.create(CM, 'default', cm('v'));
    expect(converting.get(CM, 'default', 'v').data).toEqual({ a: '1', view: 'converted' });
    expect(converting.list(CM, { namespace: 'default' }).items[0].data).toMatchObject({ view: 'converted' });
    const events: WatchEvent[] = [];
    const stop = converting.watch(CM, { namespace: 'default' }, (e) => events.push(e));
    stop();
    expect(events[0].object.data).toMatchObject({ view: 'converted' });
    expect(converting.patch(CM, 'default', 'v', 'merge', { data: { b: '2' } }).data).toMatchObject({
      b: '2',
      view: 'converted',
    });
  });
});

describe('patch', () => {
  it('applies json, merge and apply patches; apply creates', () => {
    api.create(CM, 'default', cm('a'));
    expect(api.patch(CM, 'default', 'a', 'merge', { data: { b: '2' } }).data).toEqual({ a: '1', b: '2' });
    expect(api.patch(CM, 'default', 'a', 'json', [{ op: 'remove', path: '/data/a' }]).data).toEqual({
      b: '2',
    });
    const created = api.patch(CM, 'default', 'new', 'apply', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'new' },
      data: { x: 'y' },
    });
    expect(created.metadata.uid).toBeTruthy();
    expect(apiError(() => api.patch(CM, 'default', 'missing', 'merge', {})).code).toBe(404);
  });

  it('treats a resourceVersion inside a patch as a precondition', () => {
    const c = api.create(CM, 'default', cm('a'));
    api.patch(CM, 'default', 'a', 'merge', { data: { b: '2' } });
    expect(
      apiError(() =>
        api.patch(CM, 'default', 'a', 'merge', { metadata: { resourceVersion: c.metadata.resourceVersion } }),
      ).code,
    ).toBe(409);
  });
});

describe('delete', () => {
  it('removes at once without finalizers, and 404 afterwards', () => {
    api.create(CM, 'default', cm('a'));
    expect(api.delete(CM, 'default', 'a').metadata.name).toBe('a');
    expect(apiError(() => api.get(CM, 'default', 'a')).code).toBe(404);
  });

  it('marks objects with finalizers and removes them when the last finalizer goes', () => {
    api.create(CM, 'default', { ...cm('f'), metadata: { name: 'f', finalizers: ['example.com/x'] } });
    const marked = api.delete(CM, 'default', 'f');
    expect(marked.metadata.deletionTimestamp).toBeTruthy();
    expect(api.get(CM, 'default', 'f').metadata.deletionTimestamp).toBeTruthy();
    const added = apiError(() =>
      api.patch(CM, 'default', 'f', 'merge', { metadata: { finalizers: ['example.com/x', 'b'] } }),
    );
    expect(added.code).toBe(422);
    api.patch(CM, 'default', 'f', 'merge', { metadata: { finalizers: null } });
    expect(apiError(() => api.get(CM, 'default', 'f')).code).toBe(404);
  });

  it('adds propagation finalizers for Foreground and Orphan', () => {
    api.create(CM, 'default', cm('fg'));
    expect(api.delete(CM, 'default', 'fg', { propagationPolicy: 'Foreground' }).metadata.finalizers).toEqual([
      'foregroundDeletion',
    ]);
    api.create(CM, 'default', cm('or'));
    expect(api.delete(CM, 'default', 'or', { propagationPolicy: 'Orphan' }).metadata.finalizers).toEqual([
      'orphan',
    ]);
  });

  it('deletes bound pods gracefully and unbound pods at once', () => {
    api.create(PODS, 'default', { metadata: { name: 'bound' }, spec: { nodeName: 'n1', containers: [] } });
    api.create(PODS, 'default', { metadata: { name: 'free' }, spec: { containers: [] } });
    const bound = api.delete(PODS, 'default', 'bound');
    expect(bound.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(bound.metadata.deletionTimestamp).toBe('2026-01-01T00:00:30Z');
    expect(api.get(PODS, 'default', 'bound')).toBeTruthy();
    api.delete(PODS, 'default', 'bound', { gracePeriodSeconds: 0 });
    expect(apiError(() => api.get(PODS, 'default', 'bound')).code).toBe(404);
    api.delete(PODS, 'default', 'free');
    expect(apiError(() => api.get(PODS, 'default', 'free')).code).toBe(404);
  });

  it('checks preconditions', () => {
    api.create(CM, 'default', cm('a'));
    expect(apiError(() => api.delete(CM, 'default', 'a', { preconditions: { uid: 'nope' } })).code).toBe(409);
  });

  it('marks namespaces Terminating and protects system namespaces', () => {
    api.create(NS, undefined, { metadata: { name: 'x' } });
    const ns = api.delete(NS, undefined, 'x');
    expect((ns.status as { phase: string }).phase).toBe('Terminating');
    expect(ns.metadata.deletionTimestamp).toBeTruthy();
    expect(apiError(() => api.delete(NS, undefined, 'default')).code).toBe(403);
    api.update(
      NS,
      undefined,
      { metadata: { name: 'x' }, spec: { finalizers: [] } },
      { subresource: 'finalize' },
    );
    expect(apiError(() => api.get(NS, undefined, 'x')).code).toBe(404);
  });

  it('deletes collections by selector', () => {
    api.create(CM, 'default', cm('a', { app: 'x' }));
    api.create(CM, 'default', cm('b', { app: 'y' }));
    const deleted = api.deleteCollection(CM, { namespace: 'default', labelSelector: 'app=x' });
    expect(deleted.items.map((i) => i.metadata.name)).toEqual(['a']);
    expect(api.list(CM, { namespace: 'default' }).items.map((i) => i.metadata.name)).toEqual(['b']);
  });
});

describe('list', () => {
  beforeEach(() => {
    for (let i = 0; i < 7; i++) api.create(CM, 'default', cm(`c${i}`, { n: String(i % 2) }));
    api.create(NS, undefined, { metadata: { name: 'other' } });
    api.create(CM, 'other', cm('o1', { n: '1' }));
  });

  it('answers a typed list with selectors', () => {
    const list = api.list(CM, { namespace: 'default', labelSelector: 'n=1' });
    expect(list.kind).toBe('ConfigMapList');
    expect(list.apiVersion).toBe('v1');
    expect(list.items.map((i) => i.metadata.name)).toEqual(['c1', 'c3', 'c5']);
    expect(list.items[0].kind).toBe('ConfigMap');
    expect(api.list(CM, { labelSelector: 'n=1' }).items).toHaveLength(4);
    expect(
      api.list(CM, { fieldSelector: 'metadata.namespace!=default' }).items.map((i) => i.metadata.name),
    ).toEqual(['o1']);
    expect(api.list(CM, { namespace: 'default', fieldSelector: 'metadata.name=c2' }).items).toHaveLength(1);
    expect(apiError(() => api.list(CM, { fieldSelector: 'spec.x=1' })).code).toBe(400);
  });

  it('pages with limit/continue and reports remainingItemCount', () => {
    const p1 = api.list(CM, { namespace: 'default', limit: 3 });
    expect(p1.items.map((i) => i.metadata.name)).toEqual(['c0', 'c1', 'c2']);
    expect(p1.metadata.remainingItemCount).toBe(4);
    const p2 = api.list(CM, { namespace: 'default', limit: 3, continue: p1.metadata.continue });
    expect(p2.items.map((i) => i.metadata.name)).toEqual(['c3', 'c4', 'c5']);
    const p3 = api.list(CM, { namespace: 'default', limit: 3, continue: p2.metadata.continue });
    expect(p3.items.map((i) => i.metadata.name)).toEqual(['c6']);
    expect(p3.metadata.continue).toBeUndefined();
    expect(p1.metadata.resourceVersion).toBe(p3.metadata.resourceVersion);
  });

  it('pages through a selector', () => {
    const p1 = api.list(CM, { namespace: 'default', limit: 2, labelSelector: 'n=0' });
    expect(p1.items.map((i) => i.metadata.name)).toEqual(['c0', 'c2']);
    const p2 = api.list(CM, {
      namespace: 'default',
      limit: 2,
      labelSelector: 'n=0',
      continue: p1.metadata.continue,
    });
    expect(p2.items.map((i) => i.metadata.name)).toEqual(['c4', 'c6']);
  });

  it('answers 410 for a continue token older than compaction and 400 for garbage', () => {
    const p1 = api.list(CM, { namespace: 'default', limit: 2 });
    api.patch(CM, 'default', 'c0', 'merge', { data: { z: '1' } });
    store.compact(store.currentRevision());
    expect(
      apiError(() => api.list(CM, { namespace: 'default', limit: 2, continue: p1.metadata.continue })).code,
    ).toBe(410);
    expect(apiError(() => api.list(CM, { namespace: 'default', continue: 'garbage' })).code).toBe(400);
  });
});

describe('watch', () => {
  function collect(options: Parameters<ObjectStorage['watch']>[1]): {
    events: WatchEvent[];
    stop: () => void;
  } {
    const events: WatchEvent[] = [];
    const stop = api.watch(CM, options, (e) => events.push(e));
    return { events, stop };
  }
  const summary = (events: WatchEvent[]) => events.map((e) => `${e.type} ${e.object.metadata.name ?? ''}`);

  it('sends synthetic ADDED events first, then changes in order', async () => {
    api.create(CM, 'default', cm('a'));
    const { events, stop } = collect({ namespace: 'default' });
    api.patch(CM, 'default', 'a', 'merge', { data: { b: '1' } });
    api.create(CM, 'default', cm('b'));
    api.delete(CM, 'default', 'a');
    await settle();
    stop();
    expect(summary(events)).toEqual(['ADDED a', 'MODIFIED a', 'ADDED b', 'DELETED a']);
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);
  });

  it('resumes from a resourceVersion', async () => {
    const a = api.create(CM, 'default', cm('a'));
    api.create(CM, 'default', cm('b'));
    const { events, stop } = collect({ namespace: 'default', resourceVersion: a.metadata.resourceVersion });
    await settle();
    stop();
    expect(summary(events)).toEqual(['ADDED b']);
  });

  it('turns selector transitions into ADDED/DELETED', async () => {
    api.create(CM, 'default', cm('a', { app: 'x' }));
    const { events, stop } = collect({
      namespace: 'default',
      labelSelector: 'app=x',
      resourceVersion: String(store.currentRevision()),
    });
    api.patch(CM, 'default', 'a', 'merge', { metadata: { labels: { app: 'y' } } });
    api.patch(CM, 'default', 'a', 'merge', { metadata: { labels: { app: 'x' } } });
    await settle();
    stop();
    expect(summary(events)).toEqual(['DELETED a', 'ADDED a']);
  });

  it('answers ERROR 410 for a compacted resourceVersion', () => {
    api.create(CM, 'default', cm('a'));
    api.patch(CM, 'default', 'a', 'merge', { data: { b: '1' } });
    store.compact(store.currentRevision());
    const { events } = collect({ namespace: 'default', resourceVersion: '1' });
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('ERROR');
    expect(events[0].object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect((events[0].object as unknown as { message: string }).message).toMatch(
      /^too old resource version: 1 \(\d+\)$/,
    );
  });

  it('sends bookmarks only when allowed', async () => {
    api.watchTuning = { bookmarkIntervalMs: 5 };
    const quiet = collect({ namespace: 'default', resourceVersion: String(store.currentRevision()) });
    const chatty = collect({
      namespace: 'default',
      resourceVersion: String(store.currentRevision()),
      allowWatchBookmarks: true,
    });
    await new Promise((r) => setTimeout(r, 30));
    quiet.stop();
    chatty.stop();
    expect(quiet.events).toHaveLength(0);
    expect(chatty.events.length).toBeGreaterThan(0);
    expect(chatty.events[0].type).toBe('BOOKMARK');
  });
});
