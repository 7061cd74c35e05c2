import type { KubeObject } from '../../../k8s-object';
import type { FieldError } from '../../status';
import { STANDARD_VERBS, validateMeta } from '../apps/definition-helpers';
import { nameCell } from '../printers';
import type { ResourceDefinition } from '../types';
import { nameIsPathSegment } from '../validation';
import { createdAtCell, createdAtColumns, validateRules } from './rbac-validation';

/** ValidateRole / ValidateRoleUpdate. */
export function validateRole(obj: KubeObject, old?: KubeObject): FieldError[] {
  return [...validateMeta(obj, old, true, nameIsPathSegment), ...validateRules(obj, true)];
}

/** rbac.authorization.k8s.io/v1 Role. */
export const roleDefinition: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'Role',
  listKind: 'RoleList',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  verbs: [...STANDARD_VERBS],
  subresources: [],
  hasStatusSubresource: false,
  validate: validateRole,
  table: { columns: createdAtColumns, cells: (obj) => [nameCell(obj), createdAtCell(obj)] },
};
