import type { KubeObject } from '../../../k8s-object';
import { isPlainObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { records } from '../core/common';
import { STANDARD_VERBS, validateMeta } from '../apps/definition-helpers';
import { selectorConvertible } from '../apps/workload-template';
import { nameCell } from '../printers';
import type { ResourceDefinition } from '../types';
import { nameIsPathSegment, validateLabelSelector } from '../validation';
import { createdAtCell, createdAtColumns, validateRules } from './rbac-validation';

/** ValidateClusterRole / ValidateClusterRoleUpdate, including the aggregation rule. */
export function validateClusterRole(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [
    ...validateMeta(obj, old, false, nameIsPathSegment),
    ...validateRules(obj, false),
  ];
  if (isPlainObject(obj.aggregationRule)) {
    const path = 'aggregationRule.clusterRoleSelectors';
    const selectors = records(obj.aggregationRule.clusterRoleSelectors);
    if (selectors.length === 0) {
      errs.push(
        fieldErrors.required(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil'),
      );
    }
    selectors.forEach((selector, i) => {
      errs.push(...validateLabelSelector(selector, `${path}[${i}]`));
      if (!selectorConvertible(selector))
        errs.push(fieldErrors.invalid(`${path}[${i}]`, selector, 'invalid label selector.'));
    });
  }
  return errs;
}

/** rbac.authorization.k8s.io/v1 ClusterRole. */
export const clusterRoleDefinition: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRole',
  listKind: 'ClusterRoleList',
  plural: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  verbs: [...STANDARD_VERBS],
  subresources: [],
  hasStatusSubresource: false,
  validate: validateClusterRole,
  table: { columns: createdAtColumns, cells: (obj) => [nameCell(obj), createdAtCell(obj)] },
};
