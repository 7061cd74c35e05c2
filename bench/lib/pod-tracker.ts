import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClient, WatchHandle } from './kube-client';
import { isPodReady } from './workloads';

/**
 * Follows the pods of one namespace through a watch and records when each was first seen Ready
 * and when it was deleted, so waits cost no polling and times are those of event arrival.
 */
export class PodTracker {
  readonly readyAt = new Map<string, number>();
  readonly present = new Set<string>();
  private readonly ready = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private handle: WatchHandle | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
  ) {}

  async start(): Promise<void> {
    this.handle = this.client.watch(`/api/v1/namespaces/${this.namespace}/pods`, (event) => {
      const pod = event.object as V1Pod;
      const name = pod.metadata?.name;
      if (!name) return;
      if (event.type === 'DELETED') {
        this.present.delete(name);
        this.ready.delete(name);
      } else {
        this.present.add(name);
        if (isPodReady(pod) && !pod.metadata?.deletionTimestamp) {
          if (!this.readyAt.has(name)) this.readyAt.set(name, performance.now());
          this.ready.add(name);
        } else {
          this.ready.delete(name);
        }
      }
      for (const listener of this.listeners) listener();
    });
    await this.handle.opened;
  }

  /** Pods present and Ready now. */
  get readyCount(): number {
    return this.ready.size;
  }

  /** Resolves once `condition` holds (checked after each event); rejects after `timeoutMs`. */
  until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const listener = () => {
        if (!condition()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
    });
  }

  /** When pod `name` first became Ready (performance.now()), waiting for it. */
  async readyTime(name: string, timeoutMs = 60_000): Promise<number> {
    await this.until(`pod ${name} to be Ready`, () => this.readyAt.has(name), timeoutMs);
    return this.readyAt.get(name) as number;
  }

  stop(): void {
    this.handle?.close();
  }
}
