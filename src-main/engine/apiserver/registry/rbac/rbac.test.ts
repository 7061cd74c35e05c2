import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import type { ResourceDefinition } from '../types';
import { clusterRoleBindingDefinition } from './clusterrolebindings';
import { clusterRoleDefinition } from './clusterroles';
import { roleBindingDefinition } from './rolebindings';
import { roleDefinition } from './roles';

const now = new Date('2024-05-01T12:00:00Z');
const created = '2024-05-01T11:00:00.000Z' as unknown as Date;

function messages(def: ResourceDefinition, obj: KubeObject, old?: KubeObject): string[] {
  def.applyDefaults?.(obj);
  return (def.validate?.(obj, old) ?? []).map((e) => `${e.field}: ${e.message}`);
}

describe('Role and ClusterRole', () => {
  it('requires verbs, api groups and resources', () => {
    const role: KubeObject = {
      metadata: { name: 'reader', namespace: 'default' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }, { resources: ['pods'] }],
    };
    expect(messages(roleDefinition, role)).toEqual([
      'rules[1].verbs: Required value: verbs must contain at least one value',
      'rules[1].apiGroups: Required value: resource rules must supply at least one api group',
    ]);
  });

  it('keeps non-resource URLs out of namespaced rules', () => {
    const role: KubeObject = {
      metadata: { name: 'r', namespace: 'default' },
      rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }],
    };
    expect(messages(roleDefinition, role)).toEqual([
      'rules[0].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
    ]);
    const clusterRole: KubeObject = {
      metadata: { name: 'r' },
      rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }],
    };
    expect(messages(clusterRoleDefinition, clusterRole)).toEqual([]);
  });

  it('allows names that are only path segments, like system:node', () => {
    expect(messages(clusterRoleDefinition, { metadata: { name: 'system:node' }, rules: [] })).toEqual([]);
    expect(messages(clusterRoleDefinition, { metadata: { name: 'a/b' }, rules: [] })).toEqual([
      `metadata.name: Invalid value: "a/b": may not contain '/'`,
    ]);
  });

  it('prints Created At in RFC 3339', () => {
    const role: KubeObject = { metadata: { name: 'reader', creationTimestamp: created }, rules: [] };
    expect(roleDefinition.table.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'Name:string',
      'Created At:date',
    ]);
    expect(roleDefinition.table.cells(role, { now })).toEqual(['reader', '2024-05-01T11:00:00Z']);
  });
});

describe('RoleBinding and ClusterRoleBinding', () => {
  const binding = (): KubeObject => ({
    metadata: { name: 'read', namespace: 'default', creationTimestamp: created },
    roleRef: { kind: 'Role', name: 'reader' },
    subjects: [
      { kind: 'User', name: 'jane' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
    ],
  });

  it('defaults apiGroups of roleRef and subjects', () => {
    const obj = binding();
    expect(messages(roleBindingDefinition, obj)).toEqual([]);
    expect(obj.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' });
    expect((obj.subjects as Record<string, unknown>[]).map((s) => s.apiGroup)).toEqual([
      'rbac.authorization.k8s.io',
      'rbac.authorization.k8s.io',
      '',
    ]);
  });

  it('rejects unknown kinds and a changed roleRef', () => {
    const obj = binding();
    (obj.subjects as Record<string, unknown>[]).push({ kind: 'Robot', name: 'r2' });
    expect(messages(roleBindingDefinition, obj)).toEqual([
      'subjects[3].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
    const old = binding();
    messages(roleBindingDefinition, old);
    const changed = structuredClone(old);
    (changed.roleRef as Record<string, unknown>).name = 'admin';
    expect(messages(roleBindingDefinition, changed, old)).toEqual([
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"admin"}: cannot change roleRef',
    ]);
  });

  it('requires ClusterRole and service account namespaces in cluster bindings', () => {
    const obj: KubeObject = {
      metadata: { name: 'x' },
      roleRef: { kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'builder' }],
    };
    expect(messages(clusterRoleBindingDefinition, obj)).toEqual([
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
    ]);
  });

  it('prints Role and the wide subject columns', () => {
    expect(roleBindingDefinition.table.columns.map((c) => `${c.name}${c.priority ? '*' : ''}`)).toEqual([
      'Name',
      'Role',
      'Age',
      'Users*',
      'Groups*',
      'ServiceAccounts*',
    ]);
    expect(roleBindingDefinition.table.cells(binding(), { now })).toEqual([
      'read',
      'Role/reader',
      '60m',
      'jane',
      'devs',
      'ci/builder',
    ]);
  });
});
