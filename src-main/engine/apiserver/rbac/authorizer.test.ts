import { afterEach, describe, expect, it } from 'vitest';
import { createObjectStorage } from '../index';
import { bootstrapCluster } from '../storage/bootstrap';
import { openSqliteStore } from '../../store/sqlite-store';
import type { UserInfo } from '../http/auth';
import type { ObjectApi } from '../object-api';
import { createRbacAuthorizer } from './authorizer';
import type { RbacAuthorizer } from './authorizer';
import { createDeferredRbacAuthorizer } from './deferred';

const RBAC = 'rbac.authorization.k8s.io';
const gvr = (resource: string) => ({ group: RBAC, version: 'v1', resource });
const sa = (namespace: string, name: string): UserInfo => ({
  username: `system:serviceaccount:${namespace}:${name}`,
  groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
});
const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] };
const admin: UserInfo = { username: 'kubedesk-admin', groups: ['system:masters', 'system:authenticated'] };

function setup() {
  const store = openSqliteStore(':memory:');
  const api = createObjectStorage(store);
  bootstrapCluster(api);
  const authorizer = createRbacAuthorizer(api);
  return { store, api, authorizer };
}

function createNamespace(api: ObjectApi, name: string): void {
  api.create({ group: '', version: 'v1', resource: 'namespaces' }, undefined, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('RBAC authorizer', () => {
  let ctx: ReturnType<typeof setup> | undefined;
  afterEach(() => {
    ctx?.authorizer.stop();
    ctx?.store.close();
    ctx = undefined;
  });

  it('creates the bootstrap roles and bindings once, keeping user changes', () => {
    ctx = setup();
    const names = ctx.api.list(gvr('clusterroles')).items.map((r) => r.metadata.name);
    for (const name of [
      'cluster-admin',
      'admin',
      'edit',
      'view',
      'system:discovery',
      'system:basic-user',
      'system:public-info-viewer',
    ])
      expect(names).toContain(name);
    const bindings = ctx.api.list(gvr('clusterrolebindings')).items;
    const publicInfo = bindings.find((b) => b.metadata.name === 'system:public-info-viewer');
    expect(publicInfo?.subjects).toEqual([
      { apiGroup: RBAC, kind: 'Group', name: 'system:authenticated' },
      { apiGroup: RBAC, kind: 'Group', name: 'system:unauthenticated' },
    ]);
    const view = ctx.api.get(gvr('clusterroles'), undefined, 'system:basic-user');
    ctx.api.update(gvr('clusterroles'), undefined, { ...view, rules: [] });
    createRbacAuthorizer(ctx.api).stop();
    expect(ctx.api.get(gvr('clusterroles'), undefined, 'system:basic-user').rules).toEqual([]);
  });

  it('allows system:masters everything and the default service account only discovery', () => {
    ctx = setup();
    const { authorizer } = ctx;
    expect(authorizer(admin, { verb: 'delete', group: '', resource: 'nodes', name: 'x' })).toBe(true);
    const def = sa('default', 'default');
    expect(authorizer(def, { verb: 'list', group: '', resource: 'pods', namespace: 'default' })).toBe(false);
    expect(
      authorizer(def, { verb: 'get', group: '', resource: 'secrets', namespace: 'default', name: 's' }),
    ).toBe(false);
    expect(authorizer(def, { verb: 'get', path: '/api' })).toBe(true);
    expect(authorizer(def, { verb: 'get', path: '/apis/apps/v1' })).toBe(true);
    expect(authorizer(def, { verb: 'get', path: '/metrics' })).toBe(false);
    expect(authorizer(def, { verb: 'post', path: '/api' })).toBe(false);
    expect(
      authorizer(def, {
        verb: 'create',
        group: 'authorization.k8s.io',
        resource: 'selfsubjectaccessreviews',
      }),
    ).toBe(true);
  });

  it('applies a RoleBinding only in its namespace, with subresources and resourceNames', async () => {
    ctx = setup();
    const { api, authorizer } = ctx;
    createNamespace(api, 'team');
    api.create(gvr('roles'), 'team', {
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: { name: 'logs', namespace: 'team' },
      rules: [
        { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] },
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] },
      ],
    });
    api.create(gvr('rolebindings'), 'team', {
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'logs', namespace: 'team' },
      roleRef: { apiGroup: RBAC, kind: 'Role', name: 'logs' },
      subjects: [{ kind: 'ServiceAccount', name: 'reader' }],
    });
    await settle();
    const reader = sa('team', 'reader');
    const pods = { group: '', resource: 'pods', namespace: 'team' };
    expect(authorizer(reader, { verb: 'list', ...pods })).toBe(true);
    expect(authorizer(reader, { verb: 'get', ...pods, name: 'p', subresource: 'log' })).toBe(true);
    expect(authorizer(reader, { verb: 'get', ...pods, name: 'p', subresource: 'exec' })).toBe(false);
    expect(authorizer(reader, { verb: 'delete', ...pods, name: 'p' })).toBe(false);
    expect(authorizer(reader, { verb: 'list', ...pods, namespace: 'other' })).toBe(false);
    expect(authorizer(reader, { verb: 'list', group: '', resource: 'pods' })).toBe(false);
    const cm = { group: '', resource: 'configmaps', namespace: 'team' };
    expect(authorizer(reader, { verb: 'get', ...cm, name: 'settings' })).toBe(true);
    expect(authorizer(reader, { verb: 'get', ...cm, name: 'other' })).toBe(false);
    expect(authorizer(reader, { verb: 'list', ...cm })).toBe(false);
    const scale = { verb: 'update', group: 'apps', resource: 'deployments', namespace: 'team', name: 'd' };
    expect(authorizer(reader, { ...scale, subresource: 'scale' })).toBe(true);
    expect(authorizer(reader, scale)).toBe(false);
    expect(authorizer(sa('other', 'reader'), { verb: 'list', ...pods })).toBe(false);
    expect(authorizer.decide(reader, { verb: 'list', ...pods }).reason).toBe(
      'RBAC: allowed by RoleBinding "logs/team" of Role "logs" to ServiceAccount "reader/team"',
    );
  });

  it('grants a ClusterRoleBinding everywhere and follows binding deletion', async () => {
    ctx = setup();
    const { api, authorizer } = ctx;
    api.create(gvr('clusterrolebindings'), undefined, {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'alice-view' },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'alice', apiGroup: RBAC }],
    });
    await settle();
    expect(authorizer(alice, { verb: 'list', group: 'apps', resource: 'deployments' })).toBe(true);
    expect(authorizer(alice, { verb: 'watch', group: '', resource: 'pods', namespace: 'x' })).toBe(true);
    expect(
      authorizer(alice, { verb: 'get', group: '', resource: 'secrets', namespace: 'x', name: 's' }),
    ).toBe(false);
    expect(authorizer(alice, { verb: 'create', group: '', resource: 'pods', namespace: 'x' })).toBe(false);
    api.delete(gvr('clusterrolebindings'), undefined, 'alice-view');
    await settle();
    expect(authorizer(alice, { verb: 'list', group: 'apps', resource: 'deployments' })).toBe(false);
  });

  it('aggregates labelled ClusterRoles into admin/edit/view and writes the rules back', async () => {
    ctx = setup();
    const { api, authorizer } = ctx;
    createNamespace(api, 'team');
    api.create(gvr('clusterroles'), undefined, {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRole',
      metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }],
    });
    api.create(gvr('rolebindings'), 'team', {
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'alice-admin', namespace: 'team' },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'admin' },
      subjects: [{ kind: 'User', name: 'alice' }],
    });
    await settle();
    const widget = { verb: 'get', group: 'example.com', resource: 'widgets', namespace: 'team', name: 'w' };
    expect(authorizer(alice, widget)).toBe(true);
    expect(authorizer(alice, { verb: 'create', group: '', resource: 'secrets', namespace: 'team' })).toBe(
      true,
    );
    expect(
      authorizer(alice, { verb: 'create', group: RBAC, resource: 'rolebindings', namespace: 'team' }),
    ).toBe(true);
    expect(authorizer(alice, { ...widget, namespace: 'elsewhere' })).toBe(false);
    await settle();
    await settle();
    const stored = api.get(gvr('clusterroles'), undefined, 'admin');
    const rules = stored.rules as { resources?: string[] }[];
    expect(rules.some((r) => r.resources?.includes('widgets'))).toBe(true);
    expect(rules.some((r) => r.resources?.includes('rolebindings'))).toBe(true);
  });

  it('reports the rules that apply, as a rules review shows them', () => {
    ctx = setup();
    const rules = ctx.authorizer.rulesFor(sa('default', 'default'), 'default');
    expect(rules.resourceRules).toContainEqual({
      verbs: ['create'],
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    });
    expect(rules.resourceRules.some((r) => r.resources?.includes('pods'))).toBe(false);
    expect(rules.nonResourceRules.some((r) => r.nonResourceURLs.includes('/api'))).toBe(true);
    expect(ctx.authorizer.rulesFor(admin, 'default').resourceRules).toEqual([
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    ]);
  });

  it('fails closed until started when deferred', () => {
    const deferred = createDeferredRbacAuthorizer();
    expect(deferred(alice, { verb: 'get', path: '/api' })).toBe(false);
    expect(deferred(admin, { verb: 'get', path: '/api' })).toBe(true);
    ctx = setup();
    deferred.start(ctx.api);
    expect(deferred(alice, { verb: 'get', path: '/api' })).toBe(true);
    deferred.stop();
    const unused: RbacAuthorizer = deferred;
    expect(unused(alice, { verb: 'get', path: '/api' })).toBe(false);
  });
});
