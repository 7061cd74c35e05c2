import type { PushMap } from '../../src-main/ipc/contract';
import type { ErrorEnvelope } from '../../src-main/ipc/errors';
import type { Api } from '../transport/transport';
import type { WatchEvent } from './watch-cache';

export interface WatchSubscriber {
  onEvents(events: WatchEvent[]): void;
  onEnd(error?: ErrorEnvelope): void;
}

/** How long events of a watch id nobody registered yet are kept (its id may still be on its way). */
const EARLY_EVENTS_MS = 5_000;

/**
 * Routes `watch.event` / `watch.ended` pushes to the code that started each watch. Events can
 * arrive before `kube.watch` has answered with the id, so they are held briefly. When the
 * connection drops every watch is reported ended (the server dropped them with the session).
 */
export class WatchHub {
  private readonly subscribers = new Map<string, WatchSubscriber>();
  private readonly early = new Map<
    string,
    { events: WatchEvent[]; ended?: { error?: ErrorEnvelope }; at: number }
  >();

  constructor(api: Api) {
    api.on('watch.event', (payload) => this.onEvents(payload));
    api.on('watch.ended', (payload) => this.onEnded(payload));
    api.transport.onStatus?.((connected) => {
      if (connected) return;
      for (const [id, subscriber] of [...this.subscribers]) {
        this.subscribers.delete(id);
        subscriber.onEnd({ kind: 'Transport', message: 'connection lost' });
      }
    });
  }

  register(watchId: string, subscriber: WatchSubscriber): () => void {
    const early = this.early.get(watchId);
    this.early.delete(watchId);
    if (early?.events.length) subscriber.onEvents(early.events);
    if (early?.ended) {
      subscriber.onEnd(early.ended.error);
      return () => undefined;
    }
    this.subscribers.set(watchId, subscriber);
    return () => this.subscribers.delete(watchId);
  }

  private onEvents({ watchId, events }: PushMap['watch.event']): void {
    const subscriber = this.subscribers.get(watchId);
    if (subscriber) subscriber.onEvents(events);
    else this.hold(watchId).events.push(...events);
  }

  private onEnded({ watchId, error }: PushMap['watch.ended']): void {
    const subscriber = this.subscribers.get(watchId);
    this.subscribers.delete(watchId);
    if (subscriber) subscriber.onEnd(error);
    else this.hold(watchId).ended = error ? { error } : {};
  }

  private hold(watchId: string) {
    const now = Date.now();
    for (const [id, entry] of this.early) if (now - entry.at > EARLY_EVENTS_MS) this.early.delete(id);
    let entry = this.early.get(watchId);
    if (!entry) this.early.set(watchId, (entry = { events: [], at: now }));
    return entry;
  }
}
