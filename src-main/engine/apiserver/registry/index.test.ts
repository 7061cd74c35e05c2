import { describe, expect, it } from 'vitest';
import { compareVersions, findByKind, findResource, groupVersions, resourceDefinitions } from './index';

describe('registry index', () => {
  it('has one definition per group/version/resource', () => {
    const keys = resourceDefinitions.map((d) => `${d.group}/${d.version}/${d.plural}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('finds resources by plural and by kind', () => {
    expect(findResource('apps', 'v1', 'deployments')?.kind).toBe('Deployment');
    expect(findResource('apps', 'v1', 'Deployments')?.kind).toBe('Deployment');
    expect(findResource('', 'v1', 'pods')?.kind).toBe('Pod');
    expect(findResource('apps', 'v2', 'deployments')).toBeUndefined();
    expect(findByKind('batch/v1', 'CronJob')?.plural).toBe('cronjobs');
    expect(findByKind('v1', 'Pod')?.plural).toBe('pods');
    expect(findByKind('autoscaling/v1', 'HorizontalPodAutoscaler')?.version).toBe('v1');
    expect(findByKind('events.k8s.io/v1', 'Event')?.group).toBe('events.k8s.io');
  });

  it('lists group versions in discovery order with autoscaling/v2 preferred', () => {
    const gvs = groupVersions();
    expect(gvs[0]).toEqual({ group: '', version: 'v1', preferred: true });
    expect(gvs.filter((gv) => gv.group === 'autoscaling')).toEqual([
      { group: 'autoscaling', version: 'v2', preferred: true },
      { group: 'autoscaling', version: 'v1', preferred: false },
    ]);
    const groups = [...new Set(gvs.map((gv) => gv.group))];
    expect(groups).toEqual([
      '',
      'apps',
      'events.k8s.io',
      'autoscaling',
      'batch',
      'networking.k8s.io',
      'policy',
      'rbac.authorization.k8s.io',
      'storage.k8s.io',
      'scheduling.k8s.io',
      'coordination.k8s.io',
      'node.k8s.io',
      'discovery.k8s.io',
    ]);
  });

  it('orders versions by Kubernetes priority', () => {
    expect(['v1beta1', 'v1', 'v2', 'v1alpha1', 'v2beta2', 'foo'].sort(compareVersions)).toEqual([
      'v2',
      'v1',
      'v2beta2',
      'v1beta1',
      'v1alpha1',
      'foo',
    ]);
  });

  it('gives every table as many cells as columns and names/ages where Kubernetes does', () => {
    const now = new Date('2024-05-01T12:00:00Z');
    for (const def of resourceDefinitions) {
      const obj = {
        apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
        kind: def.kind,
        metadata: {
          name: 'x',
          namespace: def.namespaced ? 'default' : undefined,
          creationTimestamp: '2024-05-01T11:59:00Z' as unknown as Date,
        },
      };
      expect(def.table.cells(obj, { now }).length, `${def.plural}.${def.group}`).toBe(
        def.table.columns.length,
      );
    }
  });
});

describe('convertToVersion', () => {
  it('serves a v1-written HPA through v2 and back', async () => {
    const { convertToVersion: convert, findResource: find } = await import('./index');
    const v2 = find('autoscaling', 'v2', 'horizontalpodautoscalers');
    const v1 = find('autoscaling', 'v1', 'horizontalpodautoscalers');
    if (!v1 || !v2) throw new Error('missing HPA definitions');
    const stored = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web' },
        maxReplicas: 5,
        targetCPUUtilizationPercentage: 60,
      },
    };
    const asV2 = convert(v2, stored);
    expect(asV2.apiVersion).toBe('autoscaling/v2');
    expect(asV2.spec).toEqual({
      scaleTargetRef: { kind: 'Deployment', name: 'web' },
      maxReplicas: 5,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
        },
      ],
    });
    expect(convert(v1, asV2)).toEqual(stored);
    const deployments = find('apps', 'v1', 'deployments');
    if (!deployments) throw new Error('missing deployments');
    expect(convert(deployments, stored)).toBe(stored);
  });
});

describe('convertToVersion for events', () => {
  it('converts between core and events.k8s.io shapes', async () => {
    const { convertToVersion: convert, findResource: find } = await import('./index');
    const core = find('', 'v1', 'events');
    const v1 = find('events.k8s.io', 'v1', 'events');
    if (!core || !v1) throw new Error('missing event definitions');
    const coreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web' },
      message: 'Pulled',
      reason: 'Pulled',
    };
    const asV1 = convert(v1, coreEvent);
    expect(asV1).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      regarding: { kind: 'Pod', name: 'web' },
      note: 'Pulled',
    });
    expect(convert(core, asV1)).toEqual(coreEvent);
    expect(convert(core, coreEvent)).toBe(coreEvent);
  });
});
