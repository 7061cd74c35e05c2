import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { num, rec } from '../core/common';
import { STANDARD_VERBS, resetStatus, statusSubresource, validateMeta } from '../apps/definition-helpers';
import { validateNotMoreThan100Percent, validatePositiveIntOrPercent } from '../apps/int-or-percent';
import { ageCell, ageColumn, column, nameCell, nameColumn } from '../printers';
import type { ResourceDefinition } from '../types';
import { validateLabelSelector } from '../validation';
import { invalidRendered } from '../validation/field-errors';

const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function goPointer(type: string, value: unknown): string {
  return present(value) ? `(*${type})(0xc000000000)` : `(*${type})(nil)`;
}

/** ValidatePodDisruptionBudget (create and update). */
export function validatePodDisruptionBudget(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = rec(obj.spec);
  const errs: FieldError[] = [...validateMeta(obj, old, true)];
  if (present(spec.minAvailable) && present(spec.maxUnavailable)) {
    const rendered = `policy.PodDisruptionBudgetSpec{MinAvailable:${goPointer('intstr.IntOrString', spec.minAvailable)}, Selector:${goPointer(
      'v1.LabelSelector',
      spec.selector,
    )}, MaxUnavailable:${goPointer('intstr.IntOrString', spec.maxUnavailable)}, UnhealthyPodEvictionPolicy:${goPointer(
      'policy.UnhealthyPodEvictionPolicyType',
      spec.unhealthyPodEvictionPolicy,
    )}}`;
    errs.push(invalidRendered('spec', rendered, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const key of ['minAvailable', 'maxUnavailable']) {
    if (!present(spec[key])) continue;
    errs.push(...validatePositiveIntOrPercent(spec[key], `spec.${key}`));
    errs.push(...validateNotMoreThan100Percent(spec[key], `spec.${key}`));
  }
  if (present(spec.selector)) errs.push(...validateLabelSelector(rec(spec.selector), 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (present(policy) && !UNHEALTHY_POD_EVICTION_POLICIES.includes(String(policy))) {
    errs.push(
      fieldErrors.notSupported('spec.unhealthyPodEvictionPolicy', policy, UNHEALTHY_POD_EVICTION_POLICIES),
    );
  }
  return errs;
}

function intOrString(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : 'N/A';
}

/** policy/v1 PodDisruptionBudget. */
export const podDisruptionBudgetDefinition: ResourceDefinition = {
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  listKind: 'PodDisruptionBudgetList',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  namespaced: true,
  shortNames: ['pdb'],
  verbs: [...STANDARD_VERBS],
  subresources: [statusSubresource('PodDisruptionBudget', 'policy', 'v1')],
  hasStatusSubresource: true,
  validate: validatePodDisruptionBudget,
  prepareForCreate: (obj) =>
    resetStatus(obj, { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 }),
  table: {
    columns: [
      nameColumn(),
      column('Min Available', 'string', 'The minimum number of pods that must be available.'),
      column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
      column(
        'Allowed Disruptions',
        'integer',
        'Calculated number of pods that may be disrupted at this time.',
      ),
      ageColumn(),
    ],
    cells: (obj, { now }) => {
      const spec = rec(obj.spec);
      return [
        nameCell(obj),
        intOrString(spec.minAvailable),
        intOrString(spec.maxUnavailable),
        num(rec(obj.status).disruptionsAllowed) ?? 0,
        ageCell(obj, now),
      ];
    },
  },
};
