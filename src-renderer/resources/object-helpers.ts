import type { KubeObject } from '../../src-main/ipc/contract';

/** Colour classes of status text. */
export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'muted';

/** Reads a dotted path of plain data (`status.phase`); undefined when any step is missing. */
export function pick(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function str(value: unknown, path: string): string | undefined {
  const found = pick(value, path);
  return typeof found === 'string' ? found : typeof found === 'number' ? String(found) : undefined;
}

export function num(value: unknown, path: string): number | undefined {
  const found = pick(value, path);
  return typeof found === 'number' ? found : undefined;
}

export function list<T = Record<string, unknown>>(value: unknown, path: string): T[] {
  const found = pick(value, path);
  return Array.isArray(found) ? (found as T[]) : [];
}

export function record(value: unknown, path: string): Record<string, unknown> {
  const found = pick(value, path);
  return typeof found === 'object' && found !== null && !Array.isArray(found)
    ? (found as Record<string, unknown>)
    : {};
}

/** kubectl's short age (`45s`, `3m12s`, `5h`, `2d3h`, `40d`). */
export function formatAge(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '';
  const seconds = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (Number.isNaN(seconds)) return '';
  const m = Math.floor(seconds / 60);
  const h = Math.floor(seconds / 3600);
  const d = Math.floor(seconds / 86400);
  if (seconds < 120) return `${seconds}s`;
  if (m < 10) return `${m}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  if (h < 3) return `${m}m`;
  if (h < 8) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  if (d < 2) return `${h}h`;
  if (d < 8) return `${d}d${h % 24 ? `${h % 24}h` : ''}`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

/** Milliseconds since creation, for sorting by age. */
export function ageMs(object: KubeObject, now: number): number {
  const created = object.metadata.creationTimestamp;
  return created ? now - Date.parse(created) : 0;
}

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string };
    terminated?: { reason?: string; exitCode?: number; signal?: number };
    running?: unknown;
  };
}

/** The STATUS column of `kubectl get pods`, following its printer's order of precedence. */
export function podStatus(pod: KubeObject): string {
  let reason = str(pod, 'status.reason') ?? str(pod, 'status.phase') ?? 'Pending';
  const inits = list<ContainerStatus>(pod, 'status.initContainerStatuses');
  const initCount = list(pod, 'spec.initContainers').length;
  let initializing = false;
  inits.forEach((status, i) => {
    if (initializing) return;
    const terminated = status.state?.terminated;
    const waiting = status.state?.waiting;
    if (terminated && terminated.exitCode === 0) return;
    initializing = true;
    if (terminated)
      reason = `Init:${terminated.reason || (terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`)}`;
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initCount}`;
  });
  if (!initializing) {
    let hasRunning = false;
    for (const status of [...list<ContainerStatus>(pod, 'status.containerStatuses')].reverse()) {
      const waiting = status.state?.waiting;
      const terminated = status.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated)
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (status.ready && status.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (pod.metadata.deletionTimestamp)
    reason = str(pod, 'status.reason') === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

/** `ready/total` containers of a pod. */
export function podReady(pod: KubeObject): string {
  const statuses = list<ContainerStatus>(pod, 'status.containerStatuses');
  const total = list(pod, 'spec.containers').length;
  return `${statuses.filter((s) => s.ready).length}/${total}`;
}

export function podRestarts(pod: KubeObject): number {
  return list<ContainerStatus>(pod, 'status.containerStatuses').reduce(
    (sum, s) => sum + (s.restartCount ?? 0),
    0,
  );
}

/** The Ready condition of a node, plus SchedulingDisabled when cordoned. */
export function nodeStatus(node: KubeObject): string {
  const ready = list<{ type?: string; status?: string }>(node, 'status.conditions').find(
    (c) => c.type === 'Ready',
  );
  const base = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
  return pick(node, 'spec.unschedulable') === true ? `${base},SchedulingDisabled` : base;
}

export function nodeRoles(node: KubeObject): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((label) => label.startsWith('node-role.kubernetes.io/'))
    .map((label) => label.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean);
  return roles.length ? roles.sort().join(',') : '<none>';
}

export function jobStatus(job: KubeObject): string {
  const conditions = list<{ type?: string; status?: string }>(job, 'status.conditions');
  if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return 'Complete';
  if (conditions.some((c) => c.type === 'Failed' && c.status === 'True')) return 'Failed';
  if (conditions.some((c) => c.type === 'Suspended' && c.status === 'True')) return 'Suspended';
  if (pick(job, 'metadata.deletionTimestamp')) return 'Terminating';
  return 'Running';
}

const GOOD = new Set([
  'Running',
  'Ready',
  'Active',
  'Bound',
  'Complete',
  'Completed',
  'Succeeded',
  'Normal',
  'True',
  'Available',
]);
const WARN = new Set([
  'Pending',
  'ContainerCreating',
  'PodInitializing',
  'Terminating',
  'Starting',
  'Stopping',
  'Deleting',
  'Suspended',
  'Progressing',
  'Unknown',
]);

/** The colour of a status word (pods, nodes, PVCs, events…). */
export function statusTone(status: string): Tone {
  if (!status) return 'muted';
  if (status.includes('SchedulingDisabled')) return 'warn';
  if (GOOD.has(status)) return 'ok';
  if (WARN.has(status) || status.startsWith('Init:')) return status === 'Init:Error' ? 'bad' : 'warn';
  if (status === 'Stopped') return 'muted';
  if (status === 'Warning') return 'warn';
  return 'bad';
}

/** Tone of `ready/desired` counts: all ready is ok, some is warn, none of some is bad. */
export function ratioTone(ready: number, desired: number): Tone {
  if (desired === 0) return 'muted';
  if (ready >= desired) return 'ok';
  return ready === 0 ? 'bad' : 'warn';
}

/** Images of a pod spec or a workload's template. */
export function images(object: KubeObject): string[] {
  const containers = list<{ image?: string }>(object, 'spec.containers');
  const templated = list<{ image?: string }>(object, 'spec.template.spec.containers');
  const jobTemplated = list<{ image?: string }>(object, 'spec.jobTemplate.spec.template.spec.containers');
  return [...containers, ...templated, ...jobTemplated].map((c) => c.image ?? '').filter(Boolean);
}

/** `a=b,c=d` */
export function formatLabels(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Whether an object matches a filter: words of the name, or `key=value` / `key` label terms. */
export function matchesFilter(object: KubeObject, filter: string): boolean {
  const terms = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return true;
  const name = (object.metadata.name ?? '').toLowerCase();
  const ns = (object.metadata.namespace ?? '').toLowerCase();
  const labels = object.metadata.labels ?? {};
  return terms.every((term) => {
    const eq = term.indexOf('=');
    if (eq > 0) {
      const key = term.slice(0, eq).replace(/!$/, '');
      const value = term.slice(eq + 1);
      const negate = term[eq - 1] === '!';
      const found = Object.entries(labels).some(
        ([k, v]) => k.toLowerCase() === key && v.toLowerCase() === value,
      );
      return negate ? !found : found;
    }
    return (
      name.includes(term) || ns.includes(term) || Object.keys(labels).some((k) => k.toLowerCase() === term)
    );
  });
}
