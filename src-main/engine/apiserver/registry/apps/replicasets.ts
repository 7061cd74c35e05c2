import type { KubeObject } from '../../../k8s-object';
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
import { validateReplicatedTemplate } from './deployments';
import { validateWorkloadSelector } from './workload-template';
import { goLabelSelector } from './go-values';

/** SetDefaults_ReplicaSet plus the pod template defaults. */
export function applyReplicaSetDefaults(obj: KubeObject): void {
  const spec = specOf(obj);
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  applyPodTemplateDefaults(ensureRecord(spec, 'template'));
}

/** ValidateReplicaSet / ValidateReplicaSetUpdate (selector immutable in apps/v1). */
export function validateReplicaSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = rec(obj.spec);
  const errs: FieldError[] = [...validateMeta(obj, old, true)];
  errs.push(...validateNonnegative(num(spec.replicas), 'spec.replicas'));
  errs.push(...validateNonnegative(num(spec.minReadySeconds), 'spec.minReadySeconds'));
  // Kubernetes words the empty-selector error for ReplicaSets exactly as for Deployments.
  errs.push(...validateWorkloadSelector(spec, 'deployment'));
  errs.push(...validateReplicatedTemplate(spec, 'ReplicaSet'));
  errs.push(
    ...validateWorkloadStatus(obj, old, {
      nonNegative: [
        'replicas',
        'fullyLabeledReplicas',
        'readyReplicas',
        'availableReplicas',
        'observedGeneration',
      ],
      atMostReplicas: ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'],
      availableOverReady: 'cannot be greater than readyReplicas',
    }),
  );
  if (old && validateImmutable(spec.selector, rec(old.spec).selector, 'spec.selector').length > 0) {
    errs.push(invalidRendered('spec.selector', goLabelSelector(spec.selector), 'field is immutable'));
  }
  return errs;
}

function replicaSetCells(obj: KubeObject, now: Date): unknown[] {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  return [
    nameCell(obj),
    num(spec.replicas) ?? 0,
    num(status.replicas) ?? 0,
    num(status.readyReplicas) ?? 0,
    ageCell(obj, now),
    ...templateContainerCells(spec.template),
    formatLabelSelector(rec(spec.selector)),
  ];
}

/** apps/v1 ReplicaSet. */
export const replicaSetDefinition: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  listKind: 'ReplicaSetList',
  plural: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  verbs: [...STANDARD_VERBS],
  subresources: [statusSubresource('ReplicaSet', 'apps', 'v1'), scaleSubresource()],
  hasStatusSubresource: true,
  applyDefaults: applyReplicaSetDefaults,
  validate: validateReplicaSet,
  prepareForCreate: (obj) => resetStatus(obj, { replicas: 0 }),
  table: {
    columns: [
      nameColumn(),
      column('Desired', 'integer', swaggerDoc('V1ReplicaSetSpec', 'replicas')),
      column('Current', 'integer', swaggerDoc('V1ReplicaSetStatus', 'replicas')),
      column('Ready', 'integer', swaggerDoc('V1ReplicaSetStatus', 'readyReplicas')),
      ageColumn(),
      ...templateContainerColumns(),
      column(
        'Selector',
        'string',
        swaggerDoc('V1ReplicaSetSpec', 'selector') ||
          "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels.",
        { wide: true },
      ),
    ],
    cells: (obj, { now }) => replicaSetCells(obj, now),
  },
  fieldSelectors: {
    'status.replicas': (obj) => String(num(rec(obj.status).replicas) ?? 0),
  },
  scale: {
    specReplicasPath: ['spec', 'replicas'],
    statusReplicasPath: ['status', 'replicas'],
    selectorPath: ['spec', 'selector'],
  },
};
