import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { num, rec } from '../core/common';
import { STANDARD_VERBS, validateMeta } from '../apps/definition-helpers';
import { ageCell, ageColumn, column, nameCell, nameColumn, swaggerDoc } from '../printers';
import type { ResourceDefinition } from '../types';

/** ValidateLease / ValidateLeaseUpdate. */
export function validateLease(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = rec(obj.spec);
  const errs: FieldError[] = [...validateMeta(obj, old, true)];
  const duration = num(spec.leaseDurationSeconds);
  if (duration !== undefined && duration <= 0) {
    errs.push(fieldErrors.invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
  }
  const transitions = num(spec.leaseTransitions);
  if (transitions !== undefined && transitions < 0) {
    errs.push(
      fieldErrors.invalid('spec.leaseTransitions', transitions, 'must be greater than or equal to 0'),
    );
  }
  return errs;
}

/** coordination.k8s.io/v1 Lease. */
export const leaseDefinition: ResourceDefinition = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  listKind: 'LeaseList',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  verbs: [...STANDARD_VERBS],
  subresources: [],
  hasStatusSubresource: false,
  validate: validateLease,
  table: {
    columns: [
      nameColumn(),
      column('Holder', 'string', swaggerDoc('V1LeaseSpec', 'holderIdentity')),
      ageColumn(),
    ],
    cells: (obj, { now }) => {
      const holder = rec(obj.spec).holderIdentity;
      return [nameCell(obj), typeof holder === 'string' ? holder : '', ageCell(obj, now)];
    },
  },
};
