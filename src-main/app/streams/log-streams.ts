import { randomUUID } from 'node:crypto';
import { Log } from '@kubernetes/client-node';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import type { Session } from '../../ipc/contract';
import type { LogDownloadRequest, LogLine, LogSourceState, LogStreamRequest } from '../../ipc/streams';
import { bufferWriter, lineWriter, splitTimestamp } from './log-lines';
import { podContainers, targetPods } from './log-targets';

/** How often the pods of a followed target are looked at again (new pods, restarts). */
const RECONCILE_MS = 2_000;
/** Lines are pushed in batches, at most this often. */
const FLUSH_MS = 100;
const MAX_BATCH = 5_000;

/** What a stream sends: line batches and per-source states. */
export interface LogSink {
  lines(streamId: string, lines: LogLine[]): void;
  status(streamId: string, pod: string, container: string, state: LogSourceState, message?: string): void;
}

interface Source {
  /** The container instance being (or last) streamed, from the pod status. */
  containerId?: string;
  lastTime?: string;
  abort?: AbortController;
  streaming: boolean;
  /** The streamed instance has ended and was fully read. */
  finished: boolean;
}

function errorText(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (body && typeof body === 'object' && 'message' in body) return String(body.message);
  return error instanceof Error ? error.message : String(error);
}

function containerStatus(pod: V1Pod, container: string) {
  return pod.status?.containerStatuses?.find((s) => s.name === container);
}

/**
 * One followed log target: every app container of every pod it covers, merged. Pods that
 * appear later are picked up; a restarted container is followed again from its start; a
 * dropped connection resumes after the last line seen.
 */
class LogFollow {
  private readonly sources = new Map<string, Source>();
  private pending: LogLine[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly id: string,
    private readonly config: KubeConfig,
    private readonly request: LogStreamRequest,
    private readonly sink: LogSink,
  ) {}

  start(): void {
    void this.reconcile();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconcileTimer);
    clearTimeout(this.flushTimer);
    for (const source of this.sources.values()) source.abort?.abort();
    this.flush();
  }

  private async reconcile(): Promise<void> {
    if (this.stopped) return;
    try {
      const { namespace, kind, name } = this.request;
      const pods = await targetPods(this.config, namespace, kind, name);
      for (const pod of pods) {
        for (const container of podContainers(pod, this.request.container)) this.ensure(pod, container);
      }
    } catch (error) {
      this.sink.status(this.id, this.request.name, this.request.container ?? '', 'error', errorText(error));
    }
    // A previous log is read once; a follow keeps looking for new pods and restarts.
    if (!this.stopped && !this.request.previous)
      this.reconcileTimer = setTimeout(() => void this.reconcile(), RECONCILE_MS);
  }

  private ensure(pod: V1Pod, container: string): void {
    const podName = pod.metadata?.name ?? '';
    const key = `${podName}/${container}`;
    const status = containerStatus(pod, container);
    const containerId = this.request.previous ? 'previous' : status?.containerID;
    let source = this.sources.get(key);
    if (!source) {
      source = { streaming: false, finished: false };
      this.sources.set(key, source);
    }
    if (source.streaming) return;
    if (!containerId || (!status?.state?.running && !status?.state?.terminated && !this.request.previous)) {
      this.sink.status(
        this.id,
        podName,
        container,
        'waiting',
        status?.state?.waiting?.reason ?? 'not started',
      );
      return;
    }
    const sameInstance = source.containerId === containerId;
    if (sameInstance && source.finished) return;
    if (!sameInstance) {
      source.containerId = containerId;
      source.lastTime = undefined;
      source.finished = false;
    }
    void this.follow(podName, container, source, !status?.state?.running);
  }

  private async follow(pod: string, container: string, source: Source, terminated: boolean): Promise<void> {
    source.streaming = true;
    const resumeAfter = source.lastTime;
    const writer = lineWriter((line) => {
      const { time, text } = splitTimestamp(line);
      // sinceTime has second precision: skip what was already delivered.
      if (resumeAfter && time && time <= resumeAfter) return;
      source.lastTime = time || source.lastTime;
      this.push({ pod, container, time, text });
    });
    const done = new Promise<void>((resolve) => {
      writer.on('finish', resolve);
      writer.on('error', () => resolve());
      writer.on('close', resolve);
    });
    try {
      source.abort = await new Log(this.config).log(this.request.namespace, pod, container, writer, {
        follow: !this.request.previous,
        previous: this.request.previous,
        timestamps: true,
        ...(resumeAfter ? { sinceTime: resumeAfter } : {}),
        ...(!resumeAfter && this.request.tailLines !== undefined
          ? { tailLines: this.request.tailLines }
          : {}),
      });
      this.sink.status(this.id, pod, container, 'following');
      await done;
      // A terminated container's log is complete once read; a running one dropped out.
      if (terminated || this.request.previous) source.finished = true;
      this.flush();
      this.sink.status(this.id, pod, container, 'ended');
    } catch (error) {
      this.sink.status(this.id, pod, container, 'error', errorText(error));
      if (this.request.previous) source.finished = true;
    } finally {
      source.streaming = false;
      source.abort = undefined;
    }
  }

  private push(line: LogLine): void {
    if (this.stopped) return;
    this.pending.push(line);
    if (this.pending.length >= MAX_BATCH) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    this.sink.lines(this.id, lines);
  }
}

/**
 * Log streams of connected dashboards: each `start` follows a target until `stop` or until its
 * session closes, pushing `logs.lines` and `logs.status`.
 */
export class LogStreams {
  private readonly follows = new Map<string, LogFollow>();

  start(session: Session, config: KubeConfig, request: LogStreamRequest): string {
    const id = randomUUID();
    const follow = new LogFollow(id, config, request, {
      lines: (streamId, lines) => session.push('logs.lines', { streamId, lines }),
      status: (streamId, pod, container, state, message) =>
        session.push('logs.status', { streamId, pod, container, state, ...(message ? { message } : {}) }),
    });
    this.follows.set(id, follow);
    session.onClose(() => this.stop(id));
    follow.start();
    return id;
  }

  stop(id: string): void {
    this.follows.get(id)?.stop();
    this.follows.delete(id);
  }
}

/**
 * The entire log of a target, read from the API (not from what a viewer holds): for one pod
 * and container the exact bytes `kubectl logs` prints; for several sources each line is
 * prefixed with "[pod/container] ".
 */
export async function downloadLog(config: KubeConfig, request: LogDownloadRequest): Promise<string> {
  const pods = await targetPods(config, request.namespace, request.kind, request.name);
  const sources = pods.flatMap((pod) =>
    podContainers(pod, request.container).map((container) => ({ pod: pod.metadata?.name ?? '', container })),
  );
  const parts: string[] = [];
  for (const { pod, container } of sources) {
    const sink = bufferWriter();
    const finished = new Promise<void>((resolve, reject) => {
      sink.stream.on('finish', resolve);
      sink.stream.on('error', reject);
    });
    await new Log(config).log(request.namespace, pod, container, sink.stream, {
      follow: false,
      previous: request.previous ?? false,
      timestamps: request.timestamps ?? false,
    });
    await finished;
    const text = sink.bytes().toString('utf8');
    if (sources.length === 1) return text;
    parts.push(
      text
        .split('\n')
        .map((line, i, all) => (i === all.length - 1 && line === '' ? '' : `[${pod}/${container}] ${line}`))
        .join('\n'),
    );
  }
  return parts.join('');
}
