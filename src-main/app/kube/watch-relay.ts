import type { KubeObject, PushMap, ResourceAddress, Session, WatchEventType } from '../../ipc/contract';
import { toEnvelope } from '../../ipc/errors';
import type { KubeRest, WatchHandle } from './kube-rest';
import { collectionPath } from './resource-paths';

/** Events are sent at most this often per watch, batched, so a burst is one message. */
const BATCH_MS = 50;

/** Lower bound of a watch's server-side timeout (jittered so lists do not all restart at once). */
const WATCH_SECONDS = 240;

let nextId = 0;

/**
 * Starts a watch and relays its events to one session as `watch.event` batches, then one
 * `watch.ended`. The watch stops when the session closes or `stop` is called with its id.
 */
export class WatchRelay {
  private readonly watches = new Map<string, WatchHandle>();

  async start(
    session: Session,
    rest: KubeRest,
    type: ResourceAddress,
    namespace: string | undefined,
    resourceVersion: string,
  ): Promise<string> {
    const watchId = `w${++nextId}`;
    let pending: PushMap['watch.event']['events'] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      if (pending.length === 0) return;
      session.push('watch.event', { watchId, events: pending });
      pending = [];
    };
    const handle = await rest.watch(
      collectionPath(type, namespace),
      // The server ends the watch after a while and it is started again from the last version
      // seen, so a connection that died without a word cannot leave a list frozen.
      { resourceVersion, timeoutSeconds: WATCH_SECONDS + Math.floor(Math.random() * 60) },
      {
        onEvent: (eventType, object) => {
          pending.push({ type: eventType as WatchEventType, object: object as KubeObject });
          timer ??= setTimeout(flush, BATCH_MS);
        },
        onEnd: (error) => {
          if (timer) clearTimeout(timer);
          flush();
          this.watches.delete(watchId);
          session.push('watch.ended', { watchId, ...(error ? { error: toEnvelope(error) } : {}) });
        },
      },
    );
    this.watches.set(watchId, handle);
    session.onClose(() => this.stop(watchId));
    return watchId;
  }

  stop(watchId: string): void {
    const handle = this.watches.get(watchId);
    this.watches.delete(watchId);
    handle?.stop();
  }

  /** Number of live watches (for tests and diagnostics). */
  get size(): number {
    return this.watches.size;
  }
}
