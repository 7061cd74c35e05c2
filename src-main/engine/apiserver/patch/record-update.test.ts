import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { applyStrategicMergePatch } from './strategic-merge-patch';
import { applyMergePatch } from './merge-patch';
import { recordUpdate } from './record-update';
import { LAST_APPLIED, editPatch, labelPatch, storedV1, unlabelPatch } from './kubectl-captures.fixture';

const T0 = new Date('2026-11-22T01:00:00.123Z');
const T1 = new Date('2026-11-22T01:05:00Z');

/** What Kubernetes records for `kubectl apply -f v1.yaml` creating the Deployment. */
const CSA_CREATE_FIELDS = {
  'f:metadata': {
    'f:annotations': { '.': {}, [`f:${LAST_APPLIED}`]: {} },
    'f:labels': { '.': {}, 'f:app': {} },
  },
  'f:spec': {
    'f:progressDeadlineSeconds': {},
    'f:replicas': {},
    'f:revisionHistoryLimit': {},
    'f:selector': {},
    'f:strategy': {
      'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} },
      'f:type': {},
    },
    'f:template': {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"sidecar"}': {
            '.': {},
            'f:args': {},
            'f:image': {},
            'f:imagePullPolicy': {},
            'f:name': {},
            'f:resources': {},
            'f:terminationMessagePath': {},
            'f:terminationMessagePolicy': {},
          },
          'k:{"name":"web"}': {
            '.': {},
            'f:env': {
              '.': {},
              'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} },
              'k:{"name":"B"}': { '.': {}, 'f:name': {}, 'f:value': {} },
            },
            'f:image': {},
            'f:imagePullPolicy': {},
            'f:name': {},
            'f:ports': {
              '.': {},
              'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} },
            },
            'f:resources': {},
            'f:terminationMessagePath': {},
            'f:terminationMessagePolicy': {},
          },
        },
        'f:dnsPolicy': {},
        'f:restartPolicy': {},
        'f:schedulerName': {},
        'f:securityContext': {},
        'f:terminationGracePeriodSeconds': {},
      },
    },
  },
};

function created(): KubeObject {
  return recordUpdate({
    old: undefined,
    updated: storedV1(),
    manager: 'kubectl-client-side-apply',
    apiVersion: 'apps/v1',
    now: T0,
  });
}

describe('recordUpdate', () => {
  it('records a create like Kubernetes: Update entry, FieldsV1 with "." only for new containers', () => {
    const obj = created();
    expect(obj.metadata.managedFields).toEqual([
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: '2026-11-22T01:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: CSA_CREATE_FIELDS,
      },
    ]);
    expect({ ...obj, metadata: { ...obj.metadata, managedFields: undefined } }).toEqual({
      ...storedV1(),
      metadata: { ...storedV1().metadata, managedFields: undefined },
    });
  });

  it('kubectl edit takes the changed field from the previous owner', () => {
    const live = created();
    const edited = applyStrategicMergePatch(live, editPatch, 'apps/v1', 'Deployment');
    const out = recordUpdate({
      old: live,
      updated: edited,
      manager: 'kubectl-edit',
      apiVersion: 'apps/v1',
      now: T1,
    });
    const [csa, edit] = out.metadata.managedFields ?? [];
    expect(csa.manager).toBe('kubectl-client-side-apply');
    expect(csa.time).toBe('2026-11-22T01:00:00Z');
    const csaWeb = (
      (csa.fieldsV1 as Record<string, Record<string, Record<string, Record<string, unknown>>>>)['f:spec'][
        'f:template'
      ]['f:spec']['f:containers'] as Record<string, Record<string, unknown>>
    )['k:{"name":"web"}'];
    expect(csaWeb['f:image']).toBeUndefined();
    expect(csaWeb['f:name']).toEqual({});
    expect(edit).toEqual({
      manager: 'kubectl-edit',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2026-11-22T01:05:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:annotations': { [`f:${LAST_APPLIED}`]: {} } },
        'f:spec': {
          'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } },
        },
      },
    });
    // The annotation moved too, so the first owner keeps only the annotations map itself.
    expect((csa.fieldsV1 as Record<string, Record<string, unknown>>)['f:metadata']['f:annotations']).toEqual(
      {},
    );
  });

  it('kubectl label adds an owner; removing a label removes it from every set', () => {
    const live = created();
    const labelled = recordUpdate({
      old: live,
      updated: applyMergePatch(live, labelPatch),
      manager: 'kubectl-label',
      apiVersion: 'apps/v1',
      now: T1,
    });
    expect(labelled.metadata.managedFields?.map((e) => [e.manager, e.fieldsV1])).toEqual([
      ['kubectl-client-side-apply', CSA_CREATE_FIELDS],
      ['kubectl-label', { 'f:metadata': { 'f:labels': { 'f:env': {} } } }],
    ]);
    const unlabelled = recordUpdate({
      old: labelled,
      updated: applyMergePatch(labelled, unlabelPatch),
      manager: 'kubectl-label',
      apiVersion: 'apps/v1',
      now: T1,
    });
    const csaLabels = (
      unlabelled.metadata.managedFields?.[0].fieldsV1 as Record<string, Record<string, unknown>>
    )['f:metadata']['f:labels'];
    expect(csaLabels).toEqual({});
  });

  it('a write that changes nothing leaves the entries untouched', () => {
    const live = created();
    const out = recordUpdate({
      old: live,
      updated: structuredClone(live),
      manager: 'kubectl-edit',
      apiVersion: 'apps/v1',
      now: T1,
    });
    expect(out.metadata.managedFields).toEqual(live.metadata.managedFields);
  });

  it('status writes are recorded with their subresource', () => {
    const live = created();
    const updated = {
      ...structuredClone(live),
      status: { replicas: 2, conditions: [{ type: 'Available', status: 'True' }] },
    };
    const out = recordUpdate({
      old: live,
      updated,
      manager: 'kube-controller-manager',
      apiVersion: 'apps/v1',
      now: T1,
      subresource: 'status',
    });
    expect(out.metadata.managedFields?.[1]).toEqual({
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2026-11-22T01:05:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:status': {
          'f:conditions': { '.': {}, 'k:{"type":"Available"}': { '.': {}, 'f:status': {}, 'f:type': {} } },
          'f:replicas': {},
        },
      },
      subresource: 'status',
    });
  });

  it('ignored top-level fields are not owned', () => {
    const live = created();
    const updated = { ...structuredClone(live), status: { replicas: 9 } };
    const out = recordUpdate({
      old: live,
      updated,
      manager: 'x',
      apiVersion: 'apps/v1',
      now: T1,
      ignoredFields: ['status'],
    });
    expect(out.metadata.managedFields).toEqual(live.metadata.managedFields);
  });

  it('managedFields sent with the write replace the stored ones; [{}] clears them', () => {
    const live = created();
    const cleared = recordUpdate({
      old: live,
      updated: { ...structuredClone(live), metadata: { ...live.metadata, managedFields: [{}] } },
      manager: 'kubectl-edit',
      apiVersion: 'apps/v1',
      now: T1,
    });
    expect(cleared.metadata.managedFields).toBeUndefined();
  });

  it('folds the oldest of more than ten Update managers into ancient-changes', () => {
    let obj = created();
    for (let i = 1; i <= 11; i++) {
      const updated = structuredClone(obj);
      updated.metadata.labels = { ...updated.metadata.labels, [`l${i}`]: 'x' };
      obj = recordUpdate({
        old: obj,
        updated,
        manager: `m${i}`,
        apiVersion: 'apps/v1',
        now: new Date(T1.getTime() + i * 1000),
      });
    }
    const entries = obj.metadata.managedFields ?? [];
    expect(entries).toHaveLength(10);
    expect(entries.map((e) => e.manager)).toEqual([
      'ancient-changes',
      'm3',
      'm4',
      'm5',
      'm6',
      'm7',
      'm8',
      'm9',
      'm10',
      'm11',
    ]);
    const ancient = entries[0];
    expect(ancient.time).toBe('2026-11-22T01:05:02Z');
    const labels = (ancient.fieldsV1 as Record<string, Record<string, Record<string, unknown>>>)[
      'f:metadata'
    ]['f:labels'];
    expect(Object.keys(labels)).toEqual(expect.arrayContaining(['f:app', 'f:l1', 'f:l2']));
  });
});
