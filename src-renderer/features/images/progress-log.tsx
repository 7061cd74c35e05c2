import { useEffect, useRef } from 'react';
import type { ProgressLine } from './use-progress';

const LOG_STYLE = {
  maxHeight: 260,
  overflow: 'auto',
  padding: '8px 10px',
  marginTop: 8,
  borderRadius: 6,
  background: 'var(--bg-sunken)',
  whiteSpace: 'pre-wrap',
} as const;

/** A build or push log that keeps the newest line in view. */
export function ProgressLog({ lines, testId }: { lines: ProgressLine[]; testId: string }) {
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Braces matter: newer browsers return a promise from scrollIntoView, and React would call it as a cleanup.
    void end.current?.scrollIntoView({ block: 'nearest' });
  }, [lines]);
  if (lines.length === 0) return null;
  return (
    <div className="image-log mono small" style={LOG_STYLE} data-testid={testId}>
      {lines.map((line) => (
        <div key={line.key} style={line.kind === 'step' ? { fontWeight: 600 } : undefined}>
          {line.text}
          {line.percent !== undefined && (
            <progress
              style={{ marginLeft: 8, width: 120 }}
              max={100}
              value={line.percent}
              aria-label={`${line.percent}%`}
            />
          )}
        </div>
      ))}
      <div ref={end} />
    </div>
  );
}
