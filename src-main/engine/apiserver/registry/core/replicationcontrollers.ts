import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import type { ResourceDefinition, TableContext } from '../types';
import {
  ageCell,
  ageColumn,
  column,
  containerNamesAndImages,
  formatLabels,
  nameColumn,
  swaggerDoc,
  templateContainerColumns,
} from '../printers';
import {
  nameIsDnsSubdomain,
  selectorMapMatches,
  validateLabels,
  validateNonnegative,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation';
import { STANDARD_VERBS, fieldAt, num, rec, records, specOf, statusSubresource, stringMap } from './common';
import { applyPodTemplateDefaults } from './pod-spec-defaults';
import { validatePodTemplateSpec } from './pod-spec-validation';

/** Go's %#v of a map[string]string, as Kubernetes prints template labels in errors. */
function goStringMap(map: Record<string, string>): string {
  const body = Object.keys(map)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(map[k])}`)
    .join(', ');
  return `map[string]string{${body}}`;
}

function validateReplicationController(rc: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(rc.metadata, old.metadata)
    : validateObjectMeta(rc.metadata, { namespaced: true, name: nameIsDnsSubdomain });
  const spec = rec(rc.spec);
  errs.push(...validateNonnegative(num(spec.replicas), 'spec.replicas'));
  errs.push(...validateNonnegative(num(spec.minReadySeconds), 'spec.minReadySeconds'));
  const selector = stringMap(spec.selector);
  if (Object.keys(selector).length === 0) errs.push(fieldErrors.required('spec.selector'));
  else errs.push(...validateLabels(selector, 'spec.selector'));
  if (spec.template === undefined || spec.template === null) {
    errs.push(fieldErrors.required('spec.template'));
    return errs;
  }
  const labels = stringMap(rec(rec(spec.template).metadata).labels);
  if (Object.keys(selector).length > 0 && !selectorMapMatches(selector, labels)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      message: `Invalid value: ${goStringMap(labels)}: \`selector\` does not match template \`labels\``,
    });
  }
  errs.push(...validatePodTemplateSpec(spec.template, 'spec.template'));
  const restartPolicy = rec(rec(spec.template).spec).restartPolicy;
  if (restartPolicy !== undefined && restartPolicy !== 'Always') {
    errs.push(fieldErrors.notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  }
  return errs;
}

function rcCells(rc: KubeObject, context: TableContext): unknown[] {
  const spec = rec(rc.spec);
  const status = rec(rc.status);
  const { names, images } = containerNamesAndImages(
    records(rec(rec(spec.template).spec).containers).map((c) => ({
      name: String(c.name ?? ''),
      image: String(c.image ?? ''),
    })),
  );
  return [
    rc.metadata.name ?? '',
    num(spec.replicas) ?? 0,
    num(status.replicas) ?? 0,
    num(status.readyReplicas) ?? 0,
    ageCell(rc, context.now),
    names,
    images,
    formatLabels(stringMap(spec.selector)),
  ];
}

/** core/v1 replicationcontrollers (API surface only; no controller reconciles them). */
export const replicationControllersResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  listKind: 'ReplicationControllerList',
  plural: 'replicationcontrollers',
  singular: 'replicationcontroller',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  verbs: STANDARD_VERBS,
  subresources: [
    { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
    statusSubresource('ReplicationController'),
  ],
  hasStatusSubresource: true,
  applyDefaults(rc) {
    const spec = specOf(rc);
    const templateLabels = stringMap(rec(rec(spec.template).metadata).labels);
    if (Object.keys(stringMap(spec.selector)).length === 0 && Object.keys(templateLabels).length > 0) {
      spec.selector = { ...templateLabels };
    }
    if (Object.keys(rc.metadata.labels ?? {}).length === 0 && Object.keys(templateLabels).length > 0) {
      rc.metadata.labels = { ...templateLabels };
    }
    if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
    applyPodTemplateDefaults(spec.template);
  },
  validate: validateReplicationController,
  prepareForCreate(rc) {
    rc.status = { replicas: 0 };
  },
  table: {
    columns: [
      nameColumn(),
      column('Desired', 'integer', swaggerDoc('V1ReplicationControllerSpec', 'replicas')),
      column('Current', 'integer', swaggerDoc('V1ReplicationControllerStatus', 'replicas')),
      column('Ready', 'integer', swaggerDoc('V1ReplicationControllerStatus', 'readyReplicas')),
      ageColumn(),
      ...templateContainerColumns(),
      column('Selector', 'string', swaggerDoc('V1ReplicationControllerSpec', 'selector'), { wide: true }),
    ],
    cells: rcCells,
  },
  fieldSelectors: { 'status.replicas': fieldAt(['status', 'replicas']) },
  scale: {
    specReplicasPath: ['spec', 'replicas'],
    statusReplicasPath: ['status', 'replicas'],
    selectorPath: ['spec', 'selector'],
  },
};
