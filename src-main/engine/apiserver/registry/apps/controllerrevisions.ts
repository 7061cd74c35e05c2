import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { num, str } from '../core/common';
import { ageCell, ageColumn, column, nameCell, nameColumn, NONE, swaggerDoc } from '../printers';
import type { ResourceDefinition } from '../types';
import { validateImmutable, validateNonnegative } from '../validation';
import { STANDARD_VERBS, validateMeta } from './definition-helpers';

/** ValidateControllerRevision / ValidateControllerRevisionUpdate (data is immutable). */
export function validateControllerRevision(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [...validateMeta(obj, old, true)];
  if (obj.data === undefined || obj.data === null)
    errs.push(fieldErrors.required('data', 'data is mandatory'));
  errs.push(...validateNonnegative(num(obj.revision), 'revision'));
  if (old) errs.push(...validateImmutable(obj.data, old.data, 'data'));
  return errs;
}

/** `daemonset.apps/web` for the controlling owner, or `<none>`. */
export function controllerName(obj: KubeObject): string {
  const ref = (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return NONE;
  const apiVersion = str(ref.apiVersion);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (!ref.kind) return ref.name;
  const groupKind = group ? `${ref.kind}.${group}` : ref.kind;
  return `${groupKind.toLowerCase()}/${ref.name}`;
}

/** apps/v1 ControllerRevision. */
export const controllerRevisionDefinition: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  listKind: 'ControllerRevisionList',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  verbs: [...STANDARD_VERBS],
  subresources: [],
  hasStatusSubresource: false,
  validate: validateControllerRevision,
  table: {
    columns: [
      nameColumn(),
      column('Controller', 'string', 'Controller of the object'),
      column('Revision', 'string', swaggerDoc('V1ControllerRevision', 'revision')),
      ageColumn(),
    ],
    cells: (obj, { now }) => [nameCell(obj), controllerName(obj), num(obj.revision) ?? 0, ageCell(obj, now)],
  },
};
