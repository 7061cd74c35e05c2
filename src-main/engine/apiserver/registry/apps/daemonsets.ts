import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { ensureRecord, num, rec, specOf } from '../core/common';
import { applyPodTemplateDefaults } from '../core/pod-spec-defaults';
import {
  ageCell,
  ageColumn,
  column,
  formatLabels,
  formatLabelSelector,
  nameCell,
  nameColumn,
  swaggerDoc,
  templateContainerCells,
  templateContainerColumns,
} from '../printers';
import type { ResourceDefinition } from '../types';
import { validateImmutable, validateLabelSelector, validateNonnegative } from '../validation';
import { invalidRendered } from '../validation/field-errors';
import { validateWorkloadStatus } from './workload-status';
import { STANDARD_VERBS, resetStatus, statusSubresource, validateMeta } from './definition-helpers';
import { goIntOrString, goLabelSelector } from './go-values';
import {
  intOrPercentValue,
  validateNotMoreThan100Percent,
  validatePositiveIntOrPercent,
} from './int-or-percent';
import { validateWorkloadPodTemplate } from './pod-template-validation';
import {
  activeDeadlineSeconds,
  emptySelectorError,
  restartPolicyAlways,
  selectorConvertible,
  selectorIsEmpty,
  templateLabelsMatch,
} from './workload-template';

/** SetDefaults_DaemonSet plus the pod template defaults. */
export function applyDaemonSetDefaults(obj: KubeObject): void {
  const spec = specOf(obj);
  const strategy = ensureRecord(spec, 'updateStrategy');
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = ensureRecord(strategy, 'rollingUpdate');
    if (rolling.maxUnavailable === undefined || rolling.maxUnavailable === null) rolling.maxUnavailable = 1;
    if (rolling.maxSurge === undefined || rolling.maxSurge === null) rolling.maxSurge = 0;
  }
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null)
    spec.revisionHistoryLimit = 10;
  applyPodTemplateDefaults(ensureRecord(spec, 'template'));
}

/** ValidateRollingUpdateDaemonSet: exactly one of maxSurge / maxUnavailable is non-zero. */
function validateRollingUpdate(rolling: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [
    ...validatePositiveIntOrPercent(rolling.maxUnavailable, `${path}.maxUnavailable`),
    ...validatePositiveIntOrPercent(rolling.maxSurge, `${path}.maxSurge`),
    ...validateNotMoreThan100Percent(rolling.maxUnavailable, `${path}.maxUnavailable`),
    ...validateNotMoreThan100Percent(rolling.maxSurge, `${path}.maxSurge`),
  ];
  const hasUnavailable = intOrPercentValue(rolling.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(rolling.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) {
    errs.push(
      invalidRendered(
        `${path}.maxSurge`,
        goIntOrString(rolling.maxSurge),
        'may not be set when maxUnavailable is non-zero',
      ),
    );
  } else if (!hasUnavailable && !hasSurge) {
    errs.push(fieldErrors.required(`${path}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  }
  return errs;
}

function validateUpdateStrategy(strategy: Record<string, unknown>, path: string): FieldError[] {
  switch (strategy.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate':
      return strategy.rollingUpdate === undefined || strategy.rollingUpdate === null
        ? [fieldErrors.required(`${path}.rollingUpdate`)]
        : validateRollingUpdate(rec(strategy.rollingUpdate), `${path}.rollingUpdate`);
    default: {
      const rolling =
        strategy.rollingUpdate === undefined || strategy.rollingUpdate === null
          ? '(*apps.RollingUpdateDaemonSet)(nil)'
          : '(*apps.RollingUpdateDaemonSet)(0xc000000000)';
      return [
        {
          type: 'FieldValueNotSupported',
          field: path,
          message: `Unsupported value: apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(String(strategy.type ?? ''))}, RollingUpdate:${rolling}}: supported values: "RollingUpdate", "OnDelete"`,
        },
      ];
    }
  }
}

/** ValidateDaemonSet / ValidateDaemonSetUpdate (selector immutable in apps/v1). */
export function validateDaemonSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = rec(obj.spec);
  const errs: FieldError[] = [...validateMeta(obj, old, true)];
  const selector = spec.selector;
  if (selector !== undefined && selector !== null)
    errs.push(...validateLabelSelector(selector, 'spec.selector'));
  if (selectorConvertible(selector))
    errs.push(...templateLabelsMatch(selector, spec.template, 'spec.template'));
  if (selector !== undefined && selector !== null && selectorIsEmpty(selector)) {
    errs.push(emptySelectorError(selector, 'spec.selector', 'empty selector is invalid for daemonset'));
  }
  errs.push(...validateWorkloadPodTemplate(spec.template, 'spec.template'));
  errs.push(...restartPolicyAlways(spec.template, 'spec.template'));
  if (activeDeadlineSeconds(spec.template) !== undefined) {
    errs.push(
      fieldErrors.forbidden(
        'spec.template.spec.activeDeadlineSeconds',
        'activeDeadlineSeconds in DaemonSet is not Supported',
      ),
    );
  }
  errs.push(...validateNonnegative(num(spec.minReadySeconds), 'spec.minReadySeconds'));
  errs.push(...validateNonnegative(num(spec.templateGeneration), 'spec.templateGeneration'));
  errs.push(...validateUpdateStrategy(rec(spec.updateStrategy), 'spec.updateStrategy'));
  errs.push(...validateNonnegative(num(spec.revisionHistoryLimit), 'spec.revisionHistoryLimit'));
  errs.push(
    ...validateWorkloadStatus(obj, old, {
      nonNegative: [
        'currentNumberScheduled',
        'numberMisscheduled',
        'desiredNumberScheduled',
        'numberReady',
        'observedGeneration',
        'updatedNumberScheduled',
        'numberAvailable',
        'numberUnavailable',
        'collisionCount',
      ],
    }),
  );
  if (old && validateImmutable(selector, rec(old.spec).selector, 'spec.selector').length > 0) {
    errs.push(invalidRendered('spec.selector', goLabelSelector(selector), 'field is immutable'));
  }
  return errs;
}

function daemonSetCells(obj: KubeObject, now: Date): unknown[] {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  const podSpec = rec(rec(spec.template).spec);
  return [
    nameCell(obj),
    num(status.desiredNumberScheduled) ?? 0,
    num(status.currentNumberScheduled) ?? 0,
    num(status.numberReady) ?? 0,
    num(status.updatedNumberScheduled) ?? 0,
    num(status.numberAvailable) ?? 0,
    formatLabels(podSpec.nodeSelector as Record<string, string> | undefined),
    ageCell(obj, now),
    ...templateContainerCells(spec.template),
    formatLabelSelector(rec(spec.selector)),
  ];
}

/** apps/v1 DaemonSet. */
export const daemonSetDefinition: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  listKind: 'DaemonSetList',
  plural: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  verbs: [...STANDARD_VERBS],
  subresources: [statusSubresource('DaemonSet', 'apps', 'v1')],
  hasStatusSubresource: true,
  applyDefaults: applyDaemonSetDefaults,
  validate: validateDaemonSet,
  prepareForCreate: (obj) =>
    resetStatus(obj, {
      currentNumberScheduled: 0,
      desiredNumberScheduled: 0,
      numberMisscheduled: 0,
      numberReady: 0,
    }),
  table: {
    columns: [
      nameColumn(),
      column('Desired', 'integer', swaggerDoc('V1DaemonSetStatus', 'desiredNumberScheduled')),
      column('Current', 'integer', swaggerDoc('V1DaemonSetStatus', 'currentNumberScheduled')),
      column('Ready', 'integer', swaggerDoc('V1DaemonSetStatus', 'numberReady')),
      column('Up-to-date', 'integer', swaggerDoc('V1DaemonSetStatus', 'updatedNumberScheduled')),
      column('Available', 'integer', swaggerDoc('V1DaemonSetStatus', 'numberAvailable')),
      column('Node Selector', 'string', swaggerDoc('V1PodSpec', 'nodeSelector')),
      ageColumn(),
      ...templateContainerColumns(),
      column(
        'Selector',
        'string',
        swaggerDoc('V1DaemonSetSpec', 'selector') ||
          "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels.",
        { wide: true },
      ),
    ],
    cells: (obj, { now }) => daemonSetCells(obj, now),
  },
};
