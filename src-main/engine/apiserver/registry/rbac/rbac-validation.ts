import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { arr, rec, records, str } from '../core/common';
import { AGE_DESCRIPTION, ageCell, ageColumn, column, nameCell, nameColumn, swaggerDoc } from '../printers';
import type { TableColumn } from '../types';
import { isDns1123Subdomain, nameIsPathSegment } from '../validation';
import { invalidRendered } from '../validation/field-errors';

/** rbac.authorization.k8s.io, the only API group RBAC role references may name. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** ValidatePolicyRule for `rules[i]`. */
export function validatePolicyRule(
  rule: Record<string, unknown>,
  namespaced: boolean,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (arr(rule.verbs).length === 0)
    errs.push(fieldErrors.required(`${path}.verbs`, 'verbs must contain at least one value'));
  const urls = arr(rule.nonResourceURLs);
  if (urls.length > 0) {
    if (namespaced) {
      errs.push(
        fieldErrors.invalid(
          `${path}.nonResourceURLs`,
          urls,
          'namespaced rules cannot apply to non-resource URLs',
        ),
      );
    }
    if (
      arr(rule.apiGroups).length > 0 ||
      arr(rule.resources).length > 0 ||
      arr(rule.resourceNames).length > 0
    ) {
      errs.push(
        fieldErrors.invalid(
          `${path}.nonResourceURLs`,
          urls,
          'rules cannot apply to both regular resources and non-resource URLs',
        ),
      );
    }
    return errs;
  }
  if (arr(rule.apiGroups).length === 0) {
    errs.push(fieldErrors.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  }
  if (arr(rule.resources).length === 0) {
    errs.push(fieldErrors.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  }
  return errs;
}

/** The `rules` of a Role or ClusterRole. */
export function validateRules(obj: KubeObject, namespaced: boolean): FieldError[] {
  return records(obj.rules).flatMap((rule, i) => validatePolicyRule(rule, namespaced, `rules[${i}]`));
}

/** SetDefaults_RoleBinding / SetDefaults_ClusterRoleBinding and SetDefaults_Subject. */
export function applyBindingDefaults(obj: KubeObject): void {
  if (typeof obj.roleRef === 'object' && obj.roleRef !== null) {
    const ref = obj.roleRef as Record<string, unknown>;
    if (!ref.apiGroup) ref.apiGroup = RBAC_GROUP;
  }
  for (const subject of records(obj.subjects)) {
    if (!subject.apiGroup) {
      if (subject.kind === 'ServiceAccount') subject.apiGroup = '';
      else if (subject.kind === 'User' || subject.kind === 'Group') subject.apiGroup = RBAC_GROUP;
    }
  }
}

/** ValidateRoleBindingSubject. */
function validateSubject(subject: Record<string, unknown>, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(subject.name);
  if (name === '') errs.push(fieldErrors.required(`${path}.name`));
  const apiGroup = str(subject.apiGroup);
  switch (subject.kind) {
    case 'ServiceAccount':
      if (name !== '')
        for (const msg of isDns1123Subdomain(name)) errs.push(fieldErrors.invalid(`${path}.name`, name, msg));
      if (apiGroup !== '') errs.push(fieldErrors.notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && str(subject.namespace) === '') errs.push(fieldErrors.required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP)
        errs.push(fieldErrors.notSupported(`${path}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(
        fieldErrors.notSupported(`${path}.kind`, subject.kind ?? '', ['ServiceAccount', 'User', 'Group']),
      );
  }
  return errs;
}

function goRoleRef(ref: Record<string, unknown>): string {
  return `rbac.RoleRef{APIGroup:${JSON.stringify(str(ref.apiGroup))}, Kind:${JSON.stringify(str(ref.kind))}, Name:${JSON.stringify(str(ref.name))}}`;
}

/**
 * ValidateRoleBinding / ValidateClusterRoleBinding and their updates (roleRef is immutable).
 * `kinds` lists the role kinds the binding may reference.
 */
export function validateBinding(
  obj: KubeObject,
  old: KubeObject | undefined,
  namespaced: boolean,
  kinds: string[],
): FieldError[] {
  const errs: FieldError[] = [];
  const ref = rec(obj.roleRef);
  const apiGroup = str(ref.apiGroup);
  if (apiGroup !== RBAC_GROUP)
    errs.push(fieldErrors.notSupported('roleRef.apiGroup', apiGroup, [RBAC_GROUP]));
  const kind = str(ref.kind);
  if (!kinds.includes(kind)) errs.push(fieldErrors.notSupported('roleRef.kind', kind, kinds));
  const name = str(ref.name);
  if (name === '') errs.push(fieldErrors.required('roleRef.name'));
  else
    for (const msg of nameIsPathSegment(name, false))
      errs.push(fieldErrors.invalid('roleRef.name', name, msg));
  records(obj.subjects).forEach((subject, i) =>
    errs.push(...validateSubject(subject, namespaced, `subjects[${i}]`)),
  );
  if (old) {
    const oldRef = rec(old.roleRef);
    if (str(oldRef.apiGroup) !== apiGroup || str(oldRef.kind) !== kind || str(oldRef.name) !== name) {
      errs.push(invalidRendered('roleRef', goRoleRef(ref), 'cannot change roleRef'));
    }
  }
  return errs;
}

/** The `Created At` column of roles and cluster roles. */
export const createdAtColumns: TableColumn[] = [
  nameColumn(),
  { name: 'Created At', type: 'date', description: AGE_DESCRIPTION, priority: 0 },
];

/** The creation time as RFC 3339 in UTC, seconds precision (`2024-05-01T11:00:00Z`). */
export function createdAtCell(obj: KubeObject): string {
  const raw = obj.metadata.creationTimestamp as unknown;
  const date = raw instanceof Date ? raw : typeof raw === 'string' ? new Date(raw) : undefined;
  if (!date || Number.isNaN(date.getTime())) return '0001-01-01T00:00:00Z';
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Users, groups and service accounts (`namespace/name`) of a binding's subjects. */
export function subjectsStrings(obj: KubeObject): {
  users: string[];
  groups: string[];
  serviceAccounts: string[];
} {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const subject of records(obj.subjects)) {
    if (subject.kind === 'ServiceAccount')
      serviceAccounts.push(`${str(subject.namespace)}/${str(subject.name)}`);
    else if (subject.kind === 'User') users.push(str(subject.name));
    else if (subject.kind === 'Group') groups.push(str(subject.name));
  }
  return { users, groups, serviceAccounts };
}

/** Columns of `kubectl get rolebindings|clusterrolebindings`. */
export function bindingColumns(bindingType: 'V1RoleBinding' | 'V1ClusterRoleBinding'): TableColumn[] {
  const scope = bindingType === 'V1RoleBinding' ? 'roleBinding' : 'clusterRoleBinding';
  return [
    nameColumn(),
    column(
      'Role',
      'string',
      swaggerDoc(bindingType, 'roleRef') ||
        'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
    ),
    ageColumn(),
    column('Users', 'string', `Users in the ${scope}`, { wide: true }),
    column('Groups', 'string', `Groups in the ${scope}`, { wide: true }),
    column('ServiceAccounts', 'string', `ServiceAccounts in the ${scope}`, { wide: true }),
  ];
}

/** Cells of a binding: `Role` is `Kind/name`; wide cells join subjects with ", ". */
export function bindingCells(obj: KubeObject, now: Date): unknown[] {
  const ref = rec(obj.roleRef);
  const { users, groups, serviceAccounts } = subjectsStrings(obj);
  return [
    nameCell(obj),
    `${str(ref.kind)}/${str(ref.name)}`,
    ageCell(obj, now),
    users.join(', '),
    groups.join(', '),
    serviceAccounts.join(', '),
  ];
}
