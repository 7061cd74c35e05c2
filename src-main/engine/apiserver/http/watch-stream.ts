import type { Socket } from 'node:net';
import type { KubeObject } from '../../k8s-object';
import type { WatchEvent, WatchOptions } from '../object-api';
import type { GroupVersionResource } from '../registry/types';
import type { ResourceRepresentation } from './negotiation';
import type { ResourceRequest, ResourceServerDeps } from './resource-handler';
import { buildTable, partialObjectMetadata } from './table';
import type { IncludeObject } from './table';

export interface HttpWatchOptions extends WatchOptions {
  timeoutSeconds: number;
  representation: ResourceRepresentation;
  includeObject: IncludeObject;
}

/**
 * Streams a watch: chunked JSON, one `{"type","object"}` per line, written (and so
 * flushed) per event. Ends after an ERROR event, at `timeoutSeconds`, or when the client
 * goes away. Selector errors are thrown before anything is written.
 */
export function streamWatch(
  ctx: ResourceRequest,
  deps: ResourceServerDeps,
  gvr: GroupVersionResource,
  options: HttpWatchOptions,
): void {
  const { res, req, definition: def } = ctx;
  let started = false;
  let ended = false;
  let firstTable = true;
  // Filled in once the watch is running; `finish` may run before that.
  const handles: { stop?: () => void; timer?: NodeJS.Timeout } = {};
  const buffered: string[] = [];

  const finish = (): void => {
    if (ended) return;
    ended = true;
    if (handles.timer) clearTimeout(handles.timer);
    handles.stop?.();
    if (started && !res.writableEnded) res.end();
  };

  const transform = (event: WatchEvent): KubeObject => {
    const { representation } = options;
    if (event.type === 'ERROR' || event.type === 'BOOKMARK') return event.object;
    if (representation.as === 'Table') {
      const table = buildTable(
        def,
        [event.object],
        { resourceVersion: event.object.metadata.resourceVersion },
        {
          version: representation.version,
          includeObject: options.includeObject,
          now: deps.now(),
          noHeaders: !firstTable,
        },
      );
      firstTable = false;
      return table as unknown as KubeObject;
    }
    if (representation.as === 'PartialObjectMetadata')
      return partialObjectMetadata(event.object, representation.version);
    return event.object;
  };

  const write = (line: string): void => {
    if (ended) return;
    if (!started) {
      buffered.push(line);
      return;
    }
    res.write(line);
  };

  const onEvent = (event: WatchEvent): void => {
    if (ended) return;
    try {
      write(`${JSON.stringify({ type: event.type, object: transform(event) })}\n`);
    } catch (error) {
      deps.log(`apiserver: watch event could not be encoded: ${(error as Error).message}`);
    }
    if (event.type === 'ERROR') setImmediate(finish);
  };

  // Throws (400, 404…) before any byte is written, so the caller answers with a Status.
  handles.stop = deps.storage.watch(gvr, options, onEvent);

  started = true;
  (res.socket as Socket | null)?.setNoDelay(true);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  for (const line of buffered.splice(0)) res.write(line);
  if (ended) {
    res.end();
    return;
  }

  handles.timer = setTimeout(finish, Math.max(0, options.timeoutSeconds) * 1000);
  handles.timer.unref();
  req.on('close', finish);
  res.on('close', finish);
  res.on('error', finish);
}
