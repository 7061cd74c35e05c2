import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { SubresourceHandler, SubresourceRequest } from '../http/subresource-handlers';
import { fieldErrors, invalid } from '../status';
import type { FieldError } from '../status';
import { getPod, logContainer, podNodeName, resolveContainerName } from './pod-target';
import type { StreamBackend } from './pod-target';

/** PodLogOptions as read from the query string. */
export interface LogQuery {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** Unix seconds. */
  sinceTime?: number;
  limitBytes?: number;
}

function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === 'true' || value === '1';
}

function integer(query: URLSearchParams, name: string, errors: FieldError[]): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) {
    errors.push(fieldErrors.invalid(name, raw, 'must be an integer'));
    return undefined;
  }
  return value;
}

/**
 * Parses and validates the log options as Kubernetes' PodLogOptions validation does
 * (422 Invalid on kind PodLogOptions).
 */
export function parseLogQuery(query: URLSearchParams, podName: string): LogQuery {
  const errors: FieldError[] = [];
  const tailLines = integer(query, 'tailLines', errors);
  const sinceSeconds = integer(query, 'sinceSeconds', errors);
  const limitBytes = integer(query, 'limitBytes', errors);
  const sinceTimeRaw = query.get('sinceTime');
  let sinceTime: number | undefined;
  if (sinceTimeRaw) {
    const ms = Date.parse(sinceTimeRaw);
    if (Number.isNaN(ms))
      errors.push(fieldErrors.invalid('sinceTime', sinceTimeRaw, 'must be an RFC3339 time'));
    else sinceTime = ms / 1000;
  }
  if (tailLines !== undefined && tailLines < 0) {
    errors.push(fieldErrors.invalid('tailLines', tailLines, 'must be greater than or equal to 0'));
  }
  if (limitBytes !== undefined && limitBytes < 1) {
    errors.push(fieldErrors.invalid('limitBytes', limitBytes, 'must be greater than 0'));
  }
  if (sinceSeconds !== undefined && sinceSeconds < 1) {
    errors.push(fieldErrors.invalid('sinceSeconds', sinceSeconds, 'must be greater than 0'));
  }
  if (sinceSeconds !== undefined && sinceTime !== undefined) {
    errors.push(fieldErrors.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  }
  if (errors.length) throw invalid('PodLogOptions', podName, '', errors);
  return {
    container: query.get('container') || undefined,
    follow: flag(query, 'follow'),
    previous: flag(query, 'previous'),
    timestamps: flag(query, 'timestamps'),
    tailLines,
    sinceSeconds,
    sinceTime,
    limitBytes,
  };
}

/**
 * `GET pods/<name>/log`: the container's output as text/plain. Without `follow` it ends
 * after what was logged so far; with `follow` every chunk is written (and flushed) as it
 * is logged, until the container stops, `limitBytes` is reached or the client goes away.
 */
export function podLogHandler(
  backend: StreamBackend,
  now: () => Date = () => new Date(),
): SubresourceHandler {
  return {
    async handle(request: SubresourceRequest, res: ServerResponse): Promise<void> {
      const { objectApi, namespace, name, query } = request;
      const options = parseLogQuery(query, name);
      const pod = getPod(objectApi, namespace, name);
      const container = resolveContainerName(pod, options.container);
      if (!podNodeName(pod)) {
        // Kubernetes answers an unscheduled pod's logs with an empty body.
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end();
        return;
      }
      const target = await logContainer(backend, pod, container, options.previous);
      const abort = new AbortController();
      const since =
        options.sinceTime ??
        (options.sinceSeconds !== undefined ? now().getTime() / 1000 - options.sinceSeconds : undefined);
      const output: Readable = await backend.runtime.logs(target.id, {
        follow: options.follow,
        timestamps: options.timestamps,
        tail: options.tailLines,
        since,
        signal: abort.signal,
      });
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
      res.flushHeaders();
      await copyLimited(output, res, options.limitBytes, () => abort.abort());
    },
  };
}

/** Copies `source` into the response, honouring back-pressure and a byte limit. */
function copyLimited(
  source: Readable,
  res: ServerResponse,
  limit: number | undefined,
  stop: () => void,
): Promise<void> {
  return new Promise((resolve) => {
    let remaining = limit ?? Infinity;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      stop();
      source.destroy();
      if (!res.writableEnded) res.end();
      resolve();
    };
    source.on('data', (chunk: Buffer) => {
      if (done) return;
      const piece = chunk.length > remaining ? chunk.subarray(0, remaining) : chunk;
      remaining -= piece.length;
      if (!res.write(piece)) {
        source.pause();
        res.once('drain', () => source.resume());
      }
      if (remaining <= 0) finish();
    });
    source.once('end', finish);
    source.once('error', finish);
    source.once('close', finish);
    // The response closes when the client goes away (the request's own 'close' fires as soon as its empty body is read).
    res.once('close', finish);
  });
}
