import type { KubeObject } from '../../k8s-object';
import { isActive, num, podPhase, rec } from '../workload-common/pods';
import { parseIndexes } from './job-status';
import { evaluatePodFailurePolicy } from './pod-failure-policy';

export const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';

/** A Job's pods counted the way its status and next steps need them. */
export interface JobTally {
  active: KubeObject[];
  /** Being deleted but not finished. */
  terminating: KubeObject[];
  failedPods: KubeObject[];
  /** Failures that count (not ignored by the pod failure policy). */
  countedFailures: KubeObject[];
  completedIndexes: Set<number>;
  succeeded: number;
  failed: number;
  /** A FailJob rule of the pod failure policy matched. */
  policyFailure?: { reason: string; message: string };
  /** `backoffLimitPerIndex` for Indexed Jobs that set it. */
  perIndexLimit?: number;
  failedIndexes: Set<number>;
  indexFailures: Map<number, KubeObject[]>;
  /** Container restarts of running pods, which count as failures with restartPolicy OnFailure. */
  onFailureRestarts: number;
}

/** The completion index a pod of an Indexed Job was created for. */
export function podIndex(pod: KubeObject): number | undefined {
  const value = pod.metadata.annotations?.[COMPLETION_INDEX_ANNOTATION];
  const index = value === undefined ? Number.NaN : Number.parseInt(value, 10);
  return Number.isNaN(index) ? undefined : index;
}

function restarts(pod: KubeObject): number {
  const statuses = rec(pod.status).containerStatuses;
  let total = 0;
  for (const s of Array.isArray(statuses) ? statuses : []) total += num(rec(s).restartCount) ?? 0;
  return total;
}

/**
 * Counts a Job's pods: succeeded and failed totals never go below what status already
 * recorded (pods may have been removed since), completed and failed indexes accumulate,
 * and the pod failure policy decides which failures count.
 */
export function tallyJobPods(job: KubeObject, owned: KubeObject[]): JobTally {
  const spec = rec(job.spec);
  const status = rec(job.status);
  const indexed = spec.completionMode === 'Indexed';
  const completions = num(spec.completions);
  const active = owned.filter(isActive);
  const terminating = owned.filter(
    (p) => p.metadata.deletionTimestamp && podPhase(p) !== 'Succeeded' && podPhase(p) !== 'Failed',
  );
  const succeededPods = owned.filter((p) => podPhase(p) === 'Succeeded');
  const failedPods = owned.filter((p) => podPhase(p) === 'Failed');
  const onFailureRestarts =
    rec(rec(spec.template).spec).restartPolicy === 'OnFailure'
      ? active.reduce((n, p) => n + restarts(p), 0)
      : 0;

  const completedIndexes = parseIndexes(status.completedIndexes);
  if (indexed) {
    for (const p of succeededPods) {
      const index = podIndex(p);
      if (index !== undefined && completions !== undefined && index < completions)
        completedIndexes.add(index);
    }
  }
  const succeeded = Math.max(
    num(status.succeeded) ?? 0,
    indexed ? completedIndexes.size : succeededPods.length,
  );

  let policyFailure: JobTally['policyFailure'];
  const perIndexLimit = indexed ? num(spec.backoffLimitPerIndex) : undefined;
  const failedIndexes = parseIndexes(status.failedIndexes);
  const indexFailures = new Map<number, KubeObject[]>();
  const countedFailures = failedPods.filter((pod) => {
    const verdict = evaluatePodFailurePolicy(job, pod);
    if (verdict?.action === 'FailJob' && !policyFailure) {
      policyFailure = { reason: 'PodFailurePolicy', message: verdict.message ?? '' };
    }
    const index = podIndex(pod);
    if (perIndexLimit !== undefined && index !== undefined && verdict?.action !== 'Ignore') {
      indexFailures.set(index, [...(indexFailures.get(index) ?? []), pod]);
      if (verdict?.action === 'FailIndex') failedIndexes.add(index);
    }
    return verdict?.action !== 'Ignore';
  });
  if (perIndexLimit !== undefined) {
    for (const [index, failures] of indexFailures) {
      if (failures.length > perIndexLimit && !completedIndexes.has(index)) failedIndexes.add(index);
    }
  }
  const failed = Math.max(num(status.failed) ?? 0, countedFailures.length);
  return {
    active,
    terminating,
    failedPods,
    countedFailures,
    completedIndexes,
    succeeded,
    failed,
    policyFailure,
    perIndexLimit,
    failedIndexes,
    indexFailures,
    onFailureRestarts,
  };
}
