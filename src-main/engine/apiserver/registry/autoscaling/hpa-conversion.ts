import type { KubeObject } from '../../../k8s-object';
import { isPlainObject } from '../../../k8s-object';
import { num, rec, records } from '../core/common';

/**
 * Conversions between autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscalers, which
 * Kubernetes serves from one storage: v1's CPU target is v2's Resource/cpu/Utilization metric.
 * Metrics v1 cannot express are dropped going to v1.
 */

function isCpuUtilization(metric: Record<string, unknown>): boolean {
  const resource = rec(metric.resource);
  return metric.type === 'Resource' && resource.name === 'cpu' && rec(resource.target).type === 'Utilization';
}

/** The v2 form of a v1 object (apiVersion autoscaling/v2). */
export function hpaV1ToV2(obj: KubeObject): KubeObject {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  const { targetCPUUtilizationPercentage, ...restSpec } = spec;
  const v2Spec: Record<string, unknown> = { ...restSpec };
  const target = num(targetCPUUtilizationPercentage);
  if (target !== undefined) {
    v2Spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } },
      },
    ];
  }
  const out: KubeObject = { ...obj, apiVersion: 'autoscaling/v2', spec: v2Spec };
  if (isPlainObject(obj.status)) {
    const { currentCPUUtilizationPercentage, ...restStatus } = status;
    const current = num(currentCPUUtilizationPercentage);
    out.status = {
      ...restStatus,
      ...(current !== undefined
        ? {
            currentMetrics: [
              { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } },
            ],
          }
        : {}),
    };
  }
  return out;
}

/** The v1 form of a v2 object (apiVersion autoscaling/v1). */
export function hpaV2ToV1(obj: KubeObject): KubeObject {
  const spec = rec(obj.spec);
  const { metrics, behavior: _behavior, ...restSpec } = spec;
  const v1Spec: Record<string, unknown> = { ...restSpec };
  const cpu = records(metrics).find(isCpuUtilization);
  const target = cpu ? num(rec(rec(cpu.resource).target).averageUtilization) : undefined;
  if (target !== undefined) v1Spec.targetCPUUtilizationPercentage = target;
  const out: KubeObject = { ...obj, apiVersion: 'autoscaling/v1', spec: v1Spec };
  if (isPlainObject(obj.status)) {
    const { currentMetrics, conditions: _conditions, ...restStatus } = obj.status;
    const currentCpu = records(currentMetrics).find(
      (m) => m.type === 'Resource' && rec(m.resource).name === 'cpu',
    );
    const current = currentCpu ? num(rec(rec(currentCpu.resource).current).averageUtilization) : undefined;
    out.status = {
      ...restStatus,
      ...(current !== undefined ? { currentCPUUtilizationPercentage: current } : {}),
    };
  }
  return out;
}

/**
 * True when the object carries the v1 shape (written through autoscaling/v1). The fields
 * decide; `apiVersion` only breaks the tie for objects that have neither a CPU target nor metrics.
 */
export function isHpaV1Shaped(obj: KubeObject): boolean {
  const spec = rec(obj.spec);
  if ('targetCPUUtilizationPercentage' in spec || 'currentCPUUtilizationPercentage' in rec(obj.status))
    return true;
  if ('metrics' in spec || 'behavior' in spec || 'currentMetrics' in rec(obj.status)) return false;
  return obj.apiVersion === 'autoscaling/v1';
}

/**
 * The object in the shape of `version` ("v1" or "v2"), whichever version it was written
 * through; objects already in that shape are returned unchanged.
 */
export function hpaToVersion(obj: KubeObject, version: string): KubeObject {
  const v1 = isHpaV1Shaped(obj);
  if (version === 'v1') return v1 ? obj : hpaV2ToV1(obj);
  return v1 ? hpaV1ToV2(obj) : obj;
}
