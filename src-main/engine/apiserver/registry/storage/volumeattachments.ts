import type { KubeObject } from '../../../k8s-object';
import { isPlainObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { rec, str } from '../core/common';
import { STANDARD_VERBS, resetStatus, statusSubresource, validateMeta } from '../apps/definition-helpers';
import { ageCell, ageColumn, column, nameCell, nameColumn } from '../printers';
import type { ResourceDefinition } from '../types';
import { deepEqual, isDns1123Subdomain } from '../validation';

/** ValidateVolumeAttachment / ValidateVolumeAttachmentUpdate (spec is immutable). */
export function validateVolumeAttachment(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = rec(obj.spec);
  const errs: FieldError[] = [...validateMeta(obj, old, false)];
  const attacher = str(spec.attacher);
  if (attacher === '') errs.push(fieldErrors.required('spec.attacher'));
  const node = str(spec.nodeName);
  if (node === '') errs.push(fieldErrors.required('spec.nodeName'));
  else for (const msg of isDns1123Subdomain(node)) errs.push(fieldErrors.invalid('spec.nodeName', node, msg));
  const source = rec(spec.source);
  const hasPv = typeof source.persistentVolumeName === 'string';
  const hasInline = isPlainObject(source.inlineVolumeSpec);
  if (hasPv === hasInline) {
    errs.push(
      fieldErrors.required(
        'spec.source',
        'must specify exactly one of inlineVolumeSpec and persistentVolumeName',
      ),
    );
  } else if (hasPv && source.persistentVolumeName === '') {
    errs.push(
      fieldErrors.required('spec.source.persistentVolumeName', 'must specify non empty persistentVolumeName'),
    );
  }
  if (old && !deepEqual(spec, rec(old.spec)))
    errs.push(fieldErrors.invalid('spec', spec, 'field is immutable'));
  return errs;
}

/** storage.k8s.io/v1 VolumeAttachment (stored and listed; no attacher runs in the engine). */
export const volumeAttachmentDefinition: ResourceDefinition = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'VolumeAttachment',
  listKind: 'VolumeAttachmentList',
  plural: 'volumeattachments',
  singular: 'volumeattachment',
  namespaced: false,
  verbs: [...STANDARD_VERBS],
  subresources: [statusSubresource('VolumeAttachment', 'storage.k8s.io', 'v1')],
  hasStatusSubresource: true,
  validate: validateVolumeAttachment,
  prepareForCreate: (obj) => resetStatus(obj, { attached: false }),
  table: {
    columns: [
      nameColumn(),
      column(
        'Attacher',
        'string',
        'attacher indicates the name of the volume driver that MUST handle this request.',
        {
          format: 'name',
        },
      ),
      column('PV', 'string', 'persistentVolumeName represents the name of the persistent volume to attach.'),
      column('Node', 'string', 'nodeName represents the node that the volume should be attached to.'),
      column('Attached', 'boolean', 'attached indicates the volume is successfully attached.'),
      ageColumn(),
    ],
    cells: (obj, { now }) => {
      const spec = rec(obj.spec);
      return [
        nameCell(obj),
        str(spec.attacher),
        str(rec(spec.source).persistentVolumeName),
        str(spec.nodeName),
        rec(obj.status).attached === true,
        ageCell(obj, now),
      ];
    },
  },
};
