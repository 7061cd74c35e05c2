import type { KubeObject } from '../../../k8s-object';
import type { FieldError } from '../../status';
import { fieldErrors } from '../../status';
import { str } from '../core/common';
import { STANDARD_VERBS, validateMeta } from '../apps/definition-helpers';
import { ageCell, ageColumn, column, nameCell, nameColumn, swaggerDoc } from '../printers';
import type { ResourceDefinition } from '../types';
import { isDns1123Label, validateImmutable } from '../validation';

/** ValidateRuntimeClass / ValidateRuntimeClassUpdate (handler is immutable). */
export function validateRuntimeClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [...validateMeta(obj, old, false)];
  const handler = str(obj.handler);
  for (const msg of isDns1123Label(handler)) errs.push(fieldErrors.invalid('handler', handler, msg));
  if (old) errs.push(...validateImmutable(obj.handler, old.handler, 'handler'));
  return errs;
}

/** node.k8s.io/v1 RuntimeClass. */
export const runtimeClassDefinition: ResourceDefinition = {
  group: 'node.k8s.io',
  version: 'v1',
  kind: 'RuntimeClass',
  listKind: 'RuntimeClassList',
  plural: 'runtimeclasses',
  singular: 'runtimeclass',
  namespaced: false,
  verbs: [...STANDARD_VERBS],
  subresources: [],
  hasStatusSubresource: false,
  validate: validateRuntimeClass,
  table: {
    columns: [
      nameColumn(),
      column('Handler', 'string', swaggerDoc('V1RuntimeClass', 'handler')),
      ageColumn(),
    ],
    cells: (obj, { now }) => [nameCell(obj), str(obj.handler), ageCell(obj, now)],
  },
};
