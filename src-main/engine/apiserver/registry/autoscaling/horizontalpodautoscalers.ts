import type { KubeObject } from '../../../k8s-object';
import { specOf } from '../core/common';
import { STANDARD_VERBS, resetStatus, statusSubresource } from '../apps/definition-helpers';
import type { ResourceDefinition } from '../types';
import { hpaToVersion } from './hpa-conversion';
import { hpaCells, hpaColumns } from './hpa-table';
import { applyHpaV2Defaults, validateHpaV2 } from './hpa-validation';

/**
 * The v2 view of an object that may have been written through autoscaling/v1 (both versions
 * share one storage), with v2 defaults as Kubernetes applies them when reading it back.
 */
export function hpaV2View(obj: KubeObject): KubeObject {
  const view = structuredClone(hpaToVersion(obj, 'v2'));
  applyHpaV2Defaults(view);
  return view;
}

const shared = {
  group: 'autoscaling',
  kind: 'HorizontalPodAutoscaler',
  listKind: 'HorizontalPodAutoscalerList',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  verbs: [...STANDARD_VERBS],
  hasStatusSubresource: true,
  table: {
    columns: hpaColumns,
    cells: (obj: KubeObject, { now }: { now: Date }) => hpaCells(hpaV2View(obj), now),
  },
} as const;

/** autoscaling/v2 HorizontalPodAutoscaler (the preferred version). */
export const hpaV2Definition: ResourceDefinition = {
  ...shared,
  shortNames: [...shared.shortNames],
  categories: [...shared.categories],
  verbs: [...shared.verbs],
  version: 'v2',
  subresources: [statusSubresource('HorizontalPodAutoscaler', 'autoscaling', 'v2')],
  applyDefaults: applyHpaV2Defaults,
  validate: validateHpaV2,
  prepareForCreate: (obj) => resetStatus(obj, { currentMetrics: null, desiredReplicas: 0 }),
};

/** SetDefaults_HorizontalPodAutoscaler (autoscaling/v1): minReplicas 1. */
export function applyHpaV1Defaults(obj: KubeObject): void {
  const spec = specOf(obj);
  if (spec.minReplicas === undefined || spec.minReplicas === null) spec.minReplicas = 1;
}

/**
 * Stores an object written through autoscaling/v1 in the v2 form, as Kubernetes stores every
 * HPA in its storage version; v1 reads are converted back by `convertToVersion`.
 */
function storeAsV2(obj: KubeObject): void {
  const v2 = hpaToVersion(obj, 'v2');
  obj.spec = v2.spec;
  if (v2.status !== undefined) obj.status = v2.status;
  applyHpaV2Defaults(obj);
}

/** autoscaling/v1 HorizontalPodAutoscaler (CPU target only; validated and stored in its v2 form). */
export const hpaV1Definition: ResourceDefinition = {
  ...shared,
  shortNames: [...shared.shortNames],
  categories: [...shared.categories],
  verbs: [...shared.verbs],
  version: 'v1',
  subresources: [statusSubresource('HorizontalPodAutoscaler', 'autoscaling', 'v1')],
  applyDefaults: applyHpaV1Defaults,
  validate: (obj, old) => validateHpaV2(hpaToVersion(obj, 'v2'), old ? hpaToVersion(old, 'v2') : undefined),
  prepareForCreate: (obj) => {
    resetStatus(obj, { currentReplicas: 0, desiredReplicas: 0 });
    storeAsV2(obj);
  },
  prepareForUpdate: (obj) => storeAsV2(obj),
};
