import { useEffect, useMemo, useState } from 'react';
import type { LogSourceStatus, LogStreamRequest } from '../../../src-main/ipc/streams';
import { useApi } from '../../data/api-context';
import { LogBuffer } from './log-buffer';

export interface LogStreamState {
  buffer: LogBuffer;
  /** Bumps when lines arrive. */
  version: number;
  /** Latest state per "pod/container". */
  sources: Record<string, LogSourceStatus>;
  error?: string;
}

interface Progress {
  key: string;
  version: number;
  sources: Record<string, LogSourceStatus>;
  error?: string;
}

/** Follows `request` through the backend while mounted; a changed request starts over. */
export function useLogStream(request: LogStreamRequest): LogStreamState {
  const api = useApi();
  const key = JSON.stringify(request);
  // One buffer per request: a changed request starts from an empty view.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const buffer = useMemo(() => new LogBuffer(), [key]);
  const [progress, setProgress] = useState<Progress>({ key, version: 0, sources: {} });

  useEffect(() => {
    const parsed = JSON.parse(key) as LogStreamRequest;
    let streamId: string | undefined;
    let closed = false;
    const update = (change: (old: Progress) => Partial<Progress>) =>
      setProgress((old) => {
        const base = old.key === key ? old : { key, version: 0, sources: {} };
        return { ...base, ...change(base) };
      });
    const offLines = api.on('logs.lines', (payload) => {
      if (payload.streamId !== streamId) return;
      buffer.append(payload.lines);
      update(() => ({ version: buffer.version }));
    });
    const offStatus = api.on('logs.status', (payload) => {
      if (payload.streamId !== streamId) return;
      update((old) => ({ sources: { ...old.sources, [`${payload.pod}/${payload.container}`]: payload } }));
    });
    api
      .invoke('logs.start', parsed)
      .then((started) => {
        streamId = started.streamId;
        if (closed) void api.invoke('logs.stop', { streamId }).catch(() => undefined);
      })
      .catch((err: unknown) => update(() => ({ error: err instanceof Error ? err.message : String(err) })));
    return () => {
      closed = true;
      offLines();
      offStatus();
      if (streamId) void api.invoke('logs.stop', { streamId }).catch(() => undefined);
    };
  }, [api, key, buffer]);

  const live = progress.key === key ? progress : { version: 0, sources: {}, error: undefined };
  return { buffer, version: live.version, sources: live.sources, error: live.error };
}
