import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import type { ResourceDefinition } from '../types';
import { ageCell, ageColumn, column, nameColumn, swaggerDoc } from '../printers';
import {
  deepEqual,
  isConfigMapKey,
  nameIsDnsSubdomain,
  objectTooLong,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation';
import { STANDARD_VERBS, rec } from './common';

/** 1 MiB: the largest ConfigMap or Secret payload Kubernetes accepts. */
export const MAX_CONFIG_SIZE = 1024 * 1024;

/** Decoded size of a base64 string (binaryData/secret data are sent base64-encoded). */
export function base64Size(value: unknown): number {
  return typeof value === 'string' ? Buffer.from(value, 'base64').length : 0;
}

function validateConfigMap(cm: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(cm.metadata, old.metadata)
    : validateObjectMeta(cm.metadata, { namespaced: true, name: nameIsDnsSubdomain });
  const data = rec(cm.data);
  const binary = rec(cm.binaryData);
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    for (const msg of isConfigMapKey(key)) errs.push(fieldErrors.invalid(`data[${key}]`, key, msg));
    if (Object.hasOwn(binary, key))
      errs.push(fieldErrors.invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(String(value));
  }
  for (const [key, value] of Object.entries(binary)) {
    for (const msg of isConfigMapKey(key)) errs.push(fieldErrors.invalid(`binaryData[${key}]`, key, msg));
    size += base64Size(value);
  }
  if (size > MAX_CONFIG_SIZE) errs.push(objectTooLong(MAX_CONFIG_SIZE));
  if (old) errs.push(...validateImmutableData(cm, old, ['data', 'binaryData']));
  return errs;
}

/** The `immutable: true` rules shared by ConfigMaps and Secrets. */
export function validateImmutableData(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true)
    errs.push(fieldErrors.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const field of fields) {
    if (!deepEqual(obj[field] ?? {}, old[field] ?? {})) {
      errs.push(fieldErrors.forbidden(field, 'field is immutable when `immutable` is set'));
    }
  }
  return errs;
}

/** core/v1 configmaps. */
export const configMapsResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  verbs: STANDARD_VERBS,
  subresources: [],
  hasStatusSubresource: false,
  validate: validateConfigMap,
  table: {
    columns: [nameColumn(), column('Data', 'string', swaggerDoc('V1ConfigMap', 'data')), ageColumn()],
    cells: (cm, context) => [
      cm.metadata.name ?? '',
      Object.keys(rec(cm.data)).length + Object.keys(rec(cm.binaryData)).length,
      ageCell(cm, context.now),
    ],
  },
};
