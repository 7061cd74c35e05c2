import { describe, expect, it } from 'vitest';
import type { KubeObject, ResourceType } from '../../ipc/contract';
import { InvalidError, NotFoundError, kubedeskError } from '../../ipc/errors';
import type { KubeRest, RestRequest } from './kube-rest';
import { KubeOperations, createMergePatch, parseManifests } from './kube-operations';

const TYPES: ResourceType[] = [
  { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['list'] },
  { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false, verbs: ['list'] },
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    verbs: ['list'],
  },
];
const DEPLOYMENTS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };

/** Records requests and answers from a table keyed by `METHOD path`. */
function fakeRest(answers: Record<string, unknown | ((req: RestRequest) => unknown)>) {
  const requests: RestRequest[] = [];
  const rest = {
    request: async (req: RestRequest) => {
      requests.push(req);
      const answer = answers[`${req.method ?? 'GET'} ${req.path}`];
      if (answer === undefined) throw kubedeskError('NotFound', `${req.path} not found`, { code: 404 });
      return typeof answer === 'function' ? (answer as (r: RestRequest) => unknown)(req) : answer;
    },
  };
  return { rest: rest as unknown as KubeRest, requests };
}

describe('parseManifests', () => {
  it('splits documents, unpacks Lists, skips empty ones', () => {
    const objects = parseManifests(
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n',
    );
    expect(objects.map((o) => o.metadata.name)).toEqual(['a', 'b']);
  });

  it('reports syntax errors and missing identity as Invalid', () => {
    expect(() => parseManifests('kind: [')).toThrow(InvalidError);
    expect(() => parseManifests('apiVersion: v1\nkind: ConfigMap\n')).toThrow(/metadata.name is required/);
    expect(() => parseManifests('')).toThrow(/no objects/);
  });
});

describe('KubeOperations', () => {
  it('applies each document with server-side apply into the right place and says what happened', async () => {
    const { rest, requests } = fakeRest({
      'GET /api/v1/namespaces/team/configmaps/a': { metadata: { name: 'a' } },
      'PATCH /api/v1/namespaces/team/configmaps/a': {},
      'PATCH /api/v1/namespaces/x': {},
    });
    const ops = new KubeOperations(rest, async () => TYPES);
    const results = await ops.apply(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, resourceVersion: "5", managedFields: []}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n',
      'apply',
      'team',
    );
    expect(results).toEqual([
      { kind: 'ConfigMap', name: 'a', namespace: 'team', action: 'configured' },
      { kind: 'Namespace', name: 'x', action: 'created' },
    ]);
    const patch = requests.find((r) => r.method === 'PATCH' && r.path.endsWith('/configmaps/a'));
    expect(patch?.contentType).toBe('application/apply-patch+yaml');
    expect(patch?.query).toMatchObject({ fieldManager: 'kubedesk', force: true });
    expect(JSON.parse(JSON.stringify(patch?.body))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', namespace: 'team' },
    });
  });

  it('refuses kinds the server does not serve', async () => {
    const ops = new KubeOperations(fakeRest({}).rest, async () => TYPES);
    await expect(ops.apply('apiVersion: x/v1\nkind: Widget\nmetadata: {name: w}\n', 'apply')).rejects.toThrow(
      NotFoundError,
    );
  });

  it('rolls a Deployment back to the previous revision (or a chosen one) without the hash label', async () => {
    const template = (image: string, hash: string) => ({
      metadata: { labels: { app: 'web', 'pod-template-hash': hash } },
      spec: { containers: [{ name: 'web', image }] },
    });
    const rs = (name: string, revision: string, image: string): KubeObject => ({
      metadata: {
        name,
        annotations: { 'deployment.kubernetes.io/revision': revision },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1', controller: true },
        ],
      },
      spec: { template: template(image, name) },
    });
    const { rest, requests } = fakeRest({
      'GET /apis/apps/v1/namespaces/default/deployments/web': {
        metadata: { name: 'web', uid: 'd1', annotations: { 'deployment.kubernetes.io/revision': '3' } },
      },
      'GET /apis/apps/v1/namespaces/default/replicasets': {
        items: [rs('web-1', '1', 'busybox:1'), rs('web-3', '3', 'busybox:3'), rs('web-2', '2', 'busybox:2')],
        metadata: { resourceVersion: '9' },
      },
      'PATCH /apis/apps/v1/namespaces/default/deployments/web': (req: RestRequest) => ({ sent: req.body }),
    });
    const ops = new KubeOperations(rest, async () => TYPES);
    const ref = { type: DEPLOYMENTS, namespace: 'default', name: 'web' };
    const history = await ops.rolloutHistory(ref);
    expect(history.map((h) => [h.revision, h.images[0], h.current])).toEqual([
      [3, 'busybox:3', true],
      [2, 'busybox:2', false],
      [1, 'busybox:1', false],
    ]);
    await ops.rolloutUndo(ref);
    const undo = requests.at(-1);
    expect(undo?.contentType).toBe('application/json-patch+json');
    expect(undo?.body).toEqual([
      {
        op: 'replace',
        path: '/spec/template',
        value: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'busybox:2' }] },
        },
      },
    ]);
    await ops.rolloutUndo(ref, 1);
    expect(JSON.stringify(requests.at(-1)?.body)).toContain('busybox:1');
    await expect(ops.rolloutUndo(ref, 7)).rejects.toThrow('unable to find specified revision 7 in history');
  });

  it('drains: cordons, evicts ordinary pods, leaves DaemonSet and mirror pods', async () => {
    const pod = (name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
      metadata: { name, namespace: 'default', ...extra },
      spec: { nodeName: 'n1' },
    });
    const { rest, requests } = fakeRest({
      'PATCH /api/v1/nodes/n1': {},
      'GET /api/v1/pods': {
        items: [
          pod('web'),
          pod('agent', {
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'u', controller: true },
            ],
          }),
          pod('static', { annotations: { 'kubernetes.io/config.mirror': 'x' } }),
        ],
      },
      'POST /api/v1/namespaces/default/pods/web/eviction': {},
    });
    const ops = new KubeOperations(rest, async () => TYPES);
    const result = await ops.drain('n1');
    expect(result.evicted).toEqual(['default/web']);
    expect(result.skipped.map((s) => s.reason)).toEqual(['managed by a DaemonSet', 'mirror pod']);
    expect(requests[0]).toMatchObject({ method: 'PATCH', body: { spec: { unschedulable: true } } });
    expect(requests.find((r) => r.path === '/api/v1/pods')?.query).toMatchObject({
      fieldSelector: 'spec.nodeName=n1',
    });
  });

  it('scales and restarts with merge patches', async () => {
    const { rest, requests } = fakeRest({ 'PATCH /apis/apps/v1/namespaces/default/deployments/web': {} });
    const ops = new KubeOperations(rest, async () => TYPES);
    const ref = { type: DEPLOYMENTS, namespace: 'default', name: 'web' };
    await ops.scale(ref, 3);
    expect(requests[0]).toMatchObject({
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 3 } },
    });
    expect(() => ops.scale(ref, -1)).toThrow(/whole number/);
    await ops.rolloutRestart(ref, new Date('2026-01-01T00:00:00Z'));
    expect(requests[1].body).toEqual({
      spec: {
        template: {
          metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00.000Z' } },
        },
      },
    });
  });
});

describe('edit', () => {
  it('sends only what the user changed, as a merge patch without the resourceVersion', async () => {
    const { rest, requests } = fakeRest({ 'PATCH /apis/apps/v1/namespaces/default/deployments/web': {} });
    const ops = new KubeOperations(rest, async () => TYPES);
    const original =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default, resourceVersion: "7", labels: {a: "1", b: "2"}}\nspec: {replicas: 1, paused: false}\nstatus: {replicas: 1}\n';
    const edited =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default, resourceVersion: "7", labels: {a: "1"}}\nspec: {replicas: 3, paused: false}\nstatus: {replicas: 1}\n';
    expect(await ops.edit(original, edited)).toEqual({
      kind: 'Deployment',
      name: 'web',
      namespace: 'default',
      action: 'edited',
    });
    expect(requests[0]).toMatchObject({
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { b: null } }, spec: { replicas: 3 } },
    });
    expect(await ops.edit(original, original)).toMatchObject({ action: 'unchanged' });
    expect(requests).toHaveLength(1);
    await expect(ops.edit(original, edited.replace('name: web', 'name: other'))).rejects.toThrow(
      InvalidError,
    );
  });

  it('createMergePatch replaces arrays whole and nulls removed keys', () => {
    expect(createMergePatch({ a: [1, 2], b: { c: 1 } }, { a: [1, 2, 3], b: {} })).toEqual({
      a: [1, 2, 3],
      b: { c: null },
    });
    expect(createMergePatch({ a: 1 }, { a: 1 })).toBeUndefined();
  });
});
