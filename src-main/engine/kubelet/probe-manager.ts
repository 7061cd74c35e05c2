import type { V1Container, V1Probe } from '@kubernetes/client-node';
import type { Clock } from '../controllers/runtime/clock';
import type { ContainerRuntime } from '../runtime/types';
import { runProbe, type ProbeOutcome, type ProbeTarget } from './probe-exec';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

const EVENT_NAMES: Record<ProbeKind, string> = {
  liveness: 'Liveness',
  readiness: 'Readiness',
  startup: 'Startup',
};

/** A running container whose probes should run. */
export interface ProbedContainer {
  podKey: string;
  containerId: string;
  sandboxId: string;
  podIP: string;
  container: V1Container;
  /** Container start time (initialDelaySeconds counts from it). */
  startedAt: Date;
  /** `spec.containers{name}` for events. */
  fieldPath: string;
}

export interface ProbeManagerOptions {
  runtime: ContainerRuntime;
  clock: Clock;
  kubeletMinorVersion: string;
  /** A probe result changed: the pod needs a sync. */
  onChange(podKey: string): void;
  /** A probe attempt failed (Unhealthy events). */
  onFailure(podKey: string, fieldPath: string, message: string): void;
  /** Replaces the real prober (unit tests). */
  run?(probe: V1Probe, target: ProbeTarget): Promise<ProbeOutcome>;
}

interface Worker {
  kind: ProbeKind;
  target: ProbedContainer;
  probe: V1Probe;
  successes: number;
  failures: number;
  /** Current result: undefined until the thresholds first decide. */
  result: boolean | undefined;
  lastMessage: string;
  cancel?: () => void;
  stopped: boolean;
}

/**
 * Runs liveness, readiness and startup probes of running containers on their own timers,
 * with Kubernetes' timing: initialDelaySeconds from start, every periodSeconds, success and
 * failure thresholds; liveness and readiness wait until the startup probe has succeeded.
 * Results are keyed by container id, so a restarted container starts over.
 */
export class ProbeManager {
  private readonly workers = new Map<string, Worker>();

  constructor(private readonly options: ProbeManagerOptions) {}

  /** Starts probes for these containers and stops those of every other container of `podKey`. */
  sync(podKey: string, containers: ProbedContainer[]): void {
    const wanted = new Set<string>();
    for (const target of containers) {
      for (const kind of ['startup', 'liveness', 'readiness'] as const) {
        const probe = probeOf(target.container, kind);
        if (!probe) continue;
        const key = `${target.containerId}/${kind}`;
        wanted.add(key);
        if (!this.workers.has(key)) this.startWorker(key, kind, target, probe);
      }
    }
    for (const [key, worker] of this.workers) {
      if (worker.target.podKey === podKey && !wanted.has(key)) this.stopWorker(key);
    }
  }

  /** Stops every probe of the pod. */
  forget(podKey: string): void {
    for (const [key, worker] of this.workers) if (worker.target.podKey === podKey) this.stopWorker(key);
  }

  stopAll(): void {
    for (const key of [...this.workers.keys()]) this.stopWorker(key);
  }

  /** True when the container has no startup probe or it has succeeded. */
  isStarted(containerId: string, container: V1Container): boolean {
    if (!container.startupProbe) return true;
    return this.workers.get(`${containerId}/startup`)?.result === true || this.startedDone.has(containerId);
  }

  /** True when the container has no readiness probe or it currently succeeds. */
  isReady(containerId: string, container: V1Container): boolean {
    if (!container.readinessProbe) return true;
    return this.workers.get(`${containerId}/readiness`)?.result === true;
  }

  /** Why the container must be restarted (liveness or startup failure), if it must. */
  failure(containerId: string): { kind: ProbeKind; message: string } | undefined {
    for (const kind of ['liveness', 'startup'] as const) {
      const worker = this.workers.get(`${containerId}/${kind}`);
      if (worker?.result === false) return { kind, message: worker.lastMessage };
    }
    return undefined;
  }

  private readonly startedDone = new Set<string>();

  private startWorker(key: string, kind: ProbeKind, target: ProbedContainer, probe: V1Probe): void {
    const worker: Worker = {
      kind,
      target,
      probe,
      successes: 0,
      failures: 0,
      result: kind === 'liveness' ? true : undefined,
      lastMessage: '',
      stopped: false,
    };
    this.workers.set(key, worker);
    const sinceStart = this.options.clock.now().getTime() - target.startedAt.getTime();
    const delay = Math.max(0, (probe.initialDelaySeconds ?? 0) * 1000 - sinceStart);
    this.schedule(worker, delay);
  }

  private stopWorker(key: string): void {
    const worker = this.workers.get(key);
    if (!worker) return;
    worker.stopped = true;
    worker.cancel?.();
    this.workers.delete(key);
    if (worker.kind === 'startup') this.startedDone.delete(worker.target.containerId);
  }

  private schedule(worker: Worker, ms: number): void {
    worker.cancel = this.options.clock.setTimer(ms, () => void this.tick(worker));
  }

  private async tick(worker: Worker): Promise<void> {
    if (worker.stopped) return;
    const period = Math.max(1, worker.probe.periodSeconds ?? 10) * 1000;
    const { target } = worker;
    if (worker.kind !== 'startup' && !this.isStarted(target.containerId, target.container)) {
      this.schedule(worker, period);
      return;
    }
    let outcome: ProbeOutcome;
    try {
      outcome = await (this.options.run ?? runProbe)(worker.probe, {
        runtime: this.options.runtime,
        containerId: target.containerId,
        sandboxId: target.sandboxId,
        podIP: target.podIP,
        container: target.container,
        kubeletMinorVersion: this.options.kubeletMinorVersion,
      });
    } catch (error) {
      outcome = { success: false, message: error instanceof Error ? error.message : String(error) };
    }
    if (worker.stopped) return;
    const before = worker.result;
    if (outcome.success) {
      worker.failures = 0;
      worker.successes++;
      // Liveness and startup need one success; readiness its successThreshold.
      const threshold = worker.kind === 'readiness' ? (worker.probe.successThreshold ?? 1) : 1;
      if (worker.successes >= threshold) worker.result = true;
    } else {
      worker.successes = 0;
      worker.failures++;
      worker.lastMessage = outcome.message.trim();
      this.options.onFailure(
        target.podKey,
        target.fieldPath,
        `${EVENT_NAMES[worker.kind]} probe failed: ${worker.lastMessage}`,
      );
      if (worker.failures >= (worker.probe.failureThreshold ?? 3)) worker.result = false;
    }
    if (before !== worker.result) this.options.onChange(target.podKey);
    if (worker.kind === 'startup' && worker.result === true) {
      // A startup probe stops once it has succeeded; the container counts as started from then on.
      this.startedDone.add(target.containerId);
      worker.stopped = true;
      return;
    }
    // A failed liveness/startup probe ends this container's probing: it is restarted.
    if ((worker.kind === 'liveness' || worker.kind === 'startup') && worker.result === false) return;
    this.schedule(worker, period);
  }
}

function probeOf(container: V1Container, kind: ProbeKind): V1Probe | undefined {
  if (kind === 'liveness') return container.livenessProbe;
  if (kind === 'readiness') return container.readinessProbe;
  return container.startupProbe;
}
