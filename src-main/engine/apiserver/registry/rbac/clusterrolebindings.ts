import type { KubeObject } from '../../../k8s-object';
import type { FieldError } from '../../status';
import { STANDARD_VERBS, validateMeta } from '../apps/definition-helpers';
import type { ResourceDefinition } from '../types';
import { nameIsPathSegment } from '../validation';
import { applyBindingDefaults, bindingCells, bindingColumns, validateBinding } from './rbac-validation';

/** ValidateClusterRoleBinding / ValidateClusterRoleBindingUpdate. */
export function validateClusterRoleBinding(obj: KubeObject, old?: KubeObject): FieldError[] {
  return [
    ...validateMeta(obj, old, false, nameIsPathSegment),
    ...validateBinding(obj, old, false, ['ClusterRole']),
  ];
}

/** rbac.authorization.k8s.io/v1 ClusterRoleBinding. */
export const clusterRoleBindingDefinition: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRoleBinding',
  listKind: 'ClusterRoleBindingList',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  verbs: [...STANDARD_VERBS],
  subresources: [],
  hasStatusSubresource: false,
  applyDefaults: applyBindingDefaults,
  validate: validateClusterRoleBinding,
  table: { columns: bindingColumns('V1ClusterRoleBinding'), cells: (obj, { now }) => bindingCells(obj, now) },
};
