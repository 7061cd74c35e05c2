import type { ObjectApi } from '../apiserver/object-api';
import type { ProfilePki } from '../profiles/types';
import type { Clock } from './runtime/clock';
import { startDeploymentController } from './deployment/controller';
import { startReplicaSetController } from './replicaset/controller';
import type { ControllerContext, RunningController } from './shared/context';
import { InformerFactory } from './shared/informer-factory';

export interface CoreControllerOptions {
  api: ObjectApi;
  clock: Clock;
  /** The profile's PKI: its service-account key signs pod tokens. */
  pki?: ProfilePki;
  /** Retried failures, for the engine log. */
  onError?: (message: string, error: unknown) => void;
}

/** The running core controllers. */
export interface CoreControllers {
  controllers: readonly RunningController[];
  /** True when no controller has work queued, running or scheduled. */
  isIdle(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts the core controllers over one shared set of informers: ReplicaSet, Deployment,
 * garbage collector, Namespace, Endpoints, EndpointSlice and ServiceAccount.
 */
export function startCoreControllers(options: CoreControllerOptions): CoreControllers {
  const informers = new InformerFactory(options.api);
  const ctx: ControllerContext = {
    api: options.api,
    clock: options.clock,
    informers,
    onError: options.onError,
  };
  const controllers: RunningController[] = [startReplicaSetController(ctx), startDeploymentController(ctx)];
  informers.start();
  return {
    controllers,
    isIdle: () => controllers.every((c) => c.isIdle()),
    stop: async () => {
      informers.stop();
      await Promise.all(controllers.map((c) => c.stop()));
    },
  };
}
