import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import { hpaV2ToV1 } from './hpa-conversion';
import { hpaV1Definition, hpaV2Definition } from './horizontalpodautoscalers';

const now = new Date('2024-05-01T12:00:00Z');
const created = '2024-05-01T11:59:00Z' as unknown as Date;

function hpa(spec: Record<string, unknown>, apiVersion = 'autoscaling/v2'): KubeObject {
  return {
    apiVersion,
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: created },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      maxReplicas: 5,
      ...spec,
    },
  };
}

const errors = (obj: KubeObject, def = hpaV2Definition) => {
  def.applyDefaults?.(obj);
  return (def.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.message}`);
};

describe('HorizontalPodAutoscaler v2', () => {
  it('defaults minReplicas and an 80% CPU target', () => {
    const obj = hpa({});
    expect(errors(obj)).toEqual([]);
    expect(obj.spec).toMatchObject({
      minReplicas: 1,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
    });
  });

  it('fills behavior defaults when behavior is given', () => {
    const obj = hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });
    errors(obj);
    expect((obj.spec as Record<string, unknown>).behavior).toEqual({
      scaleDown: {
        stabilizationWindowSeconds: 60,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      },
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
    });
  });

  it('validates replicas, the target reference and metrics', () => {
    expect(errors(hpa({ minReplicas: 3, maxReplicas: 2 }))).toEqual([
      'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
    ]);
    expect(errors(hpa({ scaleTargetRef: { kind: 'Deployment' } }))).toEqual([
      'spec.scaleTargetRef.name: Required value',
    ]);
    expect(
      errors(
        hpa({
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } },
            },
          ],
        }),
      ),
    ).toEqual([
      'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    ]);
    expect(errors(hpa({ metrics: [{ type: 'Magic' }] }))).toEqual([
      'spec.metrics[0].type: Unsupported value: "Magic": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
    ]);
  });

  it('validates custom metrics and scaling behavior', () => {
    expect(
      errors(hpa({ metrics: [{ type: 'Pods', pods: { metric: {}, target: { type: 'AverageValue' } } }] })),
    ).toEqual([
      'spec.metrics[0].pods.metric.name: Required value: must specify a metric name',
      'spec.metrics[0].pods.target.averageValue: Required value: must specify a positive target averageValue',
    ]);
    expect(
      errors(
        hpa({
          behavior: {
            scaleUp: { selectPolicy: 'Most', policies: [{ type: 'Pods', value: 0, periodSeconds: 3600 }] },
            scaleDown: { stabilizationWindowSeconds: 4000 },
          },
        }),
      ),
    ).toEqual([
      'spec.behavior.scaleUp.selectPolicy: Unsupported value: "Most": supported values: "Disabled", "Max", "Min"',
      'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
      'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 3600: must be less than or equal to 1800',
      'spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600',
    ]);
  });

  it('prints Reference, Targets, MinPods, MaxPods, Replicas', () => {
    const obj = hpa({
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
        },
        {
          type: 'Resource',
          resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } },
        },
        {
          type: 'Pods',
          pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } },
        },
      ],
    });
    hpaV2Definition.applyDefaults?.(obj);
    obj.status = {
      currentReplicas: 2,
      desiredReplicas: 2,
      currentMetrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', current: { averageUtilization: 12, averageValue: '6m' } },
        },
      ],
    };
    expect(hpaV2Definition.table.columns.map((c) => c.name)).toEqual([
      'Name',
      'Reference',
      'Targets',
      'MinPods',
      'MaxPods',
      'Replicas',
      'Age',
    ]);
    expect(hpaV2Definition.table.cells(obj, { now })).toEqual([
      'web',
      'Deployment/web',
      'cpu: 12%/50%, memory: <unknown>/100Mi + 1 more...',
      '1',
      5,
      2,
      '60s',
    ]);
  });
});

describe('HorizontalPodAutoscaler v1', () => {
  it('shares names with v2 and validates through the v2 form', () => {
    expect(hpaV1Definition.shortNames).toEqual(['hpa']);
    expect(hpaV1Definition.categories).toEqual(['all']);
    expect(errors(hpa({ targetCPUUtilizationPercentage: 0 }, 'autoscaling/v1'), hpaV1Definition)).toEqual([
      'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    ]);
  });

  it('prints the CPU target, defaulting to 80% as Kubernetes shows it', () => {
    const obj = hpa({ targetCPUUtilizationPercentage: 70 }, 'autoscaling/v1');
    hpaV1Definition.applyDefaults?.(obj);
    obj.status = { currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 30 };
    expect(hpaV1Definition.table.cells(obj, { now })[2]).toBe('cpu: 30%/70%');
    expect(hpaV1Definition.table.cells(hpa({}, 'autoscaling/v1'), { now })[2]).toBe('cpu: <unknown>/80%');
    // The storage may hand a v1-written object to the v2 table with apiVersion already rewritten.
    const relabeled = hpa({ targetCPUUtilizationPercentage: 60 }, 'autoscaling/v2');
    expect(hpaV2Definition.table.cells(relabeled, { now })[2]).toBe('cpu: <unknown>/60%');
  });

  it('stores objects written through v1 in the v2 form', () => {
    const obj = hpa({ targetCPUUtilizationPercentage: 60 }, 'autoscaling/v1');
    hpaV1Definition.applyDefaults?.(obj);
    hpaV1Definition.prepareForCreate?.(obj);
    expect(hpaV1Definition.validate?.(obj)).toEqual([]);
    expect(obj.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      maxReplicas: 5,
      minReplicas: 1,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
        },
      ],
    });
    expect(obj.status).toEqual({ currentReplicas: 0, desiredReplicas: 0 });
  });

  it('converts a v2 object to v1', () => {
    const v2 = hpa({
      minReplicas: 2,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
        },
      ],
    });
    expect(hpaV2ToV1(v2).spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 5,
      targetCPUUtilizationPercentage: 60,
    });
  });
});
