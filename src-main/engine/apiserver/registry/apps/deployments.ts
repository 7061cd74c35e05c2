import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { ensureRecord, num, rec, specOf } from '../core/common';
import { applyPodTemplateDefaults } from '../core/pod-spec-defaults';
import {
  ageCell,
  ageColumn,
  column,
  formatLabelSelector,
  nameCell,
  nameColumn,
  swaggerDoc,
  templateContainerCells,
  templateContainerColumns,
} from '../printers';
import type { ResourceDefinition } from '../types';
import { validateWorkloadStatus } from './workload-status';
import { validateImmutable, validateNonnegative } from '../validation';
import { invalidRendered } from '../validation/field-errors';
import {
  STANDARD_VERBS,
  resetStatus,
  scaleSubresource,
  statusSubresource,
  validateMeta,
} from './definition-helpers';
import { goIntOrString, goLabelSelector } from './go-values';
import {
  intOrPercentValue,
  validateNotMoreThan100Percent,
  validatePositiveIntOrPercent,
} from './int-or-percent';
import { validateWorkloadPodTemplate } from './pod-template-validation';
import {
  activeDeadlineSeconds,
  restartPolicyAlways,
  selectorConvertible,
  templateLabelsMatch,
  validateWorkloadSelector,
} from './workload-template';

/** SetDefaults_Deployment plus the pod template defaults. */
export function applyDeploymentDefaults(obj: KubeObject): void {
  const spec = specOf(obj);
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  const strategy = ensureRecord(spec, 'strategy');
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = ensureRecord(strategy, 'rollingUpdate');
    if (rolling.maxUnavailable === undefined || rolling.maxUnavailable === null)
      rolling.maxUnavailable = '25%';
    if (rolling.maxSurge === undefined || rolling.maxSurge === null) rolling.maxSurge = '25%';
  }
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null)
    spec.revisionHistoryLimit = 10;
  if (spec.progressDeadlineSeconds === undefined || spec.progressDeadlineSeconds === null) {
    spec.progressDeadlineSeconds = 600;
  }
  applyPodTemplateDefaults(ensureRecord(spec, 'template'));
}

/** ValidateRollingUpdateDeployment. */
function validateRollingUpdate(rolling: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [
    ...validatePositiveIntOrPercent(rolling.maxUnavailable, `${path}.maxUnavailable`),
    ...validatePositiveIntOrPercent(rolling.maxSurge, `${path}.maxSurge`),
  ];
  if (intOrPercentValue(rolling.maxUnavailable) === 0 && intOrPercentValue(rolling.maxSurge) === 0) {
    errs.push(
      invalidRendered(
        `${path}.maxUnavailable`,
        goIntOrString(rolling.maxUnavailable),
        'may not be 0 when `maxSurge` is 0',
      ),
    );
  }
  errs.push(...validateNotMoreThan100Percent(rolling.maxUnavailable, `${path}.maxUnavailable`));
  return errs;
}

/** ValidateDeploymentStrategy. */
function validateStrategy(strategy: Record<string, unknown>, path: string): FieldError[] {
  switch (strategy.type) {
    case 'Recreate':
      return strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null
        ? [
            fieldErrors.forbidden(
              `${path}.rollingUpdate`,
              "may not be specified when strategy `type` is 'Recreate'",
            ),
          ]
        : [];
    case 'RollingUpdate':
      return strategy.rollingUpdate === undefined || strategy.rollingUpdate === null
        ? [fieldErrors.required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')]
        : validateRollingUpdate(rec(strategy.rollingUpdate), `${path}.rollingUpdate`);
    default: {
      const rolling =
        strategy.rollingUpdate === undefined || strategy.rollingUpdate === null
          ? '(*apps.RollingUpdateDeployment)(nil)'
          : '(*apps.RollingUpdateDeployment)(0xc000000000)';
      return [
        {
          type: 'FieldValueNotSupported',
          field: path,
          message: `Unsupported value: apps.DeploymentStrategy{Type:${JSON.stringify(String(strategy.type ?? ''))}, RollingUpdate:${rolling}}: supported values: "Recreate", "RollingUpdate"`,
        },
      ];
    }
  }
}

/**
 * ValidatePodTemplateSpecForReplicaSet: selector match, the pod template itself,
 * restartPolicy Always and no activeDeadlineSeconds.
 */
export function validateReplicatedTemplate(spec: Record<string, unknown>, owner: string): FieldError[] {
  if (!selectorConvertible(spec.selector)) {
    return [invalidRendered('spec.selector', goLabelSelector(spec.selector), 'invalid label selector')];
  }
  const template = spec.template;
  const errs = [
    ...templateLabelsMatch(spec.selector, template, 'spec.template'),
    ...validateWorkloadPodTemplate(template, 'spec.template'),
    ...restartPolicyAlways(template, 'spec.template'),
  ];
  if (activeDeadlineSeconds(template) !== undefined) {
    errs.push(
      fieldErrors.forbidden(
        'spec.template.spec.activeDeadlineSeconds',
        `activeDeadlineSeconds in ${owner} is not Supported`,
      ),
    );
  }
  return errs;
}

/** ValidateDeployment / ValidateDeploymentUpdate (selector immutable in apps/v1). */
export function validateDeployment(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = rec(obj.spec);
  const errs: FieldError[] = [...validateMeta(obj, old, true)];
  errs.push(...validateNonnegative(num(spec.replicas), 'spec.replicas'));
  errs.push(...validateWorkloadSelector(spec, 'deployment'));
  errs.push(...validateReplicatedTemplate(spec, 'ReplicaSet'));
  errs.push(...validateStrategy(rec(spec.strategy), 'spec.strategy'));
  errs.push(...validateNonnegative(num(spec.minReadySeconds), 'spec.minReadySeconds'));
  errs.push(...validateNonnegative(num(spec.revisionHistoryLimit), 'spec.revisionHistoryLimit'));
  const deadline = num(spec.progressDeadlineSeconds);
  if (deadline !== undefined) {
    errs.push(...validateNonnegative(deadline, 'spec.progressDeadlineSeconds'));
    if (deadline <= (num(spec.minReadySeconds) ?? 0)) {
      errs.push(
        fieldErrors.invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'),
      );
    }
  }
  errs.push(
    ...validateWorkloadStatus(obj, old, {
      nonNegative: [
        'observedGeneration',
        'replicas',
        'updatedReplicas',
        'readyReplicas',
        'availableReplicas',
        'unavailableReplicas',
        'collisionCount',
      ],
      atMostReplicas: ['updatedReplicas', 'readyReplicas', 'availableReplicas'],
      availableOverReady: 'cannot be greater than readyReplicas',
    }),
  );
  if (old) {
    const oldSelector = rec(old.spec).selector;
    if (validateImmutable(spec.selector, oldSelector, 'spec.selector').length > 0) {
      errs.push(invalidRendered('spec.selector', goLabelSelector(spec.selector), 'field is immutable'));
    }
  }
  return errs;
}

function deploymentCells(obj: KubeObject, now: Date): unknown[] {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  return [
    nameCell(obj),
    `${num(status.readyReplicas) ?? 0}/${num(spec.replicas) ?? 0}`,
    num(status.updatedReplicas) ?? 0,
    num(status.availableReplicas) ?? 0,
    ageCell(obj, now),
    ...templateContainerCells(spec.template),
    formatLabelSelector(rec(spec.selector)),
  ];
}

/** apps/v1 Deployment. */
export const deploymentDefinition: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  listKind: 'DeploymentList',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  verbs: [...STANDARD_VERBS],
  subresources: [statusSubresource('Deployment', 'apps', 'v1'), scaleSubresource()],
  hasStatusSubresource: true,
  applyDefaults: applyDeploymentDefaults,
  validate: validateDeployment,
  prepareForCreate: (obj) => resetStatus(obj),
  table: {
    columns: [
      nameColumn(),
      column('Ready', 'string', 'Number of the pod with ready state'),
      column('Up-to-date', 'integer', swaggerDoc('V1DeploymentStatus', 'updatedReplicas')),
      column('Available', 'integer', swaggerDoc('V1DeploymentStatus', 'availableReplicas')),
      ageColumn(),
      ...templateContainerColumns(),
      column(
        'Selector',
        'string',
        swaggerDoc('V1DeploymentSpec', 'selector') ||
          "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.",
        { wide: true },
      ),
    ],
    cells: (obj, { now }) => deploymentCells(obj, now),
  },
  scale: {
    specReplicasPath: ['spec', 'replicas'],
    statusReplicasPath: ['status', 'replicas'],
    selectorPath: ['spec', 'selector'],
  },
};
