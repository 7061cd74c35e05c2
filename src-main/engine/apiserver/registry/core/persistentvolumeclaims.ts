import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import type { ResourceDefinition, TableContext } from '../types';
import { ageCell, ageColumn, column, nameColumn, swaggerDoc } from '../printers';
import {
  deepEqual,
  isDns1123Subdomain,
  nameIsDnsSubdomain,
  parseQuantity,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation';
import { STANDARD_VERBS, clone, ensureRecord, rec, specOf, statusSubresource, str } from './common';
import {
  accessModesString,
  storageClassOf,
  validateAccessModes,
  validateClaimSelector,
  validateVolumeMode,
} from './persistentvolumes';

/** Kubernetes' wording for forbidden PVC spec changes. */
export const PVC_SPEC_IMMUTABLE =
  'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

function validateClaimSpec(spec: Record<string, unknown>): FieldError[] {
  const errs = validateAccessModes(
    spec.accessModes,
    'spec.accessModes',
    'at least 1 access mode is required',
  );
  errs.push(...validateClaimSelector(spec.selector));
  const requests = rec(rec(spec.resources).requests);
  if (!('storage' in requests)) {
    errs.push(fieldErrors.required('spec.resources[storage]'));
  } else if ((parseQuantity(requests.storage) ?? 0) <= 0) {
    errs.push(
      fieldErrors.invalid('spec.resources[storage]', String(requests.storage), 'must be greater than zero'),
    );
  }
  const className = str(spec.storageClassName);
  if (className)
    for (const msg of isDns1123Subdomain(className))
      errs.push(fieldErrors.invalid('spec.storageClassName', className, msg));
  errs.push(...validateVolumeMode(spec.volumeMode, 'spec.volumeMode'));
  return errs;
}

function validateClaim(pvc: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(pvc.metadata, old.metadata)
    : validateObjectMeta(pvc.metadata, { namespaced: true, name: nameIsDnsSubdomain });
  const spec = rec(pvc.spec);
  errs.push(...validateClaimSpec(spec));
  if (old) {
    const oldSpec = clone(rec(old.spec));
    const newSpec = clone(spec);
    if (!str(oldSpec.volumeName)) oldSpec.volumeName = newSpec.volumeName;
    const bound = str(rec(pvc.status).phase) === 'Bound';
    if (bound) {
      const newRequests = rec(rec(newSpec.resources).requests);
      newRequests.storage = rec(rec(oldSpec.resources).requests).storage;
    }
    newSpec.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
    if (!deepEqual(newSpec, oldSpec)) errs.push(fieldErrors.forbidden('spec', PVC_SPEC_IMMUTABLE));
  }
  return errs;
}

function claimCells(pvc: KubeObject, context: TableContext): unknown[] {
  const spec = rec(pvc.spec);
  const status = rec(pvc.status);
  const phase = pvc.metadata.deletionTimestamp ? 'Terminating' : str(status.phase);
  const bound = str(spec.volumeName) !== '';
  return [
    pvc.metadata.name ?? '',
    phase,
    str(spec.volumeName),
    bound ? str(rec(status.capacity).storage) || '0' : '',
    bound ? accessModesString(status.accessModes) : '',
    storageClassOf(pvc),
    str(spec.volumeAttributesClassName) || '<unset>',
    ageCell(pvc, context.now),
    str(spec.volumeMode) || '<unset>',
  ];
}

/** core/v1 persistentvolumeclaims. */
export const persistentVolumeClaimsResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  listKind: 'PersistentVolumeClaimList',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  namespaced: true,
  shortNames: ['pvc'],
  verbs: STANDARD_VERBS,
  subresources: [statusSubresource('PersistentVolumeClaim')],
  hasStatusSubresource: true,
  applyDefaults(pvc) {
    const spec = specOf(pvc);
    if (!str(spec.volumeMode)) spec.volumeMode = 'Filesystem';
    const status = ensureRecord(pvc, 'status');
    if (!str(status.phase)) status.phase = 'Pending';
  },
  validate: validateClaim,
  prepareForCreate(pvc) {
    pvc.status = { phase: 'Pending' };
  },
  table: {
    columns: [
      nameColumn(),
      column('Status', 'string', swaggerDoc('V1PersistentVolumeClaimStatus', 'phase')),
      column('Volume', 'string', swaggerDoc('V1PersistentVolumeClaimSpec', 'volumeName')),
      column('Capacity', 'string', swaggerDoc('V1PersistentVolumeClaimStatus', 'capacity')),
      column('Access Modes', 'string', swaggerDoc('V1PersistentVolumeClaimStatus', 'accessModes')),
      column('StorageClass', 'string', 'StorageClass of the pvc'),
      column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
      ageColumn(),
      column('VolumeMode', 'string', swaggerDoc('V1PersistentVolumeClaimSpec', 'volumeMode'), { wide: true }),
    ],
    cells: claimCells,
  },
};
