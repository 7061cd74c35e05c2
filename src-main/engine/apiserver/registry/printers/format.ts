import { isPlainObject } from '../../../k8s-object';
import type { V1LabelSelector } from '@kubernetes/client-node';

/** What kubectl prints for an absent value. */
export const NONE = '<none>';
/** What kubectl prints for a value that is not known yet (e.g. a LoadBalancer's address). */
export const PENDING = '<pending>';
/** What kubectl prints for an unknown timestamp. */
export const UNKNOWN = '<unknown>';

/** labels.FormatLabels: `a=b,c=d` with keys sorted, or `<none>`. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return NONE;
  return keys.map((k) => `${k}=${labels?.[k] ?? ''}`).join(',');
}

/**
 * metav1.FormatLabelSelector: requirements sorted by key (`app=web,tier in (a,b),!legacy`),
 * `<none>` for an empty or absent selector, `<error>` for an unknown operator.
 */
export function formatLabelSelector(selector: V1LabelSelector | undefined | null): string {
  if (!selector) return NONE;
  const requirements: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, text: `${key}=${value}` });
  }
  for (const expr of selector.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])].sort().join(',');
    switch (expr.operator) {
      case 'In':
        requirements.push({ key: expr.key, text: `${expr.key} in (${values})` });
        break;
      case 'NotIn':
        requirements.push({ key: expr.key, text: `${expr.key} notin (${values})` });
        break;
      case 'Exists':
        requirements.push({ key: expr.key, text: expr.key });
        break;
      case 'DoesNotExist':
        requirements.push({ key: expr.key, text: `!${expr.key}` });
        break;
      default:
        return '<error>';
    }
  }
  if (requirements.length === 0) return NONE;
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return requirements.map((r) => r.text).join(',');
}

/** Joins the values with commas, or `<none>` when there are none. */
export function joinOrNone(values: readonly (string | undefined)[] | undefined, separator = ','): string {
  const present = (values ?? []).filter((v): v is string => v !== undefined && v !== '');
  return present.length === 0 ? NONE : present.join(separator);
}

/** The value, or `<none>` when it is absent or empty. */
export function orNone(value: string | undefined | null): string {
  return value === undefined || value === null || value === '' ? NONE : value;
}

/** Container names and images as the workload printers show them (`nginx,sidecar`, `nginx:1.25,busybox`). */
export function containerNamesAndImages(
  containers: readonly { name?: string; image?: string }[] | undefined,
): { names: string; images: string } {
  const list = containers ?? [];
  return {
    names: list.map((c) => c.name ?? '').join(','),
    images: list.map((c) => c.image ?? '').join(','),
  };
}

/**
 * The Containers and Images cells of an object that owns a pod template (Deployment, Job, ...):
 * the names and images of the template's containers, as {@link containerNamesAndImages} prints them.
 */
export function templateContainerCells(template: unknown): [names: string, images: string] {
  const podSpec = isPlainObject(template) && isPlainObject(template.spec) ? template.spec : {};
  const { names, images } = containerNamesAndImages(
    podSpec.containers as { name?: string; image?: string }[] | undefined,
  );
  return [names, images];
}

/** `a,b,c` with a `+ N more...` suffix once more than `max` items would be printed. */
export function joinWithMore(values: readonly string[], max: number): string {
  if (values.length <= max) return values.join(',');
  return `${values.slice(0, max).join(',')} + ${values.length - max} more...`;
}
