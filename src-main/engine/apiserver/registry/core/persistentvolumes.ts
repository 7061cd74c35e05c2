import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import type { ResourceDefinition, TableContext } from '../types';
import { ageCell, ageColumn, column, nameColumn, swaggerDoc } from '../printers';
import {
  isDns1123Subdomain,
  nameIsDnsSubdomain,
  parseQuantity,
  validateLabelSelector,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation';
import { STANDARD_VERBS, ensureRecord, fieldAt, rec, specOf, statusSubresource, str } from './common';

/** Sorted like Kubernetes' supportedAccessModes set. */
export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const VOLUME_MODES = ['Block', 'Filesystem'];
/** The legacy annotation that wins over spec.storageClassName. */
export const STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

const pvSourceKeys = [
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'hostPath',
  'glusterfs',
  'nfs',
  'rbd',
  'iscsi',
  'cinder',
  'cephfs',
  'fc',
  'flocker',
  'flexVolume',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'local',
  'storageos',
  'csi',
];

/** `RWO,ROX,RWX,RWOP` in Kubernetes' fixed order (GetAccessModesAsString). */
export function accessModesString(modes: unknown): string {
  const list = Array.isArray(modes) ? modes.map(String) : [];
  const out: string[] = [];
  if (list.includes('ReadWriteOnce')) out.push('RWO');
  if (list.includes('ReadOnlyMany')) out.push('ROX');
  if (list.includes('ReadWriteMany')) out.push('RWX');
  if (list.includes('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/** The storage class of a PV or PVC: the beta annotation, else spec.storageClassName. */
export function storageClassOf(obj: KubeObject): string {
  const annotation = obj.metadata.annotations?.[STORAGE_CLASS_ANNOTATION];
  if (annotation !== undefined) return annotation;
  return str(rec(obj.spec).storageClassName);
}

/** Access mode checks shared by PVs and PVCs. */
export function validateAccessModes(modes: unknown, path: string, requiredDetail?: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = Array.isArray(modes) ? modes.map(String) : [];
  if (list.length === 0) errs.push(fieldErrors.required(path, requiredDetail));
  for (const mode of list) {
    if (!ACCESS_MODES.includes(mode)) errs.push(fieldErrors.notSupported(path, mode, ACCESS_MODES));
  }
  if (list.includes('ReadWriteOncePod') && list.length > 1) {
    errs.push(fieldErrors.forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  }
  return errs;
}

/** volumeMode must be Block or Filesystem when set. */
export function validateVolumeMode(mode: unknown, path: string): FieldError[] {
  if (mode === undefined || mode === null) return [];
  return VOLUME_MODES.includes(String(mode)) ? [] : [fieldErrors.notSupported(path, mode, VOLUME_MODES)];
}

function validatePersistentVolume(pv: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(pv.metadata, old.metadata)
    : validateObjectMeta(pv.metadata, { namespaced: false, name: nameIsDnsSubdomain });
  const spec = rec(pv.spec);
  errs.push(...validateAccessModes(spec.accessModes, 'spec.accessModes'));
  const capacity = rec(spec.capacity);
  if (Object.keys(capacity).length === 0) errs.push(fieldErrors.required('spec.capacity'));
  if (!('storage' in capacity) || Object.keys(capacity).length > 1) {
    errs.push(fieldErrors.notSupported('spec.capacity', capacity, ['storage']));
  } else if ((parseQuantity(capacity.storage) ?? 0) <= 0) {
    errs.push(
      fieldErrors.invalid('spec.capacity[storage]', String(capacity.storage), 'must be greater than zero'),
    );
  }
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy !== undefined && !RECLAIM_POLICIES.includes(String(policy))) {
    errs.push(fieldErrors.notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  }
  const sources = pvSourceKeys.filter((k) => spec[k] !== undefined && spec[k] !== null);
  if (sources.length === 0) errs.push(fieldErrors.required('spec', 'must specify a volume type'));
  for (const extra of sources.slice(1)) {
    errs.push(fieldErrors.forbidden(`spec.${extra}`, 'may not specify more than 1 volume type'));
  }
  const hostPath = rec(spec.hostPath);
  if (sources[0] === 'hostPath' && !str(hostPath.path)) errs.push(fieldErrors.required('spec.hostPath.path'));
  const local = rec(spec.local);
  if (sources[0] === 'local' && !str(local.path)) errs.push(fieldErrors.required('spec.local.path'));
  const className = str(spec.storageClassName);
  if (className)
    for (const msg of isDns1123Subdomain(className))
      errs.push(fieldErrors.invalid('spec.storageClassName', className, msg));
  errs.push(...validateVolumeMode(spec.volumeMode, 'spec.volumeMode'));
  if (old && spec.volumeMode !== rec(old.spec).volumeMode) {
    errs.push(fieldErrors.invalid('spec.volumeMode', spec.volumeMode ?? null, 'field is immutable'));
  }
  return errs;
}

function pvCells(pv: KubeObject, context: TableContext): unknown[] {
  const spec = rec(pv.spec);
  const claim = spec.claimRef ? `${str(rec(spec.claimRef).namespace)}/${str(rec(spec.claimRef).name)}` : '';
  const phase = pv.metadata.deletionTimestamp ? 'Terminating' : str(rec(pv.status).phase);
  return [
    pv.metadata.name ?? '',
    str(rec(spec.capacity).storage) || '0',
    accessModesString(spec.accessModes),
    str(spec.persistentVolumeReclaimPolicy),
    phase,
    claim,
    storageClassOf(pv),
    str(spec.volumeAttributesClassName) || '<unset>',
    str(rec(pv.status).reason),
    ageCell(pv, context.now),
    str(spec.volumeMode) || '<unset>',
  ];
}

/** core/v1 persistentvolumes (cluster-scoped). */
export const persistentVolumesResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  listKind: 'PersistentVolumeList',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  namespaced: false,
  shortNames: ['pv'],
  verbs: STANDARD_VERBS,
  subresources: [statusSubresource('PersistentVolume')],
  hasStatusSubresource: true,
  applyDefaults(pv) {
    const spec = specOf(pv);
    if (!str(spec.persistentVolumeReclaimPolicy)) spec.persistentVolumeReclaimPolicy = 'Retain';
    if (!str(spec.volumeMode)) spec.volumeMode = 'Filesystem';
    const status = ensureRecord(pv, 'status');
    if (!str(status.phase)) status.phase = 'Pending';
  },
  validate: validatePersistentVolume,
  prepareForCreate(pv) {
    pv.status = { phase: 'Pending' };
  },
  table: {
    columns: [
      nameColumn(),
      column('Capacity', 'string', swaggerDoc('V1PersistentVolumeSpec', 'capacity')),
      column('Access Modes', 'string', swaggerDoc('V1PersistentVolumeSpec', 'accessModes')),
      column(
        'Reclaim Policy',
        'string',
        swaggerDoc('V1PersistentVolumeSpec', 'persistentVolumeReclaimPolicy'),
      ),
      column('Status', 'string', swaggerDoc('V1PersistentVolumeStatus', 'phase')),
      column('Claim', 'string', swaggerDoc('V1PersistentVolumeSpec', 'claimRef')),
      column('StorageClass', 'string', 'StorageClass of the pv'),
      column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
      column('Reason', 'string', swaggerDoc('V1PersistentVolumeStatus', 'reason')),
      ageColumn(),
      column('VolumeMode', 'string', swaggerDoc('V1PersistentVolumeSpec', 'volumeMode'), { wide: true }),
    ],
    cells: pvCells,
  },
  fieldSelectors: { 'status.phase': fieldAt(['status', 'phase']) },
};

/** Label selector checks for a PVC's `spec.selector`. */
export function validateClaimSelector(selector: unknown): FieldError[] {
  return selector ? validateLabelSelector(rec(selector), 'spec.selector') : [];
}
