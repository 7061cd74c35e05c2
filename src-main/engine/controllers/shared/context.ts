import { ApiError } from '../../apiserver/status';
import { isNamespaceTerminating } from './api-helpers';
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

/**
 * The `onError` of a controller's queue: failures go to the engine log, except optimistic
 * concurrency conflicts (409 Conflict), which only mean the cache was behind and the retry
 * will see the newer object, and creates refused by a terminating namespace.
 */
export function reportErrors(
  ctx: Pick<ControllerContext, 'onError'>,
  what: string,
): (key: string, error: unknown) => void {
  return (key, error) => {
    if (error instanceof ApiError && error.code === 409 && error.reason === 'Conflict') return;
    // Writes into a namespace being deleted fail until its content is gone: expected, not news.
    if (isNamespaceTerminating(error)) return;
    ctx.onError?.(`${what} ${key}`, error);
  };
}
