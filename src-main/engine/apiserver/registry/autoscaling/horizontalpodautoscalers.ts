import type { KubeObject } from '../../../k8s-object';
import { specOf } from '../core/common';
import { STANDARD_VERBS, resetStatus, statusSubresource } from '../apps/definition-helpers';
import type { ResourceDefinition } from '../types';
import { hpaToVersion, hpaV1ToV2 } from './hpa-conversion';
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

/** autoscaling/v1 HorizontalPodAutoscaler (CPU target only; validated in its v2 form). */
export const hpaV1Definition: ResourceDefinition = {
  ...shared,
  shortNames: [...shared.shortNames],
  categories: [...shared.categories],
  verbs: [...shared.verbs],
  version: 'v1',
  subresources: [statusSubresource('HorizontalPodAutoscaler', 'autoscaling', 'v1')],
  applyDefaults: applyHpaV1Defaults,
  validate: (obj, old) => validateHpaV2(hpaV1ToV2(obj), old ? hpaV1ToV2(old) : undefined),
  prepareForCreate: (obj) => resetStatus(obj, { currentReplicas: 0, desiredReplicas: 0 }),
};
