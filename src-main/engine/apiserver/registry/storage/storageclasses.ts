import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { records, str } from '../core/common';
import { STANDARD_VERBS, validateMeta } from '../apps/definition-helpers';
import { ageCell, ageColumn, column, nameColumn, swaggerDoc } from '../printers';
import type { ResourceDefinition } from '../types';
import { deepEqual, isQualifiedName, validateImmutable } from '../validation';

/** The annotations that mark the cluster's default StorageClass. */
export const DEFAULT_STORAGE_CLASS_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

/** True when the class carries `is-default-class: "true"` (GA or beta annotation). */
export function isDefaultStorageClass(obj: KubeObject): boolean {
  const annotations = obj.metadata.annotations ?? {};
  return DEFAULT_STORAGE_CLASS_ANNOTATIONS.some((key) => annotations[key] === 'true');
}

/** SetDefaults_StorageClass: reclaimPolicy Delete, volumeBindingMode Immediate. */
export function applyStorageClassDefaults(obj: KubeObject): void {
  if (!obj.reclaimPolicy) obj.reclaimPolicy = 'Delete';
  if (!obj.volumeBindingMode) obj.volumeBindingMode = 'Immediate';
}

const MAX_PARAMETERS = 512;
const MAX_TOTAL_PARAMETERS_SIZE = 256 * 1024;

function validateParameters(parameters: unknown): FieldError[] {
  if (typeof parameters !== 'object' || parameters === null) return [];
  const entries = Object.entries(parameters as Record<string, unknown>);
  const errs: FieldError[] = [];
  if (entries.length > MAX_PARAMETERS) {
    errs.push(
      fieldErrors.invalid('parameters', entries.length, `must have at most ${MAX_PARAMETERS} parameters`),
    );
    return errs;
  }
  let size = 0;
  for (const [key, value] of entries) {
    if (key === '') {
      errs.push(fieldErrors.invalid('parameters', parameters, 'field can not be empty.'));
    }
    size += key.length + str(value).length;
  }
  if (size > MAX_TOTAL_PARAMETERS_SIZE)
    errs.push(fieldErrors.tooLong('parameters', MAX_TOTAL_PARAMETERS_SIZE));
  return errs;
}

/** ValidateStorageClass / ValidateStorageClassUpdate. */
export function validateStorageClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [...validateMeta(obj, old, false)];
  const provisioner = str(obj.provisioner);
  if (provisioner === '') errs.push(fieldErrors.required('provisioner'));
  else
    for (const msg of isQualifiedName(provisioner.toLowerCase()))
      errs.push(fieldErrors.invalid('provisioner', provisioner, msg));
  errs.push(...validateParameters(obj.parameters));
  const reclaim = obj.reclaimPolicy;
  if (typeof reclaim === 'string' && reclaim !== '' && reclaim !== 'Delete' && reclaim !== 'Retain') {
    errs.push(fieldErrors.notSupported('reclaimPolicy', reclaim, ['Delete', 'Retain']));
  }
  const mode = obj.volumeBindingMode;
  if (mode === undefined || mode === null) errs.push(fieldErrors.required('volumeBindingMode'));
  else if (mode !== 'Immediate' && mode !== 'WaitForFirstConsumer') {
    errs.push(fieldErrors.notSupported('volumeBindingMode', mode, ['Immediate', 'WaitForFirstConsumer']));
  }
  records(obj.allowedTopologies).forEach((term, i) => {
    if (records(term.matchLabelExpressions).length === 0) {
      errs.push(
        fieldErrors.required(
          `allowedTopologies[${i}].matchLabelExpressions`,
          'must have at least one label selector requirement',
        ),
      );
    }
  });
  if (old) {
    if (!deepEqual(obj.parameters ?? {}, old.parameters ?? {})) {
      errs.push(fieldErrors.forbidden('parameters', 'updates to parameters are forbidden.'));
    }
    if (obj.provisioner !== old.provisioner)
      errs.push(fieldErrors.forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (obj.reclaimPolicy !== old.reclaimPolicy) {
      errs.push(fieldErrors.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    }
    errs.push(...validateImmutable(obj.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode'));
  }
  return errs;
}

function storageClassCells(obj: KubeObject, now: Date): unknown[] {
  const name = obj.metadata.name ?? '';
  return [
    isDefaultStorageClass(obj) ? `${name} (default)` : name,
    str(obj.provisioner),
    str(obj.reclaimPolicy) || 'Delete',
    str(obj.volumeBindingMode) || 'Immediate',
    obj.allowVolumeExpansion === true,
    ageCell(obj, now),
  ];
}

/** storage.k8s.io/v1 StorageClass. */
export const storageClassDefinition: ResourceDefinition = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  listKind: 'StorageClassList',
  plural: 'storageclasses',
  singular: 'storageclass',
  namespaced: false,
  shortNames: ['sc'],
  verbs: [...STANDARD_VERBS],
  subresources: [],
  hasStatusSubresource: false,
  applyDefaults: applyStorageClassDefaults,
  validate: validateStorageClass,
  table: {
    columns: [
      nameColumn(),
      column('Provisioner', 'string', swaggerDoc('V1StorageClass', 'provisioner')),
      column('ReclaimPolicy', 'string', swaggerDoc('V1StorageClass', 'reclaimPolicy')),
      column('VolumeBindingMode', 'string', swaggerDoc('V1StorageClass', 'volumeBindingMode')),
      column('AllowVolumeExpansion', 'string', swaggerDoc('V1StorageClass', 'allowVolumeExpansion')),
      ageColumn(),
    ],
    cells: (obj, { now }) => storageClassCells(obj, now),
  },
};
