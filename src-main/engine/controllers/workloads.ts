import type { ObjectApi } from '../apiserver/object-api';
import { ApiError } from '../apiserver/status';
import { startCronJobController } from './cronjob/controller';
import { startDaemonSetController } from './daemonset/controller';
import { startJobController } from './job/controller';
import { startNodeLifecycleController } from './node-lifecycle/controller';
import type { Clock } from './runtime/clock';
import type { InformerSource } from './workload-common/informers';
import { startStatefulSetController } from './statefulset/controller';

export interface WorkloadControllersOptions {
  api: ObjectApi;
  clock: Clock;
  /** Reconcile failures (they are retried with back-off); default: ignored. */
  onError?: (message: string, error: unknown) => void;
  /**
   * Shared informers, e.g. the core controllers' factory, so each resource is watched once;
   * their owner starts and stops them. Default: each controller keeps its own.
   */
  informers?: InformerSource;
}

/** A started workload controller (fits the core controllers' `RunningController`). */
export interface RunningWorkloadController {
  readonly name: string;
  isIdle(): boolean;
  stop(): Promise<void>;
}

/** Drops write conflicts before `onError`: they only mean a cache was behind, and are retried. */
function quiet(options: WorkloadControllersOptions): WorkloadControllersOptions {
  const report = options.onError;
  return {
    ...options,
    onError: (message, error) => {
      if (error instanceof ApiError && error.code === 409 && error.reason === 'Conflict') return;
      report?.(message, error);
    },
  };
}

/**
 * The node lifecycle, DaemonSet, StatefulSet, Job and CronJob controllers as starters, e.g.
 * for the core controllers' `extra` hook, where they share its informers
 * (`startCoreControllers({ ..., extra: [...workloadControllerStarters, (ctx) => startScheduler(ctx)] })`).
 */
export const workloadControllerStarters: ReadonlyArray<
  (options: WorkloadControllersOptions) => RunningWorkloadController
> = [
  (options) => startNodeLifecycleController(quiet(options)),
  (options) => startDaemonSetController(quiet(options)),
  (options) => startStatefulSetController(quiet(options)),
  (options) => startJobController(quiet(options)),
  (options) => startCronJobController(quiet(options)),
];

/**
 * Starts the DaemonSet, StatefulSet, Job, CronJob and node lifecycle controllers over the
 * in-process API. `stop` stops them all and resolves once their reconciles have finished.
 * The scheduler is started separately (`startScheduler` in engine/scheduler).
 */
export function startWorkloadControllers(options: WorkloadControllersOptions): { stop(): Promise<void> } {
  const running = workloadControllerStarters.map((start) => start(options));
  return {
    async stop() {
      await Promise.all(running.map((controller) => controller.stop()));
    },
  };
}
