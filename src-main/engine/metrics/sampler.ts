import { LABELS } from '../runtime/types';
import type { ContainerRuntime, ContainerStats, ManagedContainer } from '../runtime/types';

/** Usage of one running container over the window between its last two samples. */
export interface ContainerUsage {
  containerId: string;
  role: ManagedContainer['role'];
  /** Kubernetes container name ("" for a sandbox). */
  container: string;
  restartCount: number;
  podUid: string;
  node: string;
  /** CPU rate in nanocores (1e9 = one core) over the window. */
  cpuNanoCores: number;
  /** Working-set memory at the end of the window. */
  memoryBytes: number;
  /** When the last sample was taken. */
  timestamp: Date;
  windowMs: number;
}

export interface UsageSamplerOptions {
  /** A collection older than this is refreshed before answering (default 10 s). */
  resolutionMs?: number;
  /** Keep sampling in the background this long after the last request (default 2 min). */
  keepWarmMs?: number;
  now?: () => number;
}

interface History {
  previous?: ContainerStats;
  last: ContainerStats;
  container: ManagedContainer;
}

/**
 * Samples the cumulative CPU time and working set of a profile's running containers and
 * turns consecutive samples into rates. Sampling is lazy: it starts with the first request,
 * keeps a fresh window in the background while requests continue, and stops when nobody asks.
 */
export class UsageSampler {
  private readonly history = new Map<string, History>();
  private readonly resolutionMs: number;
  private readonly keepWarmMs: number;
  private readonly now: () => number;
  private lastCollect = 0;
  private warmUntil = 0;
  private collecting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly profile: string,
    options: UsageSamplerOptions = {},
  ) {
    this.resolutionMs = options.resolutionMs ?? 10_000;
    this.keepWarmMs = options.keepWarmMs ?? 120_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Usage of every running container with two samples. The first call waits for two
   * samples (a couple of seconds); later calls answer from the background window.
   */
  async usage(): Promise<ContainerUsage[]> {
    this.warmUntil = this.now() + this.keepWarmMs;
    this.scheduleBackground();
    if (this.now() - this.lastCollect >= this.resolutionMs) await this.collect();
    // New containers need a second sample before they have a rate.
    if ([...this.history.values()].some((h) => !h.previous)) await this.collect();
    const result: ContainerUsage[] = [];
    for (const [id, h] of this.history) {
      if (!h.previous) continue;
      const windowMs = h.last.timestamp.getTime() - h.previous.timestamp.getTime();
      if (windowMs <= 0) continue;
      const cpuDelta = Math.max(0, h.last.cpuUsageNanos - h.previous.cpuUsageNanos);
      result.push({
        containerId: id,
        role: h.container.role,
        container: h.container.container,
        restartCount: h.container.restartCount,
        podUid: h.container.labels[LABELS.podUid] ?? '',
        node: h.container.labels[LABELS.node] ?? '',
        cpuNanoCores: (cpuDelta / (windowMs * 1e6)) * 1e9,
        memoryBytes: h.last.memoryBytes,
        timestamp: h.last.timestamp,
        windowMs,
      });
    }
    return result;
  }

  /** Stops background sampling; later `usage` calls still work (and restart it). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private scheduleBackground(): void {
    this.stopped = false;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped || this.now() > this.warmUntil) return;
      void this.collect()
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped && this.now() <= this.warmUntil) this.scheduleBackground();
        });
    }, this.resolutionMs);
    this.timer.unref();
  }

  private collect(): Promise<void> {
    this.collecting ??= this.collectOnce().finally(() => {
      this.collecting = undefined;
    });
    return this.collecting;
  }

  private async collectOnce(): Promise<void> {
    const containers = (await this.runtime.listManaged(this.profile)).filter((c) => c.state === 'running');
    const seen = new Set(containers.map((c) => c.id));
    for (const id of this.history.keys()) if (!seen.has(id)) this.history.delete(id);
    await Promise.all(
      containers.map(async (container) => {
        let stats: ContainerStats;
        try {
          stats = await this.runtime.stats(container.id);
        } catch {
          // The container stopped between listing and sampling.
          return;
        }
        const h = this.history.get(container.id);
        if (!h) {
          this.history.set(container.id, { last: stats, container });
          return;
        }
        // Two reads at the same instant give no rate: keep the older base.
        if (stats.timestamp.getTime() <= h.last.timestamp.getTime()) return;
        this.history.set(container.id, { previous: h.last, last: stats, container });
      }),
    );
    this.lastCollect = this.now();
  }
}
