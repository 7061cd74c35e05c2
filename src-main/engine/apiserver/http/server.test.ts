import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import { callApi, openWatch } from '../testing/https-client';
import { sendJson } from './respond';
import { startTestApiServer } from '../testing/test-api-server';
import type { TestApiServer } from '../testing/test-api-server';
import { negotiateDiscovery, negotiateRepresentation } from './negotiation';

describe('content negotiation', () => {
  it('picks Tables and aggregated discovery as kubectl asks', () => {
    const kubectlGet =
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
    expect(negotiateRepresentation(kubectlGet)).toEqual({ as: 'Table', version: 'v1' });
    expect(negotiateRepresentation('application/json;as=Table;v=v1beta1;g=meta.k8s.io')).toEqual({
      as: 'Table',
      version: 'v1beta1',
    });
    expect(negotiateRepresentation('application/json')).toEqual({ as: 'object' });
    expect(negotiateRepresentation(undefined)).toEqual({ as: 'object' });
    const v130 =
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    expect(negotiateDiscovery(v130)).toBe('v2');
    expect(
      negotiateDiscovery(
        'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json',
      ),
    ).toBe('v2beta1');
    expect(negotiateDiscovery('application/json, */*')).toBe('legacy');
  });
});

describe('HTTP API', () => {
  let s: TestApiServer;
  const call = (
    path: string,
    init: Parameters<typeof callApi>[2] extends infer C ? Omit<C & object, 'path'> : never = {},
  ) => callApi(s.port, s.pki, { path, ...init });

  beforeAll(async () => {
    s = await startTestApiServer({
      fake: true,
      http: { log: () => {} },
      storage: { findUnknownFields: (_v, _k, obj) => ('foo' in obj ? ['foo'] : []) },
    });
  });
  afterAll(() => s.close());

  it('answers anonymous requests with 401 but serves /version and health', async () => {
    const r = await call('/api/v1/namespaces', { clientCert: false });
    expect(r.status).toBe(401);
    expect(r.json()).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
    expect((await call('/version', { clientCert: false })).json()).toMatchObject({
      major: '1',
      gitVersion: expect.stringMatching(/^v1\./),
    });
    expect((await call('/readyz', { clientCert: false })).body).toBe('ok');
  });

  it('answers aggregated discovery as asked, legacy otherwise', async () => {
    const v2 = await call('/apis', {
      headers: {
        accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      },
    });
    expect(v2.headers['content-type']).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    expect(v2.headers.vary).toBe('Accept');
    const doc = v2.json<{
      kind: string;
      items: Array<{
        metadata: { name: string };
        versions: Array<{ resources: Array<{ resource: string; subresources?: unknown[] }> }>;
      }>;
    }>();
    expect(doc.kind).toBe('APIGroupDiscoveryList');
    const apps = doc.items.find((i) => i.metadata.name === 'apps');
    expect(apps?.versions[0].resources.find((r) => r.resource === 'deployments')?.subresources).toHaveLength(
      2,
    );
    const beta = await call('/api', {
      headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList' },
    });
    expect(beta.json()).toMatchObject({
      apiVersion: 'apidiscovery.k8s.io/v2beta1',
      items: [{ metadata: { name: '' } }],
    });
    expect((await call('/api')).json()).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const legacy = (await call('/apis/apps/v1')).json<{
      resources: Array<{ name: string; kind: string; group?: string }>;
    }>();
    expect(legacy.resources).toContainEqual(
      expect.objectContaining({ name: 'deployments/scale', kind: 'Scale', group: 'autoscaling' }),
    );
  });

  it('rejects malformed, oversized and mismatched bodies with a Status', async () => {
    const bad = await call('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: '{nope',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    const big = await call('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'big' }, data: { a: 'x'.repeat(3 * 1024 * 1024 + 10) } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
    const kind = await call('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'k' } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(kind.status).toBe(400);
    const name = await call('/api/v1/namespaces/default/configmaps/a', {
      method: 'PUT',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(name.status).toBe(400);
    const yaml = await call('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n',
      headers: { 'content-type': 'application/yaml' },
    });
    expect(yaml.status).toBe(201);
    const unsupported = await call('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(unsupported.status).toBe(415);
  });

  it('warns about unknown fields, or rejects them when Strict', async () => {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w' }, foo: 1 });
    const strict = await call('/api/v1/namespaces/default/configmaps?fieldValidation=Strict', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(strict.status).toBe(400);
    expect(strict.json()).toMatchObject({
      message:
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "foo"',
    });
    const warn = await call('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(warn.status).toBe(201);
    expect(warn.headers.warning).toBe('299 - "unknown field \\"foo\\""');
  });

  it('answers Tables with PartialObjectMetadata rows by default', async () => {
    const r = await call('/api/v1/namespaces', {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    const table = r.json<{
      kind: string;
      columnDefinitions: unknown[];
      rows: Array<{ cells: unknown[]; object: { kind: string } }>;
    }>();
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.length).toBeGreaterThan(0);
    expect(table.rows[0].object.kind).toBe('PartialObjectMetadata');
    const none = await call('/api/v1/namespaces/default?includeObject=None', {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    expect(none.json<{ rows: Array<{ object?: unknown }> }>().rows[0].object).toBeUndefined();
  });

  it('streams watch events one JSON line each', async () => {
    const w = openWatch(
      s.port,
      s.pki,
      '/api/v1/namespaces/default/configmaps?watch=true&labelSelector=w%3D1',
    );
    await new Promise((r) => setTimeout(r, 100));
    await call('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'watched', labels: { w: '1' } } }),
      headers: { 'content-type': 'application/json' },
    });
    await call('/api/v1/namespaces/default/configmaps/watched', { method: 'DELETE' });
    const lines = await w.waitForLines(2);
    w.stop();
    expect(lines.map((l) => JSON.parse(l).type)).toEqual(['ADDED', 'DELETED']);
  });

  it('ends a watch after timeoutSeconds, and answers 410 for a compacted resourceVersion', async () => {
    const w = openWatch(s.port, s.pki, '/api/v1/namespaces?watch=1&timeoutSeconds=1');
    await w.ended;
    expect(w.lines.length).toBe(4);
    await call('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'c1' } }),
    });
    s.store.compact(s.store.currentRevision());
    const old = openWatch(s.port, s.pki, '/api/v1/namespaces?watch=1&resourceVersion=1');
    await old.ended;
    expect(old.lines).toHaveLength(1);
    expect(JSON.parse(old.lines[0])).toMatchObject({
      type: 'ERROR',
      object: { code: 410, reason: 'Expired' },
    });
  });

  it('answers whoami and access reviews', async () => {
    const who = await call('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      method: 'POST',
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(who.status).toBe(201);
    expect(who.json()).toMatchObject({
      status: { userInfo: { username: 'kubedesk-user', groups: ['system:masters', 'system:authenticated'] } },
    });
    const ssar = await call('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      method: 'POST',
      body: JSON.stringify({ spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(ssar.json()).toMatchObject({ status: { allowed: true } });
  });

  it('impersonates users and service accounts (kubectl --as)', async () => {
    const review = (headers: Record<string, string>) =>
      call('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        method: 'POST',
        body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
        headers: { 'content-type': 'application/json', ...headers },
      });
    const jane = await review({ 'Impersonate-User': 'jane', 'Impersonate-Group': 'devs' });
    expect(jane.json()).toMatchObject({
      status: { userInfo: { username: 'jane', groups: ['devs', 'system:authenticated'] } },
    });
    const sa = await review({ 'Impersonate-User': 'system:serviceaccount:default:bot' });
    expect(sa.json()).toMatchObject({
      status: {
        userInfo: {
          username: 'system:serviceaccount:default:bot',
          groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
        },
      },
    });
  });

  it('binds and evicts pods through subresources', async () => {
    const pod = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [] },
    });
    expect((await call('/api/v1/namespaces/default/pods', { method: 'POST', body: pod })).status).toBe(201);
    const bind = await call('/api/v1/namespaces/default/pods/p/binding', {
      method: 'POST',
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'p' },
        target: { kind: 'Node', name: 'n1' },
      }),
    });
    expect(bind.status).toBe(201);
    expect((await call('/api/v1/namespaces/default/pods/p')).json()).toMatchObject({
      spec: { nodeName: 'n1' },
    });
    const again = await call('/api/v1/namespaces/default/pods/p/binding', {
      method: 'POST',
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'p' },
        target: { kind: 'Node', name: 'n2' },
      }),
    });
    expect(again.status).toBe(409);
    const evict = await call('/api/v1/namespaces/default/pods/p/eviction', {
      method: 'POST',
      body: JSON.stringify({
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: 'p' },
        deleteOptions: { gracePeriodSeconds: 0 },
      }),
    });
    expect(evict.status).toBe(201);
    expect((await call('/api/v1/namespaces/default/pods/p')).status).toBe(404);
  });

  it('survives an unexpected exception with a 500 Status', async () => {
    s.registerSubresourceHandler('', 'pods', 'log', {
      handle: () => {
        throw new Error('boom');
      },
    });
    const r = await call('/api/v1/namespaces/default/pods/x/log');
    expect(r.status).toBe(500);
    expect(r.json()).toMatchObject({ kind: 'Status', code: 500 });
    expect((await call('/version')).status).toBe(200);
  });

  it('routes subresources to registered handlers, plain and upgraded', async () => {
    s.registerSubresourceHandler('', 'configmaps', 'token', {
      handle: async (r, res) => {
        const body = await r.readObject();
        sendJson(res, 201, { kind: 'TokenRequest', name: r.name, namespace: r.namespace, got: body.spec });
      },
    });
    const token = await call('/api/v1/namespaces/default/configmaps/bot/token', {
      method: 'POST',
      body: JSON.stringify({ spec: { audiences: ['x'] } }),
    });
    expect(token.status).toBe(201);
    expect(token.json()).toEqual({
      kind: 'TokenRequest',
      name: 'bot',
      namespace: 'default',
      got: { audiences: ['x'] },
    });

    s.registerSubresourceHandler('', 'pods', 'exec', {
      upgrade: (r, socket) => {
        socket.end(
          `HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\nX-Command: ${r.query.getAll('command').join(' ')}\r\n\r\n`,
        );
      },
    });
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: s.port,
        path: '/api/v1/namespaces/default/pods/p/exec?command=ls&command=-l',
        headers: { Connection: 'Upgrade', Upgrade: 'test' },
        ca: s.pki.caCertPem,
        cert: s.pki.adminCertPem,
        key: s.pki.adminKeyPem,
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve(res.headers);
      });
      req.on('error', reject);
      req.end();
    });
    expect(headers['x-command']).toBe('ls -l');
    const missing = await new Promise<number>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: s.port,
        path: '/api/v1/namespaces/default/pods/p/attach',
        headers: { Connection: 'Upgrade', Upgrade: 'test' },
        ca: s.pki.caCertPem,
        cert: s.pki.adminCertPem,
        key: s.pki.adminKeyPem,
      });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('upgrade', () => reject(new Error('unexpected upgrade')));
      req.on('error', reject);
      req.end();
    });
    expect(missing).toBe(404);
  });
});
