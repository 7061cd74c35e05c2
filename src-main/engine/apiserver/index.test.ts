import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureProfilePki } from '../profiles/pki';
import type { ProfilePki } from '../profiles/types';
import { openSqliteStore } from '../store/sqlite-store';
import type { KeyValueStore } from '../store/types';
import { createApiServer } from './index';
import type { RunningApiServer } from './index';
import { callApi } from './testing/https-client';

describe('createApiServer', () => {
  let dir: string;
  let pki: ProfilePki;
  let store: KeyValueStore;
  let server: RunningApiServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubedesk-apiserver-index-'));
    pki = await ensureProfilePki(dir);
    store = openSqliteStore(':memory:');
    server = await createApiServer({ store, pki, adminToken: 'secret-token' });
  });
  afterAll(async () => {
    await server.close();
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('bootstraps the cluster and serves it to client certificates', async () => {
    const r = await callApi(server.port, pki, { path: '/api/v1/namespaces/default/services/kubernetes' });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ spec: { clusterIP: '10.96.0.1', ports: [{ port: 443 }] } });
    const ns = server.objectApi.list({ group: '', version: 'v1', resource: 'namespaces' });
    expect(ns.items.map((n) => n.metadata.name)).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
  });

  it('bootstraps idempotently (a restarted server over the same store)', async () => {
    const again = await createApiServer({ store, pki });
    await again.close();
    const svc = server.objectApi.get(
      { group: '', version: 'v1', resource: 'services' },
      'default',
      'kubernetes',
    );
    expect(svc.metadata.resourceVersion).toBeTruthy();
  });

  it('authenticates the admin token and rejects others', async () => {
    const ok = await callApi(server.port, pki, {
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      clientCert: false,
      headers: { authorization: 'Bearer secret-token', 'content-type': 'application/json' },
      body: '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}',
    });
    expect(ok.json()).toMatchObject({
      status: { userInfo: { username: 'admin', groups: ['system:masters', 'system:authenticated'] } },
    });
    const viaSubprotocol = await callApi(server.port, pki, {
      path: '/api/v1/namespaces',
      clientCert: false,
      headers: {
        'sec-websocket-protocol': `v5.channel.k8s.io, base64url.bearer.authorization.k8s.io.${Buffer.from('secret-token').toString('base64url')}`,
      },
    });
    expect(viaSubprotocol.status).toBe(200);
    const bad = await callApi(server.port, pki, {
      path: '/api/v1/namespaces',
      clientCert: false,
      headers: { authorization: 'Bearer wrong' },
    });
    expect(bad.status).toBe(401);
  });

  it('serves OpenAPI v3 and v2 protobuf', async () => {
    const root = (await callApi(server.port, pki, { path: '/openapi/v3' })).json<{
      paths: Record<string, { serverRelativeURL: string }>;
    }>();
    expect(root.paths['apis/apps/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=/);
    const v2 = await callApi(server.port, pki, {
      path: '/openapi/v2',
      headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
    });
    expect(v2.status).toBe(200);
    expect(v2.headers['content-type']).toContain('application/com.github.proto-openapi.spec.v2');
  });
});
