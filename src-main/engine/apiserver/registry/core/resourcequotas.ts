import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import type { ResourceDefinition } from '../types';
import { ageCell, ageColumn, column, nameColumn } from '../printers';
import {
  isQualifiedName,
  nameIsDnsSubdomain,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation';
import { STANDARD_VERBS, rec, statusSubresource } from './common';
import { validateNonNegativeQuantity } from './volume-validation';

const QUOTA_SCOPES = [
  'BestEffort',
  'CrossNamespacePodAffinity',
  'NotBestEffort',
  'NotTerminating',
  'PriorityClass',
  'Terminating',
];

function validateQuotaMap(map: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, quantity] of Object.entries(rec(map))) {
    const p = `${path}[${name}]`;
    for (const msg of isQualifiedName(name)) errs.push(fieldErrors.invalid(p, name, msg));
    errs.push(...validateNonNegativeQuantity(quantity, p));
  }
  return errs;
}

function validateQuota(quota: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(quota.metadata, old.metadata)
    : validateObjectMeta(quota.metadata, { namespaced: true, name: nameIsDnsSubdomain });
  const spec = rec(quota.spec);
  errs.push(...validateQuotaMap(spec.hard, 'spec.hard'));
  errs.push(...validateQuotaMap(rec(quota.status).hard, 'status.hard'));
  errs.push(...validateQuotaMap(rec(quota.status).used, 'status.used'));
  (Array.isArray(spec.scopes) ? spec.scopes : []).forEach((scope, i) => {
    if (!QUOTA_SCOPES.includes(String(scope)))
      errs.push(fieldErrors.notSupported(`spec.scopes[${i}]`, scope, QUOTA_SCOPES));
  });
  return errs;
}

/** The REQUEST and LIMIT cells: `pods: 1/10, requests.cpu: 500m/2` (limits.* go to LIMIT). */
export function quotaUsage(quota: KubeObject): { request: string; limit: string } {
  const status = rec(quota.status);
  const hard = rec(status.hard);
  const used = rec(status.used);
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const entry = `${name}: ${String(used[name] ?? '0')}/${String(hard[name])}`;
    if (name.split('.').length > 1 && name.split('.')[0] === 'limits') limit.push(entry);
    else request.push(entry);
  }
  return { request: request.join(', '), limit: limit.join(', ') };
}

/** core/v1 resourcequotas. */
export const resourceQuotasResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  listKind: 'ResourceQuotaList',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  namespaced: true,
  shortNames: ['quota'],
  verbs: STANDARD_VERBS,
  subresources: [statusSubresource('ResourceQuota')],
  hasStatusSubresource: true,
  validate: validateQuota,
  prepareForCreate(quota) {
    quota.status = {};
  },
  table: {
    columns: [
      nameColumn(),
      ageColumn(),
      column(
        'Request',
        'string',
        'Request represents a minimum amount of cpu/memory that a container may consume.',
      ),
      column(
        'Limit',
        'string',
        'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
      ),
    ],
    cells: (quota, context) => {
      const usage = quotaUsage(quota);
      return [quota.metadata.name ?? '', ageCell(quota, context.now), usage.request, usage.limit];
    },
  },
};
