import { KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import type { LogTargetKind } from '../../ipc/streams';

const API_VERSIONS: Record<Exclude<LogTargetKind, 'Pod'>, string> = {
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
};

interface SelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** A label selector object in the query-string form the API takes (`a=b,c in (d,e),!f`). */
export function selectorToString(selector: SelectorSpec | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) parts.push(`${key}=${value}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/**
 * The pods a log target covers now: the pod itself, or every pod the workload's selector
 * matches (sorted by name, so colours and order stay stable).
 */
export async function targetPods(
  config: KubeConfig,
  namespace: string,
  kind: LogTargetKind,
  name: string,
): Promise<V1Pod[]> {
  const objects = KubernetesObjectApi.makeApiClient(config);
  if (kind === 'Pod') {
    const pod = await objects.read<V1Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace } });
    return [pod];
  }
  const owner = await objects.read<{ apiVersion: string; kind: string; metadata: { name: string } }>({
    apiVersion: API_VERSIONS[kind],
    kind,
    metadata: { name, namespace },
  });
  const spec = (owner as { spec?: { selector?: SelectorSpec } }).spec;
  const selector = selectorToString(spec?.selector);
  // An empty selector would match every pod of the namespace: follow none instead.
  if (!selector) return [];
  const list = await objects.list<V1Pod>(
    'v1',
    'Pod',
    namespace,
    undefined,
    undefined,
    undefined,
    undefined,
    selector,
  );
  return list.items.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** App container names of a pod, or just `only` when the pod has it. */
export function podContainers(pod: V1Pod, only?: string): string[] {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  return only ? names.filter((n) => n === only) : names;
}
