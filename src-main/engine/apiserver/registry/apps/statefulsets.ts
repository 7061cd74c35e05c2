import type { KubeObject } from '../../../k8s-object';
import { isPlainObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { ensureRecord, num, rec, records, specOf } from '../core/common';
import { applyPodTemplateDefaults } from '../core/pod-spec-defaults';
import {
  ageCell,
  ageColumn,
  column,
  nameCell,
  nameColumn,
  templateContainerCells,
  templateContainerColumns,
} from '../printers';
import type { ResourceDefinition } from '../types';
import { validateWorkloadStatus } from './workload-status';
import { deepEqual, nameIsDnsLabel, validateNonnegative } from '../validation';
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
import {
  activeDeadlineSeconds,
  restartPolicyAlways,
  selectorConvertible,
  templateLabelsMatch,
  validateTemplateMetadata,
  validateWorkloadSelector,
} from './workload-template';

/** SetDefaults_StatefulSet, the PVC defaults of volumeClaimTemplates, and pod template defaults. */
export function applyStatefulSetDefaults(obj: KubeObject): void {
  const spec = specOf(obj);
  if (!spec.podManagementPolicy) spec.podManagementPolicy = 'OrderedReady';
  const strategy = ensureRecord(spec, 'updateStrategy');
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    ensureRecord(strategy, 'rollingUpdate');
  }
  if (strategy.type === 'RollingUpdate' && isPlainObject(strategy.rollingUpdate)) {
    const rolling = strategy.rollingUpdate;
    if (rolling.partition === undefined || rolling.partition === null) rolling.partition = 0;
  }
  const retention = ensureRecord(spec, 'persistentVolumeClaimRetentionPolicy');
  if (!retention.whenDeleted) retention.whenDeleted = 'Retain';
  if (!retention.whenScaled) retention.whenScaled = 'Retain';
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null)
    spec.revisionHistoryLimit = 10;
  for (const claim of records(spec.volumeClaimTemplates)) {
    if (!claim.apiVersion) claim.apiVersion = 'v1';
    if (!claim.kind) claim.kind = 'PersistentVolumeClaim';
    const claimSpec = ensureRecord(claim, 'spec');
    if (!claimSpec.volumeMode) claimSpec.volumeMode = 'Filesystem';
    const claimStatus = ensureRecord(claim, 'status');
    if (!claimStatus.phase) claimStatus.phase = 'Pending';
  }
  applyPodTemplateDefaults(ensureRecord(spec, 'template'));
}

function validateUpdateStrategy(strategy: Record<string, unknown>): FieldError[] {
  const path = 'spec.updateStrategy';
  const rolling = strategy.rollingUpdate;
  const hasRolling = rolling !== undefined && rolling !== null;
  switch (strategy.type) {
    case undefined:
    case null:
    case '':
      return [fieldErrors.required(path)];
    case 'OnDelete':
      return hasRolling
        ? [
            invalidRendered(
              `${path}.rollingUpdate`,
              goRollingUpdate(rec(rolling)),
              "only allowed for updateStrategy 'RollingUpdate'",
            ),
          ]
        : [];
    case 'RollingUpdate': {
      if (!hasRolling) return [];
      const r = rec(rolling);
      const errs = validateNonnegative(num(r.partition), `${path}.rollingUpdate.partition`);
      if (r.maxUnavailable !== undefined && r.maxUnavailable !== null) {
        const p = `${path}.rollingUpdate.maxUnavailable`;
        errs.push(...validatePositiveIntOrPercent(r.maxUnavailable, p));
        if (intOrPercentValue(r.maxUnavailable) === 0) {
          errs.push(invalidRendered(p, goIntOrString(r.maxUnavailable), 'cannot be 0'));
        }
        errs.push(...validateNotMoreThan100Percent(r.maxUnavailable, p));
      }
      return errs;
    }
    default:
      return [
        invalidRendered(
          path,
          `apps.StatefulSetUpdateStrategy{Type:${JSON.stringify(String(strategy.type))}, RollingUpdate:${
            hasRolling
              ? '(*apps.RollingUpdateStatefulSetStrategy)(0xc000000000)'
              : '(*apps.RollingUpdateStatefulSetStrategy)(nil)'
          }}`,
          "must be 'RollingUpdate' or 'OnDelete'",
        ),
      ];
  }
}

function goRollingUpdate(rolling: Record<string, unknown>): string {
  const maxUnavailable =
    rolling.maxUnavailable === undefined || rolling.maxUnavailable === null
      ? '(*intstr.IntOrString)(nil)'
      : '(*intstr.IntOrString)(0xc000000000)';
  return `apps.RollingUpdateStatefulSetStrategy{Partition:${num(rolling.partition) ?? 0}, MaxUnavailable:${maxUnavailable}}`;
}

function validateRetentionPolicy(policy: unknown): FieldError[] {
  if (!isPlainObject(policy)) return [];
  const errs: FieldError[] = [];
  for (const key of ['whenDeleted', 'whenScaled']) {
    const value = policy[key];
    if (value !== 'Retain' && value !== 'Delete') {
      errs.push(
        fieldErrors.notSupported(`spec.persistentVolumeClaimRetentionPolicy.${key}`, value ?? '', [
          'Retain',
          'Delete',
        ]),
      );
    }
  }
  return errs;
}

/** ValidateStatefulSetSpec. */
function validateSpec(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const policy = spec.podManagementPolicy;
  if (!policy) errs.push(fieldErrors.required('spec.podManagementPolicy'));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') {
    errs.push(
      fieldErrors.invalid('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"),
    );
  }
  errs.push(...validateUpdateStrategy(rec(spec.updateStrategy)));
  errs.push(...validateRetentionPolicy(spec.persistentVolumeClaimRetentionPolicy));
  errs.push(...validateNonnegative(num(spec.replicas), 'spec.replicas'));
  errs.push(...validateNonnegative(num(spec.minReadySeconds), 'spec.minReadySeconds'));
  if (isPlainObject(spec.ordinals))
    errs.push(...validateNonnegative(num(spec.ordinals.start), 'spec.ordinals.start'));

  errs.push(...validateWorkloadSelector(spec, 'statefulset'));
  const selector = spec.selector;
  if (!selectorConvertible(selector)) {
    errs.push(invalidRendered('spec.selector', goLabelSelector(selector), ''));
  } else {
    errs.push(...templateLabelsMatch(selector, spec.template, 'spec.template'));
    // Kubernetes checks only the template's labels and annotations here (at `spec.template.labels`),
    // because claim-template volumes are not in the pod spec yet.
    errs.push(...validateTemplateMetadata(spec.template, 'spec.template'));
  }
  errs.push(...restartPolicyAlways(spec.template, 'spec.template'));
  if (activeDeadlineSeconds(spec.template) !== undefined) {
    errs.push(
      fieldErrors.forbidden(
        'spec.template.spec.activeDeadlineSeconds',
        'activeDeadlineSeconds in StatefulSet is not Supported',
      ),
    );
  }
  return errs;
}

const UPDATABLE_FIELDS = [
  'replicas',
  'template',
  'updateStrategy',
  'minReadySeconds',
  'ordinals',
  'persistentVolumeClaimRetentionPolicy',
];

/** ValidateStatefulSet / ValidateStatefulSetUpdate. */
export function validateStatefulSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = rec(obj.spec);
  // Pods are named `<statefulset>-<ordinal>` and need DNS-label hostnames.
  const errs: FieldError[] = [...validateMeta(obj, old, true, nameIsDnsLabel), ...validateSpec(spec)];
  errs.push(
    ...validateWorkloadStatus(obj, old, {
      nonNegative: [
        'replicas',
        'readyReplicas',
        'currentReplicas',
        'updatedReplicas',
        'availableReplicas',
        'observedGeneration',
        'collisionCount',
      ],
      atMostReplicas: ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'],
      availableOverReady: 'cannot be greater than status.readyReplicas',
    }),
  );
  if (old) {
    const frozen = (s: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(s).filter(([k]) => !UPDATABLE_FIELDS.includes(k)));
    if (!deepEqual(frozen(spec), frozen(rec(old.spec)))) {
      errs.push(
        fieldErrors.forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    }
  }
  return errs;
}

function statefulSetCells(obj: KubeObject, now: Date): unknown[] {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  return [
    nameCell(obj),
    `${num(status.readyReplicas) ?? 0}/${num(spec.replicas) ?? 0}`,
    ageCell(obj, now),
    ...templateContainerCells(spec.template),
  ];
}

/** apps/v1 StatefulSet. */
export const statefulSetDefinition: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  listKind: 'StatefulSetList',
  plural: 'statefulsets',
  singular: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  verbs: [...STANDARD_VERBS],
  subresources: [statusSubresource('StatefulSet', 'apps', 'v1'), scaleSubresource()],
  hasStatusSubresource: true,
  applyDefaults: applyStatefulSetDefaults,
  validate: validateStatefulSet,
  prepareForCreate: (obj) => resetStatus(obj, { availableReplicas: 0, replicas: 0 }),
  table: {
    columns: [
      nameColumn(),
      column('Ready', 'string', 'Number of the pod with ready state'),
      ageColumn(),
      ...templateContainerColumns(),
    ],
    cells: (obj, { now }) => statefulSetCells(obj, now),
  },
  scale: {
    specReplicasPath: ['spec', 'replicas'],
    statusReplicasPath: ['status', 'replicas'],
    selectorPath: ['spec', 'selector'],
  },
};
