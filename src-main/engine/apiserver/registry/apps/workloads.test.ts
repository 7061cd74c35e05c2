import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import type { ResourceDefinition } from '../types';
import { controllerRevisionDefinition } from './controllerrevisions';
import { daemonSetDefinition } from './daemonsets';
import { replicaSetDefinition } from './replicasets';
import { statefulSetDefinition } from './statefulsets';

const now = new Date('2024-05-01T12:00:00Z');

function workload(kind: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'u1',
      creationTimestamp: '2024-04-30T12:00:00Z' as unknown as Date,
    },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
      },
      ...spec,
    },
  };
}

function messages(def: ResourceDefinition, obj: KubeObject, old?: KubeObject): string[] {
  def.applyDefaults?.(obj);
  return (def.validate?.(obj, old) ?? []).map((e) => `${e.field}: ${e.message}`);
}

describe('ReplicaSet', () => {
  it('defaults replicas and validates like a Deployment', () => {
    const obj = workload('ReplicaSet');
    expect(messages(replicaSetDefinition, obj)).toEqual([]);
    expect((obj.spec as Record<string, unknown>).replicas).toBe(1);
    expect(messages(replicaSetDefinition, workload('ReplicaSet', { selector: {} }))).toContain(
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    );
  });

  it('prints Desired, Current, Ready', () => {
    const obj = workload('ReplicaSet', { replicas: 3 });
    obj.status = { replicas: 3, readyReplicas: 1 };
    expect(replicaSetDefinition.table.cells(obj, { now })).toEqual([
      'web',
      3,
      3,
      1,
      '24h',
      'nginx',
      'nginx:1.25',
      'app=web',
    ]);
  });
});

describe('DaemonSet', () => {
  it('defaults the rolling update to maxUnavailable 1 / maxSurge 0', () => {
    const obj = workload('DaemonSet');
    expect(messages(daemonSetDefinition, obj)).toEqual([]);
    expect(obj.spec).toMatchObject({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    });
  });

  it('rejects both or neither of maxSurge and maxUnavailable', () => {
    expect(
      messages(
        daemonSetDefinition,
        workload('DaemonSet', {
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } },
        }),
      ),
    ).toEqual([
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero',
    ]);
    expect(
      messages(
        daemonSetDefinition,
        workload('DaemonSet', {
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } },
        }),
      ),
    ).toEqual([
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
    ]);
  });

  it('reports a selector that does not match', () => {
    expect(
      messages(daemonSetDefinition, workload('DaemonSet', { selector: { matchLabels: { app: 'other' } } })),
    ).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('prints the seven columns and Node Selector', () => {
    const obj = workload('DaemonSet');
    (obj.spec as Record<string, Record<string, Record<string, unknown>>>).template.spec.nodeSelector = {
      'kubernetes.io/os': 'linux',
    };
    obj.status = {
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 1,
      updatedNumberScheduled: 2,
      numberAvailable: 1,
    };
    expect(daemonSetDefinition.table.columns.map((c) => c.name)).toEqual([
      'Name',
      'Desired',
      'Current',
      'Ready',
      'Up-to-date',
      'Available',
      'Node Selector',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ]);
    expect(daemonSetDefinition.table.cells(obj, { now })).toEqual([
      'web',
      2,
      2,
      1,
      2,
      1,
      'kubernetes.io/os=linux',
      '24h',
      'nginx',
      'nginx:1.25',
      'app=web',
    ]);
  });
});

describe('StatefulSet', () => {
  it('defaults policy, update strategy, retention policy, replicas and claim templates', () => {
    const obj = workload('StatefulSet', {
      serviceName: 'web',
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }],
    });
    expect(messages(statefulSetDefinition, obj)).toEqual([]);
    expect(obj.spec).toMatchObject({
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      replicas: 1,
      revisionHistoryLimit: 10,
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          spec: { volumeMode: 'Filesystem' },
          status: { phase: 'Pending' },
        },
      ],
    });
  });

  it('rejects unknown policies', () => {
    expect(messages(statefulSetDefinition, workload('StatefulSet', { podManagementPolicy: 'Fast' }))).toEqual(
      ["spec.podManagementPolicy: Invalid value: \"Fast\": must be 'OrderedReady' or 'Parallel'"],
    );
    expect(
      messages(statefulSetDefinition, workload('StatefulSet', { updateStrategy: { type: 'Later' } })),
    ).toEqual([
      "spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:\"Later\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'",
    ]);
  });

  it('forbids updates outside replicas, template, updateStrategy and friends', () => {
    const old = workload('StatefulSet', { serviceName: 'web' });
    messages(statefulSetDefinition, old);
    const scaled = structuredClone(old);
    (scaled.spec as Record<string, unknown>).replicas = 5;
    expect(messages(statefulSetDefinition, scaled, old)).toEqual([]);
    const renamed = structuredClone(old);
    (renamed.spec as Record<string, unknown>).serviceName = 'other';
    expect(messages(statefulSetDefinition, renamed, old)).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });

  it('prints Ready as ready/desired', () => {
    const obj = workload('StatefulSet', { replicas: 3 });
    obj.status = { replicas: 3, readyReplicas: 2 };
    expect(statefulSetDefinition.table.cells(obj, { now })).toEqual([
      'web',
      '2/3',
      '24h',
      'nginx',
      'nginx:1.25',
    ]);
    statefulSetDefinition.prepareForCreate?.(obj);
    expect(obj.status).toEqual({ availableReplicas: 0, replicas: 0 });
  });
});

describe('ControllerRevision', () => {
  it('requires data and keeps it immutable', () => {
    const obj: KubeObject = { metadata: { name: 'web-1', namespace: 'default' }, revision: 1 };
    expect(messages(controllerRevisionDefinition, obj)).toEqual(['data: Required value: data is mandatory']);
    const old: KubeObject = { ...obj, data: { a: 1 } };
    expect(messages(controllerRevisionDefinition, { ...obj, data: { a: 2 } }, old)).toEqual([
      'data: Invalid value: {"a":2}: field is immutable',
    ]);
  });

  it('prints the controller as kind.group/name', () => {
    const obj: KubeObject = {
      metadata: {
        name: 'web-5d8f',
        namespace: 'default',
        creationTimestamp: '2024-05-01T11:00:00Z' as unknown as Date,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'web', uid: 'u', controller: true },
        ],
      },
      data: {},
      revision: 2,
    };
    expect(controllerRevisionDefinition.table.cells(obj, { now })).toEqual([
      'web-5d8f',
      'daemonset.apps/web',
      2,
      '60m',
    ]);
  });
});

describe('workload status validation on updates', () => {
  it('rejects counters above status.replicas and a decremented collisionCount', () => {
    const old = workload('StatefulSet', { serviceName: 'web' });
    messages(statefulSetDefinition, old);
    old.status = { replicas: 2, readyReplicas: 2, collisionCount: 1 };
    const next = structuredClone(old);
    next.status = { replicas: 1, readyReplicas: 2, availableReplicas: 1, collisionCount: 0 };
    expect(messages(statefulSetDefinition, next, old)).toEqual([
      'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
      'status.collisionCount: Invalid value: 0: cannot be decremented',
    ]);
    const rs = workload('ReplicaSet');
    messages(replicaSetDefinition, rs);
    const rsNext = structuredClone(rs);
    rsNext.status = { replicas: 2, readyReplicas: 1, availableReplicas: 2 };
    expect(messages(replicaSetDefinition, rsNext, rs)).toEqual([
      'status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas',
    ]);
  });

  it('requires StatefulSet names to be DNS labels', () => {
    const obj = workload('StatefulSet');
    obj.metadata.name = 'web.v1';
    expect(messages(statefulSetDefinition, obj)[0]).toMatch(
      /^metadata\.name: Invalid value: "web\.v1": a lowercase RFC 1123 label/,
    );
  });
});
