import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogTargetKind } from '../../../src-main/ipc/streams';
import { useApi } from '../../data/api-context';
import { findMatches, podColor, splitByQuery, stepMatch } from './log-search';
import { useLogStream } from './use-log-stream';
import './logs.css';

export interface LogViewerProps {
  cluster: string;
  namespace: string;
  kind: LogTargetKind;
  name: string;
  /** Container names to choose from (a pod's containers). */
  containers: string[];
}

const ROW_HEIGHT = 18;

/**
 * Live logs of a pod or of every pod of a workload: merged with a coloured per-pod prefix,
 * searchable, virtualized (a million lines stay smooth), with pause, wrap, timestamps,
 * previous logs and a download of the entire log from the API.
 */
export function LogViewer({ cluster, namespace, kind, name, containers }: LogViewerProps) {
  const api = useApi();
  const [container, setContainer] = useState('');
  const [previous, setPrevious] = useState(false);
  const [timestamps, setTimestamps] = useState(false);
  const [wrap, setWrap] = useState(false);
  const [paused, setPaused] = useState(false);
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(-1);
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string>();
  const stream = useLogStream({
    cluster,
    namespace,
    kind,
    name,
    ...(container ? { container } : {}),
    ...(previous ? { previous } : {}),
  });
  const { buffer } = stream;
  // While paused the view keeps its length; lines still arrive underneath.
  const [frozenCount, setFrozenCount] = useState(0);
  const count = paused ? Math.min(frozenCount, buffer.length) : buffer.length;
  const multiSource = kind !== 'Pod' || (containers.length > 1 && !container);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [atEnd, setAtEnd] = useState(true);
  const lastScrollTop = useRef(0);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 30,
  });

  const matches = useMemo(
    () => findMatches(buffer.texts, count, query),
    // The buffer grows in place; its version says when.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [buffer, stream.version, count, query],
  );

  useEffect(() => {
    if (!paused && atEnd && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [count, paused, atEnd, virtualizer]);

  const goTo = (direction: 1 | -1) => {
    const next = stepMatch(matches, current, direction);
    setCurrent(next);
    if (next >= 0) {
      setAtEnd(false);
      virtualizer.scrollToIndex(matches[next], { align: 'center' });
    }
  };

  const download = async () => {
    setDownloading(true);
    setDownloadError(undefined);
    try {
      const { text } = await api.invoke('logs.download', {
        cluster,
        namespace,
        kind,
        name,
        ...(container ? { container } : {}),
        ...(previous ? { previous } : {}),
        timestamps,
      });
      const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${name}${container ? `-${container}` : ''}${previous ? '-previous' : ''}.log`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      setDownloadError(err instanceof Error ? err.message : String(err));
    } finally {
      setDownloading(false);
    }
  };

  const currentLine = current >= 0 ? matches[current] : -1;
  const problems = Object.values(stream.sources).filter((s) => s.state !== 'following');

  return (
    <div className="log-viewer" data-testid="log-viewer">
      <div className="log-toolbar">
        {containers.length > 1 && (
          <select aria-label="Container" value={container} onChange={(e) => setContainer(e.target.value)}>
            <option value="">All containers</option>
            {containers.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        )}
        <label>
          <input type="checkbox" checked={previous} onChange={(e) => setPrevious(e.target.checked)} />{' '}
          Previous
        </label>
        <label>
          <input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} />{' '}
          Timestamps
        </label>
        <label>
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> Wrap
        </label>
        <button
          onClick={() => {
            setFrozenCount(buffer.length);
            setPaused(!paused);
          }}
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button
          onClick={() => {
            setAtEnd(true);
            if (count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
          }}
        >
          Jump to end
        </button>
        <span className="spacer" />
        <input
          className="log-search"
          placeholder="Search"
          aria-label="Search logs"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setCurrent(-1);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') goTo(e.shiftKey ? -1 : 1);
          }}
        />
        <span className="muted small log-match-count" data-testid="log-match-count">
          {query ? `${current >= 0 ? current + 1 : 0}/${matches.length}` : ''}
        </span>
        <button aria-label="Previous match" disabled={!matches.length} onClick={() => goTo(-1)}>
          ↑
        </button>
        <button aria-label="Next match" disabled={!matches.length} onClick={() => goTo(1)}>
          ↓
        </button>
        <button disabled={downloading} onClick={() => void download()}>
          {downloading ? 'Downloading…' : 'Download'}
        </button>
      </div>
      {(stream.error || downloadError || problems.length > 0) && (
        <div className="log-notes small">
          {stream.error && <div className="tone-text tone-bad">{stream.error}</div>}
          {downloadError && <div className="tone-text tone-bad">Download failed: {downloadError}</div>}
          {problems.map((s) => (
            <div key={`${s.pod}/${s.container}`} className="muted">
              {s.pod}/{s.container}: {s.state}
              {s.message ? ` (${s.message})` : ''}
            </div>
          ))}
        </div>
      )}
      <div
        ref={scrollRef}
        className={`log-lines${wrap ? ' wrap' : ''}`}
        data-testid="log-lines"
        onScroll={(e) => {
          const el = e.currentTarget;
          // Only a scroll up leaves the end: growing content must not stop the follow.
          if (el.scrollTop < lastScrollTop.current - 1) setAtEnd(false);
          else if (el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2) setAtEnd(true);
          lastScrollTop.current = el.scrollTop;
        }}
      >
        {count === 0 && <div className="muted log-empty">No log lines yet.</div>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const i = row.index;
            const pod = buffer.pods[i];
            return (
              <div
                key={row.key}
                data-index={i}
                ref={virtualizer.measureElement}
                className={`log-line${i === currentLine ? ' current' : ''}`}
                style={{ transform: `translateY(${row.start}px)` }}
              >
                {multiSource && (
                  <span className="log-prefix" style={{ color: podColor(pod) }}>
                    [{pod}
                    {containers.length > 1 || kind !== 'Pod' ? `/${buffer.containers[i]}` : ''}]{' '}
                  </span>
                )}
                {timestamps && <span className="log-time">{buffer.times[i]} </span>}
                {splitByQuery(buffer.texts[i], query).map((part, j) =>
                  part.match ? <mark key={j}>{part.text}</mark> : <span key={j}>{part.text}</span>,
                )}
              </div>
            );
          })}
        </div>
      </div>
      <div className="log-footer muted small">
        {count.toLocaleString()} lines{paused ? ` (paused, ${buffer.length - count} new)` : ''}
      </div>
    </div>
  );
}
