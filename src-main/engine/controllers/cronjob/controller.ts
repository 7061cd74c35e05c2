import type { ObjectApi } from '../../apiserver/object-api';
import { ApiError } from '../../apiserver/status';
import type { KubeObject } from '../../k8s-object';
import { isJobFinished } from '../job/job-status';
import type { Clock } from '../runtime/clock';
import { Controller } from '../runtime/controller';
import type { ReconcileResult } from '../runtime/controller';
import { EventRecorder } from '../runtime/event-recorder';
import { objectKey } from '../runtime/keys';
import { deleteIfPresent, isControlledBy, num, rec, sameJson, writeStatus } from '../workload-common/pods';
import { CRONJOBS, JOBS } from '../shared/resources';
import { isKnownTimeZone, parseSchedule, rfc1123z } from './schedule';
import type { Schedule } from './schedule';
import { InformerSet } from '../workload-common/informers';
import type { InformerSource } from '../workload-common/informers';
import { formatTime } from '../shared/api-helpers';
import { controllerRef } from '../shared/owners';

export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export interface CronJobControllerOptions {
  api: ObjectApi;
  clock: Clock;
  /** Shared informers (e.g. the engine's factory); default: the controller's own. */
  informers?: InformerSource;
  onError?: (message: string, error: unknown) => void;
}

function ownerKey(job: KubeObject): string | undefined {
  const ref = job.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'CronJob');
  return ref ? `${job.metadata.namespace}/${ref.name}` : undefined;
}

function startedAt(job: KubeObject): string {
  return String(rec(job.status).startTime ?? job.metadata.creationTimestamp ?? '');
}

/**
 * The CronJob controller: creates Job `<cronjob>-<scheduled minutes since epoch>` for the
 * latest missed fire time of `schedule` (in `timeZone`), skipping times older than
 * `startingDeadlineSeconds`; applies `concurrencyPolicy` (Allow, Forbid, Replace) and
 * `suspend`; keeps `successfulJobsHistoryLimit`/`failedJobsHistoryLimit` finished Jobs;
 * and reports `active`, `lastScheduleTime` and `lastSuccessfulTime`. Wakes itself for the
 * next fire time.
 */
export function startCronJobController(options: CronJobControllerOptions): {
  readonly name: string;
  stop(): Promise<void>;
  isIdle(): boolean;
} {
  const { api, clock } = options;
  const onError = options.onError ?? (() => undefined);
  const recorder = new EventRecorder(api, { component: 'cronjob-controller' }, clock);
  const informers = new InformerSet(api, options.informers);
  const cronJobs = informers.get(CRONJOBS);
  const jobs = informers.get(JOBS);
  const controller = new Controller({
    name: 'cronjob',
    clock,
    reconcile: (key) => reconcile(key),
    onError: (key, error) => onError(`syncing CronJob ${key} failed`, error),
  });
  cronJobs.addHandlers({
    add: (cj) => controller.enqueue(objectKey(cj)),
    update: (_old, cj) => controller.enqueue(objectKey(cj)),
  });
  const onJob = (job: KubeObject) => {
    const key = ownerKey(job);
    if (key) controller.enqueue(key);
  };
  jobs.addHandlers({ add: onJob, update: (_old, job) => onJob(job), delete: onJob });

  const event = (cj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) =>
    recorder.record({ ...cj, apiVersion: 'batch/v1', kind: 'CronJob' }, type, reason, message);

  function deleteJob(cj: KubeObject, job: KubeObject): void {
    if (
      deleteIfPresent(api, JOBS, job.metadata.namespace, job.metadata.name ?? '', {
        propagationPolicy: 'Background',
      })
    ) {
      event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    }
  }

  function reconcile(key: string): ReconcileResult | void {
    const cj = cronJobs.get(key);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const namespace = cj.metadata.namespace ?? '';
    const name = cj.metadata.name ?? '';
    const spec = rec(cj.spec);
    const status = rec(cj.status);
    const now = clock.now();
    const owned = jobs.list((j) => j.metadata.namespace === namespace && isControlledBy(j, cj));

    const previouslyActive = new Set(
      (Array.isArray(status.active) ? status.active : []).map((ref) => String(rec(ref).uid)),
    );
    let lastSuccessful =
      typeof status.lastSuccessfulTime === 'string' ? status.lastSuccessfulTime : undefined;
    const active: KubeObject[] = [];
    const succeeded: KubeObject[] = [];
    const failed: KubeObject[] = [];
    for (const job of owned) {
      const finished = isJobFinished(job);
      if (!finished) {
        if (!job.metadata.deletionTimestamp) active.push(job);
        continue;
      }
      (finished.type === 'Complete' ? succeeded : failed).push(job);
      if (previouslyActive.has(job.metadata.uid ?? '')) {
        event(
          cj,
          'Normal',
          'SawCompletedJob',
          `Saw completed job: ${job.metadata.name}, condition: ${finished.type}`,
        );
      }
      if (finished.type === 'Complete') {
        const at = String(rec(job.status).completionTime ?? finished.at ?? '');
        if (at && (!lastSuccessful || Date.parse(at) > Date.parse(lastSuccessful))) lastSuccessful = at;
      }
    }
    const prune = (list: KubeObject[], limit: number) => {
      const sorted = [...list].sort((a, b) => startedAt(a).localeCompare(startedAt(b)));
      for (const job of sorted.slice(0, Math.max(0, sorted.length - limit))) {
        if (!job.metadata.deletionTimestamp) deleteJob(cj, job);
      }
    };
    prune(succeeded, num(spec.successfulJobsHistoryLimit) ?? 3);
    prune(failed, num(spec.failedJobsHistoryLimit) ?? 1);

    let lastSchedule = typeof status.lastScheduleTime === 'string' ? status.lastScheduleTime : undefined;
    let requeueAfterMs: number | undefined;
    const schedule = spec.suspend === true ? undefined : scheduleOf(cj);
    if (schedule) {
      let earliest = new Date(
        Date.parse(lastSchedule ?? String(cj.metadata.creationTimestamp ?? now.toISOString())),
      );
      const deadline = num(spec.startingDeadlineSeconds);
      if (deadline !== undefined && now.getTime() - deadline * 1000 > earliest.getTime()) {
        const missed = schedule.mostRecent(earliest, new Date(now.getTime() - deadline * 1000 - 1));
        if (missed) {
          event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(missed)}`);
        }
        earliest = new Date(now.getTime() - deadline * 1000 - 1);
      }
      const due = schedule.mostRecent(earliest, now);
      const missed = due ? schedule.countBetween(earliest, now, 10_000) : 0;
      if (missed > 100) {
        event(
          cj,
          'Warning',
          'TooManyMissedTimes',
          `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
        );
      }
      if (due) {
        const jobName = `${name}-${Math.floor(due.getTime() / 60_000)}`;
        const exists = owned.some((j) => j.metadata.name === jobName);
        const policy = spec.concurrencyPolicy ?? 'Allow';
        if (exists) {
          lastSchedule = formatTime(due);
        } else if (policy === 'Forbid' && active.length > 0) {
          event(
            cj,
            'Normal',
            'JobAlreadyActive',
            'Not starting job because prior execution is running and concurrency policy is Forbid',
          );
        } else {
          if (policy === 'Replace') {
            for (const job of active.splice(0)) deleteJob(cj, job);
          }
          const created = createJob(cj, jobName, due);
          if (created) {
            active.push(created);
            lastSchedule = formatTime(due);
          }
        }
      }
      const next = schedule.next(now);
      requeueAfterMs = Math.max(0, next.getTime() - now.getTime()) + 100;
    }

    const nextStatus: Record<string, unknown> = { ...status };
    const activeRefs = active.map((job) => ({
      kind: 'Job',
      namespace,
      name: job.metadata.name,
      uid: job.metadata.uid,
      apiVersion: 'batch/v1',
      resourceVersion: job.metadata.resourceVersion,
    }));
    if (activeRefs.length) nextStatus.active = activeRefs;
    else delete nextStatus.active;
    if (lastSchedule) nextStatus.lastScheduleTime = lastSchedule;
    if (lastSuccessful) nextStatus.lastSuccessfulTime = lastSuccessful;
    const comparable = (s: Record<string, unknown>) => ({
      ...s,
      active: (Array.isArray(s.active) ? s.active : []).map((r) => rec(r).uid),
    });
    if (!sameJson(comparable(nextStatus), comparable(status))) {
      writeStatus(api, CRONJOBS, cj, nextStatus);
    }
    return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
  }

  /** The parsed schedule; a bad schedule or time zone is reported once per change, not retried. */
  function scheduleOf(cj: KubeObject): Schedule | undefined {
    const spec = rec(cj.spec);
    const expression = String(spec.schedule ?? '');
    const timeZone = typeof spec.timeZone === 'string' ? spec.timeZone : undefined;
    if (timeZone && !isKnownTimeZone(timeZone)) {
      event(
        cj,
        'Warning',
        'UnknownTimeZone',
        `invalid timeZone: ${JSON.stringify(timeZone)}: unknown time zone ${timeZone}`,
      );
      return undefined;
    }
    try {
      return parseSchedule(expression, timeZone);
    } catch (error) {
      event(
        cj,
        'Warning',
        'UnparseableSchedule',
        `unparseable schedule: ${JSON.stringify(expression)} : ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  }

  function createJob(cj: KubeObject, jobName: string, scheduled: Date): KubeObject | undefined {
    const template = rec(rec(cj.spec).jobTemplate);
    const meta = rec(template.metadata);
    try {
      const job = api.create(JOBS, cj.metadata.namespace, {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name: jobName,
          namespace: cj.metadata.namespace,
          labels: { ...(rec(meta.labels) as Record<string, string>) },
          annotations: {
            ...(rec(meta.annotations) as Record<string, string>),
            [SCHEDULED_TIMESTAMP_ANNOTATION]: formatTime(scheduled),
          },
          ownerReferences: [controllerRef(cj, 'batch/v1', 'CronJob')],
        },
        spec: structuredClone(rec(template.spec)),
      });
      event(cj, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`);
      return job;
    } catch (error) {
      if (error instanceof ApiError && error.code === 409) return undefined;
      event(
        cj,
        'Warning',
        'FailedCreate',
        `Error creating job: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
  }

  informers.start();
  controller.start();
  return {
    name: 'cronjob',
    isIdle: () => controller.queue.isIdle(),
    async stop() {
      informers.stop();
      await controller.stop();
    },
  };
}
