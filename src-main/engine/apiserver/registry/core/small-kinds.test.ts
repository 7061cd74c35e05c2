import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import type { ResourceDefinition } from '../types';
import { configMapsResource } from './configmaps';
import { endpointsResource, formatEndpoints } from './endpoints';
import { eventsResource } from './events';
import { limitRangesResource } from './limitranges';
import { namespacesResource } from './namespaces';
import { nodesResource } from './nodes';
import { persistentVolumeClaimsResource } from './persistentvolumeclaims';
import { persistentVolumesResource } from './persistentvolumes';
import { podTemplatesResource } from './podtemplates';
import { replicationControllersResource } from './replicationcontrollers';
import { resourceQuotasResource } from './resourcequotas';
import { secretsResource } from './secrets';
import { serviceAccountsResource } from './serviceaccounts';

const now = new Date('2026-03-01T12:00:00Z');
const ago = (ms: number): Date => new Date(now.getTime() - ms);

function create(def: ResourceDefinition, obj: KubeObject): string[] {
  def.applyDefaults?.(obj);
  def.prepareForCreate?.(obj);
  return (def.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.message}`);
}

describe('namespaces', () => {
  it('gets the name label, the kubernetes finalizer and phase Active', () => {
    const ns: KubeObject = { metadata: { name: 'team-a' } };
    expect(create(namespacesResource, ns)).toEqual([]);
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });
    expect(namespacesResource.table.cells(ns, { now })).toEqual(['team-a', 'Active', '<unknown>']);
    expect(namespacesResource.fieldSelectors?.['status.phase'](ns)).toBe('Active');
  });

  it('uses DNS-1123 label names and checks spec.finalizers', () => {
    expect(create(namespacesResource, { metadata: { name: 'team.a' } })[0]).toMatch(
      /^metadata\.name: Invalid value: "team\.a": a lowercase RFC 1123 label/,
    );
    expect(create(namespacesResource, { metadata: { name: 'a' }, spec: { finalizers: ['custom'] } })).toEqual(
      [
        'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
      ],
    );
    // /finalize may empty the list; defaulting on that update must not restore it.
    const finalized: KubeObject = {
      metadata: { name: 'a' },
      spec: { finalizers: [] },
      status: { phase: 'Terminating' },
    };
    namespacesResource.applyDefaults?.(finalized);
    expect(finalized.spec).toEqual({ finalizers: [] });
  });
});

describe('configmaps and secrets', () => {
  it('validates keys and the 1 MiB limit', () => {
    const cm: KubeObject = { metadata: { name: 'cfg', namespace: 'default' }, data: { 'a b': 'x', ok: 'y' } };
    expect(create(configMapsResource, cm)).toEqual([
      "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]);
    const big: KubeObject = {
      metadata: { name: 'big', namespace: 'default' },
      data: { blob: 'x'.repeat(1024 * 1024 + 1) },
    };
    expect(create(configMapsResource, big)).toEqual(['[]: Too long: may not be more than 1048576 bytes']);
    expect(configMapsResource.table.cells({ ...cm, binaryData: { b: 'AA==' } }, { now })[1]).toBe(3);
  });

  it('keeps immutable configmaps immutable', () => {
    const old: KubeObject = { metadata: { name: 'c', namespace: 'd' }, immutable: true, data: { a: '1' } };
    const next: KubeObject = { metadata: { name: 'c', namespace: 'd' }, immutable: true, data: { a: '2' } };
    expect(configMapsResource.validate?.(next, old).map((e) => `${e.field}: ${e.message}`)).toEqual([
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  it('defaults secrets to Opaque and folds stringData into data', () => {
    const secret: KubeObject = {
      metadata: { name: 's', namespace: 'default' },
      stringData: { password: 'hunter2' },
    };
    expect(create(secretsResource, secret)).toEqual([]);
    expect(secret).toMatchObject({ type: 'Opaque', data: { password: 'aHVudGVyMg==' } });
    expect(secret.stringData).toBeUndefined();
    expect(secretsResource.table.cells(secret, { now }).slice(0, 3)).toEqual(['s', 'Opaque', 1]);
    expect(secretsResource.fieldSelectors?.type(secret)).toBe('Opaque');
  });

  it('checks the keys of typed secrets and keeps the type immutable', () => {
    const tls: KubeObject = {
      metadata: { name: 't', namespace: 'default' },
      type: 'kubernetes.io/tls',
      data: {},
    };
    expect(create(secretsResource, tls)).toEqual([
      'data[tls.key]: Required value',
      'data[tls.crt]: Required value',
    ]);
    const old: KubeObject = { metadata: { name: 's', namespace: 'd' }, type: 'Opaque' };
    const next: KubeObject = {
      metadata: { name: 's', namespace: 'd' },
      type: 'kubernetes.io/basic-auth',
      data: { username: 'YQ==' },
    };
    expect(secretsResource.validate?.(next, old).map((e) => `${e.field}: ${e.message}`)).toEqual([
      'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
    ]);
  });
});

describe('serviceaccounts', () => {
  it('prints the number of secrets', () => {
    const sa: KubeObject = {
      metadata: { name: 'default', namespace: 'default', creationTimestamp: ago(3 * 86400_000) },
    };
    expect(create(serviceAccountsResource, sa)).toEqual([]);
    expect(serviceAccountsResource.table.cells(sa, { now })).toEqual(['default', 0, '3d']);
  });
});

describe('endpoints', () => {
  it('prints at most three endpoints then "+ N more..."', () => {
    const ep: KubeObject = {
      metadata: { name: 'web', namespace: 'default' },
      subsets: [
        {
          addresses: [{ ip: '10.244.0.5' }, { ip: '10.244.0.6' }],
          ports: [
            { name: 'http', port: 80 },
            { name: 'https', port: 443 },
          ],
        },
      ],
    };
    expect(create(endpointsResource, ep)).toEqual([]);
    expect(formatEndpoints(ep)).toBe('10.244.0.5:80,10.244.0.6:80,10.244.0.5:443 + 1 more...');
    expect(formatEndpoints({ metadata: { name: 'none' } })).toBe('<none>');
  });

  it('rejects bad addresses and unnamed ports when there are several', () => {
    const ep: KubeObject = {
      metadata: { name: 'web', namespace: 'default' },
      subsets: [{ addresses: [{ ip: 'not-an-ip' }], ports: [{ port: 80 }, { name: 'b', port: 81 }] }],
    };
    expect(create(endpointsResource, ep)).toEqual([
      'subsets[0].addresses[0].ip: Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'subsets[0].ports[0].name: Required value',
    ]);
  });
});

describe('events', () => {
  const event: KubeObject = {
    metadata: { name: 'web-7d4b9.17a1b2c3d4e5f6a7', namespace: 'default' },
    involvedObject: {
      kind: 'Pod',
      name: 'web-7d4b9',
      namespace: 'default',
      uid: 'u1',
      fieldPath: 'spec.containers{app}',
    },
    reason: 'BackOff',
    message: 'Back-off restarting failed container app in pod web-7d4b9_default(u1)\n',
    source: { component: 'kubelet', host: 'kubedesk' },
    firstTimestamp: ago(10 * 60_000),
    lastTimestamp: ago(2 * 60_000),
    count: 7,
    type: 'Warning',
  };

  it('prints the columns kubectl get events shows', () => {
    expect(create(eventsResource, structuredClone(event))).toEqual([]);
    expect(eventsResource.table.cells(event, { now })).toEqual([
      '2m',
      'Warning',
      'BackOff',
      'pod/web-7d4b9',
      'spec.containers{app}',
      'kubelet, kubedesk',
      'Back-off restarting failed container app in pod web-7d4b9_default(u1)',
      '10m',
      7,
      'web-7d4b9.17a1b2c3d4e5f6a7',
    ]);
    expect(eventsResource.table.columns.filter((c) => c.priority === 0).map((c) => c.name)).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Message',
    ]);
  });

  it('selects by involved object, reason, source and type', () => {
    const selectors = eventsResource.fieldSelectors ?? {};
    expect(selectors['involvedObject.name'](event)).toBe('web-7d4b9');
    expect(selectors['involvedObject.kind'](event)).toBe('Pod');
    expect(selectors['involvedObject.uid'](event)).toBe('u1');
    expect(selectors.reason(event)).toBe('BackOff');
    expect(selectors.source(event)).toBe('kubelet');
    expect(selectors.type(event)).toBe('Warning');
  });

  it('requires the involved object to live in the event namespace', () => {
    const wrong = structuredClone(event);
    wrong.involvedObject = { kind: 'Pod', name: 'x', namespace: 'other' };
    expect(create(eventsResource, wrong)).toEqual([
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
  });
});

describe('nodes', () => {
  it('prints status, roles and the wide columns', () => {
    const node: KubeObject = {
      metadata: {
        name: 'kubedesk',
        labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker' },
        creationTimestamp: ago(2 * 86400_000 + 3 * 3600_000),
      },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
        nodeInfo: {
          kubeletVersion: 'v1.33.0',
          osImage: 'Docker Desktop',
          kernelVersion: '6.6.0',
          containerRuntimeVersion: 'docker://27.0.0',
        },
        capacity: { cpu: '8', memory: '16Gi', pods: '110' },
      },
    };
    expect(create(nodesResource, node)).toEqual([]);
    expect((node.status as Record<string, unknown>).allocatable).toEqual({
      cpu: '8',
      memory: '16Gi',
      pods: '110',
    });
    expect(nodesResource.table.cells(node, { now })).toEqual([
      'kubedesk',
      'Ready,SchedulingDisabled',
      'control-plane,worker',
      '2d3h',
      'v1.33.0',
      '172.18.0.2',
      '<none>',
      'Docker Desktop',
      '6.6.0',
      'docker://27.0.0',
    ]);
    expect(nodesResource.fieldSelectors?.['spec.unschedulable'](node)).toBe('true');
    const notReady: KubeObject = {
      metadata: { name: 'n2' },
      status: { conditions: [{ type: 'Ready', status: 'Unknown' }] },
    };
    expect(nodesResource.table.cells(notReady, { now }).slice(1, 3)).toEqual(['NotReady', '<none>']);
    expect(nodesResource.table.cells({ metadata: { name: 'n3' } }, { now })[1]).toBe('Unknown');
  });

  it('validates taints', () => {
    const node: KubeObject = {
      metadata: { name: 'n' },
      spec: { taints: [{ key: 'gpu', effect: 'Sometimes' }] },
    };
    expect(create(nodesResource, node)).toEqual([
      'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });
});

describe('persistent volumes and claims', () => {
  it('defaults and prints a pending claim', () => {
    const pvc: KubeObject = {
      metadata: { name: 'data', namespace: 'default', creationTimestamp: ago(60_000) },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
        storageClassName: 'standard',
      },
    };
    expect(create(persistentVolumeClaimsResource, pvc)).toEqual([]);
    expect(pvc.spec).toMatchObject({ volumeMode: 'Filesystem' });
    expect(pvc.status).toEqual({ phase: 'Pending' });
    expect(persistentVolumeClaimsResource.table.cells(pvc, { now })).toEqual([
      'data',
      'Pending',
      '',
      '',
      '',
      'standard',
      '<unset>',
      '60s',
      'Filesystem',
    ]);
    const bound = structuredClone(pvc);
    (bound.spec as Record<string, unknown>).volumeName = 'pvc-123';
    bound.status = {
      phase: 'Bound',
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce', 'ReadWriteMany'],
    };
    expect(persistentVolumeClaimsResource.table.cells(bound, { now }).slice(1, 5)).toEqual([
      'Bound',
      'pvc-123',
      '1Gi',
      'RWO,RWX',
    ]);
  });

  it('validates claims and their immutability', () => {
    const bad: KubeObject = {
      metadata: { name: 'data', namespace: 'default' },
      spec: { accessModes: ['ReadWriteSometimes'] },
    };
    expect(create(persistentVolumeClaimsResource, bad)).toEqual([
      'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      'spec.resources[storage]: Required value',
    ]);
    const old: KubeObject = {
      metadata: { name: 'data', namespace: 'default' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Bound' },
    };
    const grown = structuredClone(old);
    (grown.spec as { resources: { requests: Record<string, string> } }).resources.requests.storage = '2Gi';
    expect(persistentVolumeClaimsResource.validate?.(grown, old)).toEqual([]);
    const changed = structuredClone(old);
    (changed.spec as Record<string, unknown>).accessModes = ['ReadWriteMany'];
    expect(persistentVolumeClaimsResource.validate?.(changed, old).map((e) => e.message)).toEqual([
      'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ]);
  });

  it('defaults, validates and prints volumes', () => {
    const pv: KubeObject = {
      metadata: { name: 'pv-1' },
      spec: {
        capacity: { storage: '5Gi' },
        accessModes: ['ReadWriteOnce'],
        hostPath: { path: '/data' },
        claimRef: { namespace: 'default', name: 'data' },
        storageClassName: 'standard',
      },
    };
    expect(create(persistentVolumesResource, pv)).toEqual([]);
    expect(pv.spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
    expect(persistentVolumesResource.table.cells(pv, { now })).toEqual([
      'pv-1',
      '5Gi',
      'RWO',
      'Retain',
      'Pending',
      'default/data',
      'standard',
      '<unset>',
      '',
      '<unknown>',
      'Filesystem',
    ]);
    expect(
      create(persistentVolumesResource, {
        metadata: { name: 'pv-2' },
        spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } },
      }),
    ).toEqual(['spec: Required value: must specify a volume type']);
  });
});

describe('limit ranges and quotas', () => {
  it('defaults container limits from max and prints Created At', () => {
    const lr: KubeObject = {
      metadata: {
        name: 'limits',
        namespace: 'default',
        creationTimestamp: '2026-02-01T00:00:00Z' as unknown as Date,
      },
      spec: { limits: [{ type: 'Container', max: { cpu: '1' }, min: { cpu: '100m' } }] },
    };
    expect(create(limitRangesResource, lr)).toEqual([]);
    expect((lr.spec as { limits: unknown[] }).limits[0]).toMatchObject({
      default: { cpu: '1' },
      defaultRequest: { cpu: '100m' },
    });
    expect(limitRangesResource.table.cells(lr, { now })).toEqual(['limits', '2026-02-01T00:00:00Z']);
    const bad: KubeObject = {
      metadata: { name: 'l', namespace: 'd' },
      spec: { limits: [{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }] },
    };
    expect(create(limitRangesResource, bad)).toContain(
      'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
    );
  });

  it('prints quota usage split into requests and limits', () => {
    const quota: KubeObject = {
      metadata: { name: 'q', namespace: 'default' },
      spec: { hard: { pods: '10', 'limits.cpu': '4' } },
    };
    expect(create(resourceQuotasResource, quota)).toEqual([]);
    quota.status = {
      hard: { pods: '10', 'requests.cpu': '2', 'limits.cpu': '4' },
      used: { pods: '3', 'requests.cpu': '500m', 'limits.cpu': '1' },
    };
    expect(resourceQuotasResource.table.cells(quota, { now }).slice(2)).toEqual([
      'pods: 3/10, requests.cpu: 500m/2',
      'limits.cpu: 1/4',
    ]);
    const negative: KubeObject = { metadata: { name: 'q', namespace: 'd' }, spec: { hard: { pods: '-1' } } };
    expect(create(resourceQuotasResource, negative)).toEqual([
      'spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0',
    ]);
  });
});

describe('replication controllers and pod templates', () => {
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
  };

  it('defaults selector, labels, replicas and the template, and prints the table', () => {
    const rc: KubeObject = {
      metadata: { name: 'web', namespace: 'default' },
      spec: { template: structuredClone(template) },
    };
    expect(create(replicationControllersResource, rc)).toEqual([]);
    expect(rc.spec).toMatchObject({ replicas: 1, selector: { app: 'web' } });
    expect(rc.metadata.labels).toEqual({ app: 'web' });
    expect(rc.spec).toMatchObject({
      template: { spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' } },
    });
    expect(replicationControllersResource.table.cells(rc, { now })).toEqual([
      'web',
      1,
      0,
      0,
      '<unknown>',
      'app',
      'nginx:1.25',
      'app=web',
    ]);
  });

  it('requires the selector to match the template labels', () => {
    const rc: KubeObject = {
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'api' }, template: structuredClone(template) },
    };
    expect(create(replicationControllersResource, rc)).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('validates pod templates with template paths', () => {
    const pt: KubeObject = {
      metadata: { name: 'tpl', namespace: 'default' },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 0 }] }] },
      },
    };
    expect(create(podTemplatesResource, pt)).toEqual([
      'template.spec.containers[0].ports[0].containerPort: Required value',
    ]);
    expect(podTemplatesResource.table.cells(pt, { now })).toEqual(['tpl', 'app', 'nginx', 'app=web']);
  });
});
