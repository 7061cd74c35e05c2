import type { KubeObject } from '../../../k8s-object';
import type { FieldError } from '../../status';
import { STANDARD_VERBS, validateMeta } from '../apps/definition-helpers';
import type { ResourceDefinition } from '../types';
import { nameIsPathSegment } from '../validation';
import { applyBindingDefaults, bindingCells, bindingColumns, validateBinding } from './rbac-validation';

/** ValidateRoleBinding / ValidateRoleBindingUpdate. */
export function validateRoleBinding(obj: KubeObject, old?: KubeObject): FieldError[] {
  return [
    ...validateMeta(obj, old, true, nameIsPathSegment),
    ...validateBinding(obj, old, true, ['Role', 'ClusterRole']),
  ];
}

/** rbac.authorization.k8s.io/v1 RoleBinding. */
export const roleBindingDefinition: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  listKind: 'RoleBindingList',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  verbs: [...STANDARD_VERBS],
  subresources: [],
  hasStatusSubresource: false,
  applyDefaults: applyBindingDefaults,
  validate: validateRoleBinding,
  table: { columns: bindingColumns('V1RoleBinding'), cells: (obj, { now }) => bindingCells(obj, now) },
};
