import { StoreCompactedError } from './types';
import type { StoreWatchEvent, Unsubscribe } from './types';

/** What the hub needs from the store: its revisions and a way to read history. */
export interface WatchLogSource {
  currentRevision(): number;
  compactedRevision(): number;
  /** Events for keys under `prefix` with revision > `afterRevision`, oldest first, at most `limit`. */
  readEvents(prefix: string, afterRevision: number, limit: number): StoreWatchEvent[];
}

export interface WatchHubOptions {
  /** History rows read per replay step; other work runs between steps. Default 500. */
  replayBatchSize?: number;
  /** Told about listeners that threw and history reads that failed. Default: console.error. */
  onError?: (error: unknown) => void;
}

interface Watcher {
  readonly prefix: string;
  readonly onEvent: (event: StoreWatchEvent) => void;
  /** Every revision up to here is either delivered, queued, or not under the prefix. */
  position: number;
  replaying: boolean;
  queue: StoreWatchEvent[];
  closed: boolean;
}

const replayRetryMs = 100;

/**
 * In-process fan-out of store writes to watchers.
 *
 * Guarantees, per watcher: events arrive in revision order, each revision under the prefix
 * exactly once (history first, then live, with no gap at the seam even when writes happen while
 * history is replayed), never after unsubscribe. Delivery is asynchronous (never inside the
 * writer's call), so a slow or throwing listener cannot fail a write; a throwing listener is
 * reported and keeps receiving later events, and does not affect other listeners.
 */
export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private readonly batchSize: number;
  private readonly onError: (error: unknown) => void;
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly source: WatchLogSource,
    options: WatchHubOptions = {},
  ) {
    this.batchSize = Math.max(1, options.replayBatchSize ?? 500);
    this.onError = options.onError ?? ((error) => console.error('store watch:', error));
  }

  /** See KeyValueStore.watch. */
  watch(prefix: string, afterRevision: number, onEvent: (event: StoreWatchEvent) => void): Unsubscribe {
    if (this.closed) throw new Error('store is closed');
    const compacted = this.source.compactedRevision();
    if (afterRevision < compacted) throw new StoreCompactedError(afterRevision, compacted);
    // The common case (resuming from a fresh list) has no history to read: go live at once.
    const replaying = afterRevision < this.source.currentRevision();
    const watcher: Watcher = {
      prefix,
      onEvent,
      position: afterRevision,
      replaying,
      queue: [],
      closed: false,
    };
    this.watchers.add(watcher);
    if (replaying) this.scheduleFlush();
    return () => {
      watcher.closed = true;
      watcher.queue = [];
      this.watchers.delete(watcher);
    };
  }

  /** Called by the store after each committed write, in revision order. */
  publish(event: StoreWatchEvent): void {
    let queued = false;
    for (const w of this.watchers) {
      // A replaying watcher reads this write from the log; queueing it too would duplicate it.
      if (w.replaying || event.revision <= w.position || !event.key.startsWith(w.prefix)) continue;
      w.queue.push(event);
      w.position = event.revision;
      queued = true;
    }
    if (queued) this.scheduleFlush();
  }

  /**
   * The lowest revision some watcher still has to read history after, or undefined. Compaction
   * must not go past it, or that watcher's replay would silently skip events.
   */
  oldestReplayPosition(): number | undefined {
    let oldest: number | undefined;
    for (const w of this.watchers) {
      if (w.replaying && (oldest === undefined || w.position < oldest)) oldest = w.position;
    }
    return oldest;
  }

  /** Number of open watches (for metrics and tests). */
  size(): number {
    return this.watchers.size;
  }

  /** Drops every watcher; nothing is delivered afterwards. */
  close(): void {
    this.closed = true;
    for (const w of this.watchers) {
      w.closed = true;
      w.queue = [];
    }
    this.watchers.clear();
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.closed) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.closed) return;
    let moreHistory = false;
    let readFailed = false;
    for (const w of [...this.watchers]) {
      if (w.closed) continue;
      if (w.replaying) {
        try {
          this.replayStep(w);
        } catch (error) {
          readFailed = true;
          this.onError(error);
        }
        if (w.replaying) moreHistory = true;
      }
      this.drain(w);
    }
    if (readFailed) {
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = undefined;
        this.scheduleFlush();
      }, replayRetryMs).unref();
    } else if (moreHistory) {
      this.scheduleFlush();
    }
  }

  private replayStep(w: Watcher): void {
    // Read and the switch to live happen in one synchronous step, so no write can fall between.
    const head = this.source.currentRevision();
    const events = this.source.readEvents(w.prefix, w.position, this.batchSize);
    for (const e of events) w.queue.push(e);
    if (events.length < this.batchSize) {
      w.position = Math.max(w.position, head);
      w.replaying = false;
    } else {
      w.position = events[events.length - 1].revision;
    }
  }

  private drain(w: Watcher): void {
    // Listeners may write to the store while being called; those events join the next batch.
    while (w.queue.length > 0 && !w.closed) {
      const batch = w.queue;
      w.queue = [];
      for (const event of batch) {
        if (w.closed) return;
        try {
          w.onEvent(event);
        } catch (error) {
          this.onError(error);
        }
      }
    }
  }
}
