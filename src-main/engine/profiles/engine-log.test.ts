import { describe, expect, it } from 'vitest';
import type { EngineEvent } from './engine-log';
import { formatEngineEvent, parseEngineEvent } from './engine-log';

describe('engine log events', () => {
  it('round-trip through one log line each', () => {
    const events: EngineEvent[] = [
      { type: 'phase', name: 'apiserver' },
      { type: 'ready', url: 'https://127.0.0.1:40123' },
      { type: 'error', message: 'listen EADDRINUSE 127.0.0.1:40123' },
      { type: 'stopping', reason: 'received SIGTERM' },
      { type: 'stopped' },
    ];
    for (const event of events) {
      const line = formatEngineEvent(event, new Date('2026-01-02T03:04:05.000Z'));
      expect(line).toMatch(/^2026-01-02T03:04:05\.000Z \[/);
      expect(line).not.toContain('\n');
      expect(parseEngineEvent(line)).toEqual(event);
    }
  });

  it('keeps a multi-line error on one line', () => {
    const line = formatEngineEvent({ type: 'error', message: 'boom\n    at a\n    at b' });
    expect(line).not.toContain('\n');
    expect(parseEngineEvent(line)).toEqual({ type: 'error', message: 'boom | at a | at b' });
  });

  it('ignores free-form output', () => {
    expect(parseEngineEvent('2026-01-02T03:04:05.000Z compaction: done')).toBeUndefined();
    expect(parseEngineEvent('[phase] without a timestamp')).toBeUndefined();
    expect(parseEngineEvent('')).toBeUndefined();
  });
});
