import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import type { ResourceDefinition } from '../types';
import { AGE_DESCRIPTION, column, nameColumn } from '../printers';
import {
  compareQuantities,
  nameIsDnsSubdomain,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation';
import { STANDARD_VERBS, rec, records, str } from './common';
import { validateNonNegativeQuantity } from './volume-validation';

const LIMIT_TYPES = ['Container', 'PersistentVolumeClaim', 'Pod'];

function validateLimitRange(lr: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(lr.metadata, old.metadata)
    : validateObjectMeta(lr.metadata, { namespaced: true, name: nameIsDnsSubdomain });
  const seenTypes = new Set<string>();
  records(rec(lr.spec).limits).forEach((limit, i) => {
    const p = `spec.limits[${i}]`;
    const type = str(limit.type);
    if (seenTypes.has(type)) errs.push(fieldErrors.duplicate(`${p}.type`, type));
    seenTypes.add(type);
    if (type && !LIMIT_TYPES.includes(type) && !type.includes('/')) {
      errs.push(fieldErrors.notSupported(`${p}.type`, type, LIMIT_TYPES));
    }
    for (const key of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) {
      for (const [name, quantity] of Object.entries(rec(limit[key]))) {
        errs.push(...validateNonNegativeQuantity(quantity, `${p}.${key}[${name}]`));
      }
    }
    if (type === 'Pod') {
      if (Object.keys(rec(limit.default)).length > 0)
        errs.push(fieldErrors.forbidden(`${p}.default`, "may not be specified when `type` is 'Pod'"));
      if (Object.keys(rec(limit.defaultRequest)).length > 0) {
        errs.push(fieldErrors.forbidden(`${p}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
      }
    }
    const min = rec(limit.min);
    const max = rec(limit.max);
    for (const [name, minValue] of Object.entries(min)) {
      if (name in max && compareQuantities(minValue, max[name]) > 0) {
        errs.push(
          fieldErrors.invalid(
            `${p}.min[${name}]`,
            minValue,
            `min value ${String(minValue)} is greater than max value ${String(max[name])}`,
          ),
        );
      }
    }
    const defaults = rec(limit.default);
    for (const [name, value] of Object.entries(defaults)) {
      if (name in max && compareQuantities(value, max[name]) > 0) {
        errs.push(
          fieldErrors.invalid(
            `${p}.default[${name}]`,
            value,
            `default value ${String(value)} is greater than max value ${String(max[name])}`,
          ),
        );
      }
      if (name in min && compareQuantities(min[name], value) > 0) {
        errs.push(
          fieldErrors.invalid(
            `${p}.default[${name}]`,
            value,
            `min value ${String(min[name])} is greater than default value ${String(value)}`,
          ),
        );
      }
    }
  });
  return errs;
}

/** core/v1 limitranges. */
export const limitRangesResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  listKind: 'LimitRangeList',
  plural: 'limitranges',
  singular: 'limitrange',
  namespaced: true,
  shortNames: ['limits'],
  verbs: STANDARD_VERBS,
  subresources: [],
  hasStatusSubresource: false,
  applyDefaults(lr) {
    // SetDefaults_LimitRangeItem: a Container's max becomes its default, and default its defaultRequest.
    for (const limit of records(rec(lr.spec).limits)) {
      if (limit.type !== 'Container') continue;
      const max = rec(limit.max);
      const defaults = { ...rec(limit.default) };
      for (const [name, value] of Object.entries(max)) if (!(name in defaults)) defaults[name] = value;
      if (Object.keys(defaults).length > 0) limit.default = defaults;
      const requests = { ...rec(limit.defaultRequest) };
      const min = rec(limit.min);
      for (const [name, value] of Object.entries(defaults)) {
        if (!(name in requests)) requests[name] = name in min ? min[name] : value;
      }
      if (Object.keys(requests).length > 0) limit.defaultRequest = requests;
    }
  },
  validate: validateLimitRange,
  table: {
    columns: [nameColumn(), column('Created At', 'date', AGE_DESCRIPTION)],
    cells: (lr) => [lr.metadata.name ?? '', lr.metadata.creationTimestamp ?? null],
  },
};
