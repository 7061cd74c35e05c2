import type { ObjectApi } from '../../apiserver/object-api';
import { ApiError } from '../../apiserver/status';
import type { KubeObject } from '../../k8s-object';
import type { Clock } from '../runtime/clock';
import { Controller } from '../runtime/controller';
import type { ReconcileResult } from '../runtime/controller';
import { EventRecorder } from '../runtime/event-recorder';
import { objectKey } from '../runtime/keys';
import {
  deleteIfPresent,
  isActive,
  isControlledBy,
  isReady,
  num,
  podFromTemplate,
  rec,
  sameJson,
  writeStatus,
} from '../workload-common/pods';
import { Expectations } from '../workload-common/expectations';
import { JOBS, PODS } from '../shared/resources';
import {
  findCondition,
  formatIndexes,
  hasCondition,
  isJobFinished,
  jobConditions,
  setCondition,
} from './job-status';
import type { JobCondition } from './job-status';
import { matchSuccessPolicy } from './success-policy';
import { COMPLETION_INDEX_ANNOTATION, podIndex, tallyJobPods } from './tally';
import { InformerSet } from '../workload-common/informers';
import type { InformerSource } from '../workload-common/informers';
import { formatTime } from '../shared/api-helpers';
import { controllerRef } from '../shared/owners';

export { COMPLETION_INDEX_ANNOTATION } from './tally';
export const INDEX_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-failure-count';
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 360_000;

export interface JobControllerOptions {
  api: ObjectApi;
  clock: Clock;
  /** Shared informers (e.g. the engine's factory); default: the controller's own. */
  informers?: InformerSource;
  onError?: (message: string, error: unknown) => void;
}

interface Failure {
  reason: string;
  message: string;
}

function ownerJobKey(pod: KubeObject): string | undefined {
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Job');
  return ref ? `${pod.metadata.namespace}/${ref.name}` : undefined;
}

function finishedAt(pod: KubeObject): number {
  let latest = 0;
  const statuses = rec(pod.status).containerStatuses;
  for (const s of Array.isArray(statuses) ? statuses : []) {
    const at = rec(rec(rec(s).state).terminated).finishedAt;
    if (typeof at === 'string') latest = Math.max(latest, Date.parse(at));
  }
  if (!latest && typeof pod.metadata.deletionTimestamp === 'string') {
    latest = Date.parse(String(pod.metadata.deletionTimestamp));
  }
  return latest || Date.parse(String(pod.metadata.creationTimestamp ?? 0));
}

/** Order in which surplus pods go: not yet ready first, then the newest. */
function deletionOrder(a: KubeObject, b: KubeObject): number {
  const ready = Number(isReady(a)) - Number(isReady(b));
  if (ready !== 0) return ready;
  return String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? ''));
}

/**
 * The Job controller: runs `parallelism` pods until `completions` succeed (NonIndexed or
 * Indexed), counts failures against `backoffLimit` with exponential back-off between
 * retries, enforces `activeDeadlineSeconds`, honours `suspend`, and reports status and
 * conditions as Kubernetes 1.31+ does (FailureTarget/SuccessCriteriaMet first, then
 * Failed/Complete once no pod is left running). Finished Jobs with
 * `ttlSecondsAfterFinished` are deleted when it expires.
 */
export function startJobController(options: JobControllerOptions): {
  readonly name: string;
  stop(): Promise<void>;
  isIdle(): boolean;
} {
  const { api, clock } = options;
  const onError = options.onError ?? (() => undefined);
  const recorder = new EventRecorder(api, { component: 'job-controller' }, clock);
  const informers = new InformerSet(api, options.informers);
  const jobs = informers.get(JOBS);
  const pods = informers.get(PODS);
  const expectations = new Expectations(clock);
  const controller = new Controller({
    name: 'job',
    clock,
    reconcile: (key) => reconcile(key),
    onError: (key, error) => onError(`syncing Job ${key} failed`, error),
  });
  jobs.addHandlers({
    add: (job) => controller.enqueue(objectKey(job)),
    update: (_old, job) => controller.enqueue(objectKey(job)),
  });
  const onPod = (pod: KubeObject) => {
    const key = ownerJobKey(pod);
    if (key) controller.enqueue(key);
  };
  pods.addHandlers({ add: onPod, update: (_old, pod) => onPod(pod), delete: onPod });

  const event = (job: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) =>
    recorder.record({ ...job, apiVersion: 'batch/v1', kind: 'Job' }, type, reason, message);

  function deletePod(job: KubeObject, pod: KubeObject): void {
    expectations.expectDelete(objectKey(job), pod.metadata.name ?? '');
    if (deleteIfPresent(api, PODS, pod.metadata.namespace, pod.metadata.name ?? '')) {
      event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    }
  }

  function reconcileFinished(job: KubeObject, finished: { at?: string }): ReconcileResult | void {
    const ttl = num(rec(job.spec).ttlSecondsAfterFinished);
    if (ttl === undefined) return;
    const status = rec(job.status);
    const at = Date.parse(String(status.completionTime ?? finished.at ?? ''));
    if (Number.isNaN(at)) return;
    const remaining = at + ttl * 1000 - clock.now().getTime();
    if (remaining > 0) return { requeueAfterMs: remaining };
    deleteIfPresent(api, JOBS, job.metadata.namespace, job.metadata.name ?? '', {
      propagationPolicy: 'Background',
      preconditions: { uid: job.metadata.uid },
    });
  }

  function reconcile(key: string): ReconcileResult | void {
    const job = jobs.get(key);
    if (!job || job.metadata.deletionTimestamp) {
      expectations.forget(key);
      return;
    }
    const namespace = job.metadata.namespace ?? '';
    if (!expectations.satisfied(key, (name) => pods.get(`${namespace}/${name}`))) return;
    const finished = isJobFinished(job);
    if (finished) return reconcileFinished(job, finished);

    const now = clock.now();
    const spec = rec(job.spec);
    const status = rec(job.status);
    const owned = pods.list((p) => p.metadata.namespace === job.metadata.namespace && isControlledBy(p, job));
    const indexed = spec.completionMode === 'Indexed';
    const completions = num(spec.completions);
    const parallelism = num(spec.parallelism) ?? 1;
    const backoffLimit = num(spec.backoffLimit) ?? 6;
    const suspended = spec.suspend === true;
    const {
      active,
      terminating,
      completedIndexes,
      succeeded,
      failed,
      countedFailures,
      policyFailure,
      perIndexLimit,
      failedIndexes,
      indexFailures,
      onFailureRestarts,
    } = tallyJobPods(job, owned);

    let conditions: JobCondition[] = jobConditions(job);
    let startTime = typeof status.startTime === 'string' ? status.startTime : undefined;
    let completionTime: string | undefined;
    let requeueAfterMs: number | undefined;
    const requeue = (ms: number) => {
      requeueAfterMs = requeueAfterMs === undefined ? ms : Math.min(requeueAfterMs, ms);
    };
    const emitted: Array<[type: 'Normal' | 'Warning', reason: string, message: string]> = [];

    if (!suspended && hasCondition(conditions, 'Suspended')) {
      conditions = setCondition(conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
      startTime = formatTime(now);
      emitted.push(['Normal', 'Resumed', 'Job resumed']);
    }
    if (!suspended && !startTime) startTime = formatTime(now);

    let failure: Failure | undefined;
    const target = findCondition(conditions, 'FailureTarget');
    if (target?.status === 'True') failure = { reason: target.reason ?? '', message: target.message ?? '' };
    else if (policyFailure) failure = policyFailure;
    else if (
      perIndexLimit !== undefined &&
      num(spec.maxFailedIndexes) !== undefined &&
      failedIndexes.size > (num(spec.maxFailedIndexes) ?? 0)
    ) {
      failure = {
        reason: 'MaxFailedIndexesExceeded',
        message: 'Job has exceeded the specified maximal number of failed indexes',
      };
    } else if (
      perIndexLimit !== undefined &&
      failedIndexes.size > 0 &&
      completedIndexes.size + failedIndexes.size >= (completions ?? 0)
    ) {
      failure = { reason: 'FailedIndexes', message: 'Job has failed indexes' };
    } else if (failed + onFailureRestarts > backoffLimit) {
      failure = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    } else {
      const deadline = num(spec.activeDeadlineSeconds);
      if (deadline !== undefined && startTime && !suspended) {
        const left = Date.parse(startTime) + deadline * 1000 - now.getTime();
        if (left <= 0)
          failure = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
        else requeue(left);
      }
    }

    const met = findCondition(conditions, 'SuccessCriteriaMet');
    const policyRule = indexed ? matchSuccessPolicy(spec.successPolicy, completedIndexes) : undefined;
    const success: Failure | undefined =
      met?.status === 'True'
        ? { reason: met.reason ?? '', message: met.message ?? '' }
        : policyRule !== undefined
          ? { reason: 'SuccessPolicy', message: `Matched rules at index ${policyRule}` }
          : completions !== undefined && succeeded >= completions
            ? { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' }
            : undefined;
    const complete =
      !failure &&
      (success !== undefined || (completions === undefined && succeeded > 0 && active.length === 0));

    if (failure) {
      if (target?.status !== 'True') {
        conditions = setCondition(conditions, 'FailureTarget', 'True', failure.reason, failure.message, now);
        emitted.push(['Warning', failure.reason, failure.message]);
      }
      for (const pod of active) deletePod(job, pod);
      if (active.length === 0 && terminating.length === 0) {
        conditions = setCondition(conditions, 'Failed', 'True', failure.reason, failure.message, now);
      }
    } else if (complete || (completions === undefined && succeeded > 0)) {
      const reached = success ?? {
        reason: 'CompletionsReached',
        message: 'Reached expected number of succeeded pods',
      };
      if (complete && !hasCondition(conditions, 'SuccessCriteriaMet')) {
        conditions = setCondition(
          conditions,
          'SuccessCriteriaMet',
          'True',
          reached.reason,
          reached.message,
          now,
        );
      }
      if (complete) {
        for (const pod of active) deletePod(job, pod);
        if (active.length === 0 && terminating.length === 0) {
          conditions = setCondition(conditions, 'Complete', 'True', reached.reason, reached.message, now);
          completionTime = formatTime(now);
          emitted.push(['Normal', 'Completed', 'Job completed']);
        }
      }
      // Work-queue Jobs: once one pod succeeded, the rest finish on their own; none are added.
    } else if (suspended) {
      for (const pod of active) deletePod(job, pod);
      if (!hasCondition(conditions, 'Suspended')) {
        conditions = setCondition(conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
        emitted.push(['Normal', 'Suspended', 'Job suspended']);
      }
    } else {
      // podReplacementPolicy Failed: a terminating pod still holds its place until it is gone.
      const waitFor = spec.podReplacementPolicy === 'Failed' ? terminating : [];
      const wanted =
        completions === undefined ? parallelism : Math.max(0, Math.min(parallelism, completions - succeeded));
      if (active.length > wanted) {
        for (const pod of [...active].sort(deletionOrder).slice(0, active.length - wanted))
          deletePod(job, pod);
      } else if (active.length + waitFor.length < wanted) {
        const count = wanted - active.length - waitFor.length;
        if (perIndexLimit !== undefined) {
          // Each index backs off on its own failures; failed indexes get no more pods.
          const free = freeIndexes(completions ?? 0, completedIndexes, [...active, ...waitFor]).filter(
            (index) => !failedIndexes.has(index),
          );
          const ready: number[] = [];
          for (const index of free) {
            const delay = backoffDelay(indexFailures.get(index) ?? [], now);
            if (delay > 0) requeue(delay);
            else ready.push(index);
          }
          createPods(job, count, ready, indexFailures);
        } else {
          const delay = backoffDelay(countedFailures, now);
          if (delay > 0) requeue(delay);
          else
            createPods(
              job,
              count,
              indexed ? freeIndexes(completions ?? 0, completedIndexes, [...active, ...waitFor]) : undefined,
            );
        }
      }
    }

    const activeNow = owned.filter(isActive).filter((p) => !p.metadata.deletionTimestamp);
    const nextStatus: Record<string, unknown> = {
      ...status,
      ...(conditions.length ? { conditions } : {}),
      ...(startTime ? { startTime } : {}),
      ...(completionTime ? { completionTime } : {}),
      active: failure || complete || suspended ? 0 : activeNow.length,
      ready: failure || complete || suspended ? 0 : activeNow.filter(isReady).length,
      terminating: terminating.length,
      succeeded,
      failed,
      uncountedTerminatedPods: {},
      ...(indexed ? { completedIndexes: formatIndexes(completedIndexes) } : {}),
      ...(perIndexLimit !== undefined ? { failedIndexes: formatIndexes(failedIndexes) } : {}),
    };
    if (!nextStatus.active) delete nextStatus.active;
    if (!nextStatus.succeeded) delete nextStatus.succeeded;
    if (!nextStatus.failed) delete nextStatus.failed;
    if (!sameJson(nextStatus, status)) {
      writeStatus(api, JOBS, job, nextStatus);
    }
    for (const [type, reason, message] of emitted) event(job, type, reason, message);
    return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
  }

  /** Delay before the next pod after failures: 10 s doubling per failure, capped at 6 min. */
  function backoffDelay(failedPods: KubeObject[], now: Date): number {
    if (failedPods.length === 0) return 0;
    const last = Math.max(...failedPods.map(finishedAt));
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (failedPods.length - 1));
    return Math.max(0, last + delay - now.getTime());
  }

  function freeIndexes(completions: number, done: Set<number>, active: KubeObject[]): number[] {
    const busy = new Set(active.map(podIndex));
    const free: number[] = [];
    for (let i = 0; i < completions; i++) if (!done.has(i) && !busy.has(i)) free.push(i);
    return free;
  }

  function createPods(
    job: KubeObject,
    count: number,
    indexes: number[] | undefined,
    indexFailures?: Map<number, KubeObject[]>,
  ): void {
    const name = job.metadata.name ?? '';
    const template = rec(rec(job.spec).template);
    for (let i = 0; i < count; i++) {
      const index = indexes ? indexes[i] : undefined;
      if (indexes && index === undefined) return;
      const pod = podFromTemplate(template, controllerRef(job, 'batch/v1', 'Job'), {
        generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
      });
      if (index !== undefined) {
        pod.metadata.annotations = {
          ...(pod.metadata.annotations ?? {}),
          [COMPLETION_INDEX_ANNOTATION]: String(index),
          ...(indexFailures
            ? { [INDEX_FAILURE_COUNT_ANNOTATION]: String(indexFailures.get(index)?.length ?? 0) }
            : {}),
        };
        pod.metadata.labels = {
          ...(pod.metadata.labels ?? {}),
          [COMPLETION_INDEX_ANNOTATION]: String(index),
        };
        const podSpec = rec(pod.spec);
        podSpec.hostname = `${name}-${index}`;
        const env = {
          name: 'JOB_COMPLETION_INDEX',
          valueFrom: { fieldRef: { fieldPath: `metadata.labels['${COMPLETION_INDEX_ANNOTATION}']` } },
        };
        for (const list of [podSpec.containers, podSpec.initContainers]) {
          if (!Array.isArray(list)) continue;
          for (const c of list) {
            const container = rec(c);
            const existing = Array.isArray(container.env) ? container.env : [];
            container.env = [env, ...existing];
          }
        }
      }
      try {
        const created = api.create(PODS, job.metadata.namespace, pod);
        expectations.expectCreate(objectKey(job), created.metadata.name ?? '');
        event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      } catch (error) {
        if (error instanceof ApiError && error.code === 403) return; // namespace terminating
        event(
          job,
          'Warning',
          'FailedCreate',
          `Error creating: ${error instanceof Error ? error.message : String(error)}`,
        );
        throw error;
      }
    }
  }

  informers.start();
  controller.start();
  return {
    name: 'job',
    isIdle: () => controller.queue.isIdle(),
    async stop() {
      informers.stop();
      await controller.stop();
    },
  };
}
