import { useMemo, useRef } from 'react';
import { parseAllDocuments } from 'yaml';

export interface YamlProblem {
  line?: number;
  message: string;
}

/**
 * Problems found before sending: YAML syntax (with line numbers), and per document the fields the
 * API server needs to place an object (apiVersion, kind, metadata.name).
 */
export function checkManifests(text: string): YamlProblem[] {
  if (!text.trim()) return [{ message: 'Paste or type YAML here.' }];
  const problems: YamlProblem[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: true });
  docs.forEach((doc, index) => {
    for (const error of doc.errors) {
      problems.push({ line: error.linePos?.[0].line, message: error.message.split('\n')[0] });
    }
    if (doc.errors.length > 0) return;
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    const label = docs.length > 1 ? `Document ${index + 1}: ` : '';
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ message: `${label}must be a mapping (an object)` });
      return;
    }
    const object = value as {
      apiVersion?: unknown;
      kind?: unknown;
      metadata?: { name?: unknown; generateName?: unknown };
    };
    if (typeof object.apiVersion !== 'string')
      problems.push({ message: `${label}apiVersion: Required value` });
    if (typeof object.kind !== 'string') problems.push({ message: `${label}kind: Required value` });
    else if (!object.kind.endsWith('List') && typeof object.metadata?.name !== 'string') {
      problems.push({ message: `${label}metadata.name: Required value: name or generateName is required` });
    }
  });
  return problems;
}

/** A monospace YAML editor with line numbers and live syntax checks. */
export function YamlEditor({
  value,
  onChange,
  label,
  minRows = 18,
}: {
  value: string;
  onChange(value: string): void;
  label: string;
  minRows?: number;
}) {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = useMemo(() => Math.max(value.split('\n').length, minRows), [value, minRows]);
  return (
    <div className="yaml-editor">
      <div className="gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: lines }, (_, i) => (
          <div key={i}>{i + 1}</div>
        ))}
      </div>
      <textarea
        aria-label={label}
        spellCheck={false}
        value={value}
        rows={minRows}
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        onKeyDown={(e) => {
          if (e.key === 'Tab') {
            e.preventDefault();
            const target = e.currentTarget;
            const { selectionStart, selectionEnd } = target;
            const next = `${value.slice(0, selectionStart)}  ${value.slice(selectionEnd)}`;
            onChange(next);
            requestAnimationFrame(() => target.setSelectionRange(selectionStart + 2, selectionStart + 2));
          }
        }}
      />
    </div>
  );
}

export function ProblemList({ problems }: { problems: YamlProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="problems">
      {problems.map((problem, i) => (
        <li key={i}>
          {problem.line !== undefined && <span className="chip">line {problem.line}</span>} {problem.message}
        </li>
      ))}
    </ul>
  );
}
