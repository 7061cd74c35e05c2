import type { ObjectApi } from '../apiserver/object-api';
import { startCronJobController } from './cronjob/controller';
import { startDaemonSetController } from './daemonset/controller';
import { startJobController } from './job/controller';
import { startNodeLifecycleController } from './node-lifecycle/controller';
import type { Clock } from './runtime/clock';
import { startStatefulSetController } from './statefulset/controller';

export interface WorkloadControllersOptions {
  api: ObjectApi;
  clock: Clock;
  /** Reconcile failures (they are retried with back-off); default: ignored. */
  onError?: (message: string, error: unknown) => void;
}

/**
 * Starts the DaemonSet, StatefulSet, Job, CronJob and node lifecycle controllers over the
 * in-process API. `stop` stops them all and resolves once their reconciles have finished.
 * The scheduler is started separately (`startScheduler` in engine/scheduler).
 */
export function startWorkloadControllers(options: WorkloadControllersOptions): { stop(): Promise<void> } {
  const running = [
    startNodeLifecycleController(options),
    startDaemonSetController(options),
    startStatefulSetController(options),
    startJobController(options),
    startCronJobController(options),
  ];
  return {
    async stop() {
      await Promise.all(running.map((controller) => controller.stop()));
    },
  };
}
