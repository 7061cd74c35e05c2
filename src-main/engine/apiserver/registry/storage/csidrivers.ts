import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { arr, rec, records, specOf, str } from '../core/common';
import { STANDARD_VERBS, validateMeta } from '../apps/definition-helpers';
import { ageCell, ageColumn, column, nameCell, nameColumn } from '../printers';
import type { ResourceDefinition } from '../types';
import { validateImmutable } from '../validation';

const FS_GROUP_POLICIES = ['File', 'None', 'ReadWriteOnceWithFSType'];
const LIFECYCLE_MODES = ['Ephemeral', 'Persistent'];

/** SetDefaults_CSIDriver. */
export function applyCsiDriverDefaults(obj: KubeObject): void {
  const spec = specOf(obj);
  const unset = (v: unknown) => v === undefined || v === null;
  if (unset(spec.attachRequired)) spec.attachRequired = true;
  if (unset(spec.podInfoOnMount)) spec.podInfoOnMount = false;
  if (unset(spec.storageCapacity)) spec.storageCapacity = false;
  if (unset(spec.fsGroupPolicy)) spec.fsGroupPolicy = 'ReadWriteOnceWithFSType';
  if (arr(spec.volumeLifecycleModes).length === 0) spec.volumeLifecycleModes = ['Persistent'];
  if (unset(spec.requiresRepublish)) spec.requiresRepublish = false;
  if (unset(spec.seLinuxMount)) spec.seLinuxMount = false;
}

/** ValidateCSIDriver / ValidateCSIDriverUpdate (attachRequired, podInfoOnMount… are immutable). */
export function validateCsiDriver(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = rec(obj.spec);
  const errs: FieldError[] = [...validateMeta(obj, old, false)];
  if (spec.attachRequired === undefined || spec.attachRequired === null)
    errs.push(fieldErrors.required('spec.attachRequired'));
  if (spec.podInfoOnMount === undefined || spec.podInfoOnMount === null)
    errs.push(fieldErrors.required('spec.podInfoOnMount'));
  if (typeof spec.fsGroupPolicy === 'string' && !FS_GROUP_POLICIES.includes(spec.fsGroupPolicy)) {
    errs.push(fieldErrors.notSupported('spec.fsGroupPolicy', spec.fsGroupPolicy, FS_GROUP_POLICIES));
  }
  arr(spec.volumeLifecycleModes).forEach((mode, i) => {
    if (!LIFECYCLE_MODES.includes(String(mode))) {
      errs.push(fieldErrors.notSupported(`spec.volumeLifecycleModes[${i}]`, mode, LIFECYCLE_MODES));
    }
  });
  if (old) {
    const oldSpec = rec(old.spec);
    for (const key of ['attachRequired', 'podInfoOnMount', 'volumeLifecycleModes', 'fsGroupPolicy']) {
      errs.push(...validateImmutable(spec[key], oldSpec[key], `spec.${key}`));
    }
  }
  return errs;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function csiDriverCells(obj: KubeObject, now: Date): unknown[] {
  const spec = rec(obj.spec);
  const modes = arr(spec.volumeLifecycleModes).map(str).join(',');
  const tokenRequests = Array.isArray(spec.tokenRequests)
    ? records(spec.tokenRequests)
        .map((t) => str(t.audience))
        .join(',')
    : '<unset>';
  return [
    nameCell(obj),
    bool(spec.attachRequired, true),
    bool(spec.podInfoOnMount, false),
    bool(spec.storageCapacity, false),
    tokenRequests,
    bool(spec.requiresRepublish, false),
    modes === '' ? '<none>' : modes,
    ageCell(obj, now),
  ];
}

/** storage.k8s.io/v1 CSIDriver (the engine runs no CSI drivers; stored and listed only). */
export const csiDriverDefinition: ResourceDefinition = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'CSIDriver',
  listKind: 'CSIDriverList',
  plural: 'csidrivers',
  singular: 'csidriver',
  namespaced: false,
  verbs: [...STANDARD_VERBS],
  subresources: [],
  hasStatusSubresource: false,
  applyDefaults: applyCsiDriverDefaults,
  validate: validateCsiDriver,
  table: {
    columns: [
      nameColumn(),
      column(
        'AttachRequired',
        'boolean',
        'attachRequired indicates this CSI volume driver requires an attach operation.',
      ),
      column(
        'PodInfoOnMount',
        'boolean',
        'podInfoOnMount indicates this CSI volume driver requires additional pod information during mount operations.',
      ),
      column(
        'StorageCapacity',
        'boolean',
        'storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity that the driver deployment will report.',
      ),
      column(
        'TokenRequests',
        'string',
        "tokenRequests indicates the CSI driver needs pods' service account tokens it is mounting volume for to do necessary authentication.",
      ),
      column(
        'RequiresRepublish',
        'boolean',
        'requiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically called to reflect any possible change in the mounted volume.',
      ),
      column(
        'Modes',
        'string',
        'volumeLifecycleModes defines what kind of volumes this CSI volume driver supports.',
      ),
      ageColumn(),
    ],
    cells: (obj, { now }) => csiDriverCells(obj, now),
  },
};
