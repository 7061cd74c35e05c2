import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { num } from '../core/common';
import { STANDARD_VERBS, validateMeta } from '../apps/definition-helpers';
import { ageCell, ageColumn, column, nameCell, nameColumn, swaggerDoc } from '../printers';
import type { ResourceDefinition } from '../types';
import { validateImmutable } from '../validation';

/** Kubernetes' HighestUserDefinablePriority. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
const SYSTEM_PREFIX = 'system-';
const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'];

/** The built-in system classes and their fixed values. */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2_000_001_000,
  'system-cluster-critical': 2_000_000_000,
};

/** SetDefaults_PriorityClass: preemptionPolicy PreemptLowerPriority. */
export function applyPriorityClassDefaults(obj: KubeObject): void {
  if (!obj.preemptionPolicy) obj.preemptionPolicy = 'PreemptLowerPriority';
}

function systemClassError(name: string, value: number, globalDefault: boolean): string | undefined {
  const expected = SYSTEM_PRIORITY_CLASSES[name];
  if (expected === undefined) return `${name} is not a known system priority class`;
  if (value !== expected) return `value of ${name} PriorityClass must be ${expected}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

/** ValidatePriorityClass / ValidatePriorityClassUpdate (value and preemptionPolicy immutable). */
export function validatePriorityClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [...validateMeta(obj, old, false)];
  const name = obj.metadata.name ?? '';
  const value = num(obj.value) ?? 0;
  if (!old) {
    if (name.startsWith(SYSTEM_PREFIX)) {
      const error = systemClassError(name, value, obj.globalDefault === true);
      if (error) {
        errs.push(
          fieldErrors.forbidden(
            'metadata.name',
            `priority class names with '${SYSTEM_PREFIX}' prefix are reserved for system use only. error: ${error}`,
          ),
        );
      }
    } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
      errs.push(
        fieldErrors.forbidden(
          'value',
          `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`,
        ),
      );
    }
  }
  const policy = obj.preemptionPolicy;
  if (policy !== undefined && policy !== null && !PREEMPTION_POLICIES.includes(String(policy))) {
    errs.push(fieldErrors.notSupported('preemptionPolicy', policy, PREEMPTION_POLICIES));
  }
  if (old) {
    if (value !== (num(old.value) ?? 0))
      errs.push(fieldErrors.forbidden('value', 'may not be changed in an update.'));
    errs.push(...validateImmutable(obj.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
  }
  return errs;
}

/** scheduling.k8s.io/v1 PriorityClass. */
export const priorityClassDefinition: ResourceDefinition = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  listKind: 'PriorityClassList',
  plural: 'priorityclasses',
  singular: 'priorityclass',
  namespaced: false,
  shortNames: ['pc'],
  verbs: [...STANDARD_VERBS],
  subresources: [],
  hasStatusSubresource: false,
  applyDefaults: applyPriorityClassDefaults,
  validate: validatePriorityClass,
  table: {
    columns: [
      nameColumn(),
      column('Value', 'integer', swaggerDoc('V1PriorityClass', 'value')),
      column('Global-Default', 'boolean', swaggerDoc('V1PriorityClass', 'globalDefault')),
      ageColumn(),
      column('PreemptionPolicy', 'string', swaggerDoc('V1PriorityClass', 'preemptionPolicy')),
    ],
    cells: (obj, { now }) => [
      nameCell(obj),
      num(obj.value) ?? 0,
      obj.globalDefault === true,
      ageCell(obj, now),
      typeof obj.preemptionPolicy === 'string' ? obj.preemptionPolicy : '',
    ],
  },
};
