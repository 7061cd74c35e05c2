import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../testing/https-client';
import { startTestApiServer } from '../testing/test-api-server';
import type { TestApiServer } from '../testing/test-api-server';
import { createDeferredRbacAuthorizer } from './deferred';

const SA = 'system:serviceaccount:default:default';
const SA_TOKEN = 'default-sa-token';

describe('RBAC through kubectl', () => {
  let server: TestApiServer;
  const authorize = createDeferredRbacAuthorizer();
  beforeAll(async () => {
    server = await startTestApiServer({
      http: {
        authorize,
        authenticate: (token) =>
          token === SA_TOKEN
            ? { username: SA, groups: ['system:serviceaccounts', 'system:serviceaccounts:default'] }
            : undefined,
      },
    });
    authorize.start(server.objectApi);
  });
  afterAll(async () => {
    authorize.stop();
    await server?.close();
  });

  const canI = async (args: string[]) => {
    const result = await server.kubectl(['auth', 'can-i', ...args]);
    return result.stdout.trim();
  };

  it('answers kubectl auth can-i for the admin and the default service account', async () => {
    expect(await canI(['list', 'pods'])).toBe('yes');
    expect(await canI(['delete', 'nodes', '--all-namespaces'])).toBe('yes');
    expect(await canI(['list', 'pods', `--as=${SA}`])).toBe('no');
    expect(await canI(['get', 'secrets', `--as=${SA}`])).toBe('no');
    expect(await canI(['get', '/api', `--as=${SA}`])).toBe('yes');
    expect(await canI(['get', '/metrics', `--as=${SA}`])).toBe('no');
    const list = await server.kubectlOk(['auth', 'can-i', '--list', `--as=${SA}`]);
    expect(list).toContain('selfsubjectaccessreviews.authorization.k8s.io');
    expect(list).not.toMatch(/^pods\s/m);
  });

  it('refuses the default service account with a Kubernetes-worded 403 until it is bound', async () => {
    const denied = await callApi(server.port, server.pki, {
      path: '/api/v1/namespaces/default/pods',
      clientCert: false,
      headers: { Authorization: `Bearer ${SA_TOKEN}` },
    });
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      message: `pods is forbidden: User "${SA}" cannot list resource "pods" in API group "" in the namespace "default"`,
    });
    const logs = await callApi(server.port, server.pki, {
      path: '/api/v1/namespaces/default/pods/web/log',
      clientCert: false,
      headers: { Authorization: `Bearer ${SA_TOKEN}` },
    });
    expect(logs.json()).toMatchObject({
      code: 403,
      message: `pods "web" is forbidden: User "${SA}" cannot get resource "pods/log" in API group "" in the namespace "default"`,
    });
    const discovery = await callApi(server.port, server.pki, {
      path: '/api/v1',
      clientCert: false,
      headers: { Authorization: `Bearer ${SA_TOKEN}` },
    });
    expect(discovery.status).toBe(200);

    await server.kubectlOk([
      'create',
      'rolebinding',
      'default-view',
      '--clusterrole=view',
      '--serviceaccount=default:default',
      '-n',
      'default',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await canI(['list', 'pods', `--as=${SA}`])).toBe('yes');
    expect(await canI(['get', 'pods', '--subresource=log', `--as=${SA}`])).toBe('yes');
    expect(await canI(['get', 'secrets', `--as=${SA}`])).toBe('no');
    expect(await canI(['list', 'pods', '-n', 'kube-system', `--as=${SA}`])).toBe('no');
    const allowed = await callApi(server.port, server.pki, {
      path: '/api/v1/namespaces/default/pods',
      clientCert: false,
      headers: { Authorization: `Bearer ${SA_TOKEN}` },
    });
    expect(allowed.status).toBe(200);
  });

  it('rejects anonymous requests with 401', async () => {
    const anonymous = await callApi(server.port, server.pki, { path: '/api/v1/pods', clientCert: false });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });

  it('shows the aggregated rules of the default roles', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const describe = await server.kubectlOk(['describe', 'clusterrole', 'edit']);
    expect(describe).toContain('deployments.apps');
    expect(describe).toContain('secrets');
  });
});
