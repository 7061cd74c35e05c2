import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import type { ResourceDefinition } from '../types';
import { csiDriverDefinition } from './csidrivers';
import { storageClassDefinition } from './storageclasses';
import { volumeAttachmentDefinition } from './volumeattachments';

const now = new Date('2024-05-01T12:00:00Z');
const created = '2024-05-01T11:00:00Z' as unknown as Date;

function messages(def: ResourceDefinition, obj: KubeObject, old?: KubeObject): string[] {
  def.applyDefaults?.(obj);
  return (def.validate?.(obj, old) ?? []).map((e) => `${e.field}: ${e.message}`);
}

describe('StorageClass', () => {
  const sc = (): KubeObject => ({
    metadata: {
      name: 'standard',
      creationTimestamp: created,
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    },
    provisioner: 'kubedesk.io/hostpath',
  });

  it('defaults reclaimPolicy and volumeBindingMode', () => {
    const obj = sc();
    expect(messages(storageClassDefinition, obj)).toEqual([]);
    expect(obj).toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
  });

  it('validates enums and forbids changing provisioner and parameters', () => {
    expect(
      messages(storageClassDefinition, { ...sc(), reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' }),
    ).toEqual([
      'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
      'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
    ]);
    const old = sc();
    messages(storageClassDefinition, old);
    expect(
      messages(
        storageClassDefinition,
        { ...structuredClone(old), provisioner: 'x.io/y', parameters: { a: 'b' } },
        old,
      ),
    ).toEqual([
      'parameters: Forbidden: updates to parameters are forbidden.',
      'provisioner: Forbidden: updates to provisioner are forbidden.',
    ]);
  });

  it('marks the default class in the Name column', () => {
    const obj = sc();
    storageClassDefinition.applyDefaults?.(obj);
    expect(storageClassDefinition.table.columns.map((c) => c.name)).toEqual([
      'Name',
      'Provisioner',
      'ReclaimPolicy',
      'VolumeBindingMode',
      'AllowVolumeExpansion',
      'Age',
    ]);
    expect(storageClassDefinition.table.cells(obj, { now })).toEqual([
      'standard (default)',
      'kubedesk.io/hostpath',
      'Delete',
      'Immediate',
      false,
      '60m',
    ]);
  });
});

describe('CSIDriver and VolumeAttachment', () => {
  it('defaults a CSIDriver and prints its columns', () => {
    const obj: KubeObject = {
      metadata: { name: 'hostpath.csi.k8s.io', creationTimestamp: created },
      spec: {},
    };
    expect(messages(csiDriverDefinition, obj)).toEqual([]);
    expect(csiDriverDefinition.table.cells(obj, { now })).toEqual([
      'hostpath.csi.k8s.io',
      true,
      false,
      false,
      '<unset>',
      false,
      'Persistent',
      '60m',
    ]);
  });

  it('requires exactly one volume attachment source and freezes the spec', () => {
    const obj: KubeObject = {
      metadata: { name: 'va' },
      spec: { attacher: 'csi.x', nodeName: 'node-1', source: {} },
    };
    expect(messages(volumeAttachmentDefinition, obj)).toEqual([
      'spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName',
    ]);
    const ok: KubeObject = {
      metadata: { name: 'va', creationTimestamp: created },
      spec: { attacher: 'csi.x', nodeName: 'node-1', source: { persistentVolumeName: 'pv1' } },
    };
    expect(messages(volumeAttachmentDefinition, ok)).toEqual([]);
    expect(volumeAttachmentDefinition.table.cells({ ...ok, status: { attached: true } }, { now })).toEqual([
      'va',
      'csi.x',
      'pv1',
      'node-1',
      true,
      '60m',
    ]);
  });
});
