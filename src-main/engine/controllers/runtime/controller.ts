import type { Clock } from './clock';
import { WorkQueue } from './work-queue';

/** What a reconcile may ask for: run again after a delay (e.g. minReadySeconds, back-off). */
export interface ReconcileResult {
  requeueAfterMs?: number;
}

export interface ControllerOptions {
  name: string;
  clock: Clock;
  /**
   * Level-based: read the current state for `key` from informer caches and move the world
   * toward it. Never act on an event payload. Throwing retries with back-off.
   */
  reconcile(key: string): Promise<ReconcileResult | void> | ReconcileResult | void;
  /** Concurrent reconciles (different keys only). */
  workers?: number;
  onError?(key: string, error: unknown): void;
}

/** Runs a reconciler over a de-duplicating work queue with retries. */
export class Controller {
  readonly queue: WorkQueue;
  private running = false;
  private readonly loops: Promise<void>[] = [];

  constructor(private readonly options: ControllerOptions) {
    this.queue = new WorkQueue({ clock: options.clock });
  }

  get name(): string {
    return this.options.name;
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (let i = 0; i < (this.options.workers ?? 2); i++) this.loops.push(this.loop());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.queue.shutDown();
    await Promise.all(this.loops.splice(0));
  }

  private async loop(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        const result = await this.options.reconcile(key);
        this.queue.forget(key);
        if (result?.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
      } catch (error) {
        this.options.onError?.(key, error);
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }
}
