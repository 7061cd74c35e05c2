import type { ObjectApi } from '../../apiserver/object-api';
import type { Clock } from '../runtime/clock';
import type { InformerFactory } from './informer-factory';

/** What every core controller is started with. */
export interface ControllerContext {
  api: ObjectApi;
  clock: Clock;
  informers: InformerFactory;
  /** Failures that are retried (the controller keeps running); for the engine log. */
  onError?: (message: string, error: unknown) => void;
}

/** A started controller. */
export interface RunningController {
  readonly name: string;
  /** Nothing queued, being processed or waiting on a delay. */
  isIdle(): boolean;
  stop(): Promise<void>;
}
