import type { KubeObject } from '../../k8s-object';
import { isPlainObject } from '../../k8s-object';
import { rec } from '../workload-common/pods';
import { formatTime } from '../shared/api-helpers';

export interface JobCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

export function jobConditions(job: KubeObject): JobCondition[] {
  const conditions = rec(job.status).conditions;
  return Array.isArray(conditions) ? (conditions.filter(isPlainObject) as unknown as JobCondition[]) : [];
}

export function hasCondition(conditions: JobCondition[], type: string): boolean {
  return conditions.some((c) => c.type === type && c.status === 'True');
}

export function findCondition(conditions: JobCondition[], type: string): JobCondition | undefined {
  return conditions.find((c) => c.type === type);
}

/** Sets a condition, keeping its transition time when the status is unchanged. */
export function setCondition(
  conditions: JobCondition[],
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: Date,
): JobCondition[] {
  const existing = findCondition(conditions, type);
  if (existing && existing.status === status && existing.reason === reason && existing.message === message) {
    return conditions;
  }
  const time = formatTime(now);
  const next: JobCondition = {
    type,
    status,
    lastProbeTime: time,
    lastTransitionTime: existing && existing.status === status ? (existing.lastTransitionTime ?? time) : time,
    reason,
    message,
  };
  return existing ? conditions.map((c) => (c === existing ? next : c)) : [...conditions, next];
}

/** True once the Job has a terminal condition (Complete or Failed). */
export function isJobFinished(job: KubeObject): { type: 'Complete' | 'Failed'; at?: string } | undefined {
  for (const c of jobConditions(job)) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') {
      return { type: c.type, at: c.lastTransitionTime ?? undefined };
    }
  }
  return undefined;
}

/** Compresses completion indexes as Kubernetes writes `status.completedIndexes`: `1,3-5,7`. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i];
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i] + 1) i++;
    parts.push(start === sorted[i] ? String(start) : `${start}-${sorted[i]}`);
  }
  return parts.join(',');
}

export function parseIndexes(text: unknown): Set<number> {
  const out = new Set<number>();
  if (typeof text !== 'string' || !text) return out;
  for (const part of text.split(',')) {
    const [a, b] = part.split('-').map((x) => Number.parseInt(x, 10));
    if (Number.isNaN(a)) continue;
    for (let i = a; i <= (Number.isNaN(b ?? Number.NaN) ? a : b); i++) out.add(i);
  }
  return out;
}
