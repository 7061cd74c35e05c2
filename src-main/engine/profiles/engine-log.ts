/**
 * The lines an engine prints to its log (stdout, redirected to `<profileDir>/engine.log`) that
 * starters read to follow its progress. Each event is one line `<ISO time> [<type>] <text>`; any
 * other line is free-form output and is ignored by `parseEngineEvent`.
 */
export type EngineEvent =
  | { type: 'phase'; name: string }
  | { type: 'ready'; url: string }
  | { type: 'error'; message: string }
  | { type: 'stopping'; reason: string }
  | { type: 'stopped' };

const EVENT_LINE = /^\S+ \[(phase|ready|error|stopping|stopped)\](?: (.*))?$/;

/** One log line (without newline) for `event`, stamped with `now`. */
export function formatEngineEvent(event: EngineEvent, now: Date = new Date()): string {
  const stamp = now.toISOString();
  switch (event.type) {
    case 'phase':
      return `${stamp} [phase] ${event.name}`;
    case 'ready':
      return `${stamp} [ready] ${event.url}`;
    case 'error':
      // Multi-line messages (stacks) would break the one-event-per-line framing.
      return `${stamp} [error] ${event.message.replace(/\s*\n\s*/g, ' | ')}`;
    case 'stopping':
      return `${stamp} [stopping] ${event.reason}`;
    case 'stopped':
      return `${stamp} [stopped]`;
  }
}

/** The event a log line carries, or undefined for free-form output. */
export function parseEngineEvent(line: string): EngineEvent | undefined {
  const match = EVENT_LINE.exec(line.trimEnd());
  if (!match) return undefined;
  const text = match[2] ?? '';
  switch (match[1]) {
    case 'phase':
      return { type: 'phase', name: text };
    case 'ready':
      return { type: 'ready', url: text };
    case 'error':
      return { type: 'error', message: text };
    case 'stopping':
      return { type: 'stopping', reason: text };
    default:
      return { type: 'stopped' };
  }
}
