import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImageProgress } from '../../../src-main/ipc/images';
import { useApi } from '../../data/api-context';

/** One line of an operation's log; layer lines are updated in place. */
export interface ProgressLine {
  key: string;
  kind: ImageProgress['kind'];
  text: string;
  percent?: number;
}

/** Adds one progress message to a log: a layer's newer line replaces its earlier one. */
export function appendProgress(lines: ProgressLine[], message: ImageProgress): ProgressLine[] {
  if (message.layer) {
    const key = `layer:${message.layer}`;
    const line: ProgressLine = { key, kind: message.kind, text: message.text, percent: message.percent };
    const at = lines.findIndex((l) => l.key === key);
    if (at >= 0) return [...lines.slice(0, at), line, ...lines.slice(at + 1)];
    return [...lines, line];
  }
  return [...lines, { key: `line:${lines.length}`, kind: message.kind, text: message.text }];
}

/**
 * The progress log of the current operation: `begin` returns a fresh operation id and clears
 * the log; pushes of other operations are ignored.
 */
export function useImageProgress(): { lines: ProgressLine[]; begin: () => string } {
  const api = useApi();
  const current = useRef('');
  const [lines, setLines] = useState<ProgressLine[]>([]);
  useEffect(
    () =>
      api.on('images.progress', (message) => {
        if (message.operationId === current.current) setLines((old) => appendProgress(old, message));
      }),
    [api],
  );
  const begin = useCallback(() => {
    current.current = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    setLines([]);
    return current.current;
  }, []);
  return { lines, begin };
}
