import type { KubeObject } from '../../../k8s-object';
import { isPlainObject } from '../../../k8s-object';
import { num, rec, records, str } from '../core/common';
import { ageCell, ageColumn, column, nameCell, nameColumn, NONE, swaggerDoc } from '../printers';
import type { TableColumn } from '../types';

const UNKNOWN = '<unknown>';

function quantity(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function formatResourceMetric(
  source: Record<string, unknown>,
  status: Record<string, unknown> | undefined,
): string {
  const target = rec(source.target);
  const current = rec(status?.current);
  const name = str(source.name);
  const averageValue = quantity(target.averageValue);
  if (averageValue !== undefined) {
    return `${name}: ${quantity(current.averageValue) ?? UNKNOWN}/${averageValue}`;
  }
  const currentUtilization = num(current.averageUtilization);
  const targetUtilization = num(target.averageUtilization);
  return `${name}: ${status && currentUtilization !== undefined ? `${currentUtilization}%` : UNKNOWN}/${
    targetUtilization !== undefined ? `${targetUtilization}%` : '<auto>'
  }`;
}

function formatValueOrAverage(
  source: Record<string, unknown>,
  status: Record<string, unknown> | undefined,
): string {
  const target = rec(source.target);
  const current = rec(status?.current);
  const averageValue = quantity(target.averageValue);
  if (averageValue !== undefined) return `${quantity(current.averageValue) ?? UNKNOWN}/${averageValue} (avg)`;
  return `${quantity(current.value) ?? UNKNOWN}/${quantity(target.value) ?? ''}`;
}

/** formatHPAMetrics: `cpu: 40%/80%`, at most two metrics then `+ N more...`; `<none>` without metrics. */
export function formatHpaMetrics(specs: unknown, statuses: unknown): string {
  const metrics = records(specs);
  if (metrics.length === 0) return NONE;
  const current = records(statuses);
  const list = metrics.map((metric, i) => {
    const status = current[i];
    switch (metric.type) {
      case 'External':
        return formatValueOrAverage(
          rec(metric.external),
          isPlainObject(status?.external) ? status.external : undefined,
        );
      case 'Object':
        return formatValueOrAverage(
          rec(metric.object),
          isPlainObject(status?.object) ? status.object : undefined,
        );
      case 'Pods': {
        const target = quantity(rec(rec(metric.pods).target).averageValue) ?? '';
        const cur = isPlainObject(status?.pods)
          ? (quantity(rec(status.pods.current).averageValue) ?? UNKNOWN)
          : UNKNOWN;
        return `${cur}/${target}`;
      }
      case 'Resource':
        return formatResourceMetric(
          rec(metric.resource),
          isPlainObject(status?.resource) ? status.resource : undefined,
        );
      case 'ContainerResource':
        return formatResourceMetric(
          rec(metric.containerResource),
          isPlainObject(status?.containerResource) ? status.containerResource : undefined,
        );
      default:
        return '<unknown type>';
    }
  });
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

/** Columns of `kubectl get hpa`. */
export const hpaColumns: TableColumn[] = [
  nameColumn(),
  column(
    'Reference',
    'string',
    swaggerDoc('V2HorizontalPodAutoscalerSpec', 'scaleTargetRef') ||
      'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.',
  ),
  column('Targets', 'string', swaggerDoc('V2HorizontalPodAutoscalerSpec', 'metrics')),
  column('MinPods', 'string', swaggerDoc('V2HorizontalPodAutoscalerSpec', 'minReplicas')),
  column('MaxPods', 'string', swaggerDoc('V2HorizontalPodAutoscalerSpec', 'maxReplicas')),
  column('Replicas', 'string', swaggerDoc('V2HorizontalPodAutoscalerStatus', 'currentReplicas')),
  ageColumn(),
];

/** Cells of a v2-shaped HorizontalPodAutoscaler. */
export function hpaCells(obj: KubeObject, now: Date): unknown[] {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  const ref = rec(spec.scaleTargetRef);
  const min = num(spec.minReplicas);
  return [
    nameCell(obj),
    `${str(ref.kind)}/${str(ref.name)}`,
    formatHpaMetrics(spec.metrics, status.currentMetrics),
    min === undefined ? '<unset>' : String(min),
    num(spec.maxReplicas) ?? 0,
    num(status.currentReplicas) ?? 0,
    ageCell(obj, now),
  ];
}
