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

/**
 * Starts the DaemonSet, StatefulSet, Job, CronJob and node lifecycle controllers over the
 * in-process API. `stop` stops them all and resolves once their reconciles have finished.
 * The scheduler is started separately (`startScheduler` in engine/scheduler).
 */
export function startWorkloadControllers(options: WorkloadControllersOptions): { stop(): Promise<void> } {
  const report = options.onError;
  const withOptions = {
    ...options,
    // A write conflict only means a cache was behind; the retry reads the newer object.
    onError: (message: string, error: unknown) => {
      if (error instanceof ApiError && error.code === 409 && error.reason === 'Conflict') return;
      report?.(message, error);
    },
  };
  const running = [
    startNodeLifecycleController(withOptions),
    startDaemonSetController(withOptions),
    startStatefulSetController(withOptions),
    startJobController(withOptions),
    startCronJobController(withOptions),
  ];
  return {
    async stop() {
      await Promise.all(running.map((controller) => controller.stop()));
    },
  };
}
