import { describe, expect, it } from 'vitest';
import { lineWriter, splitTimestamp } from './log-lines';
import { selectorToString } from './log-targets';

describe('log lines', () => {
  it('cuts chunks into lines, across chunk borders and inside a UTF-8 character', async () => {
    const lines: string[] = [];
    const writer = lineWriter((line) => lines.push(line));
    const euro = Buffer.from('€');
    writer.write(Buffer.from('one\ntw'));
    writer.write(Buffer.concat([Buffer.from('o '), euro.subarray(0, 1)]));
    writer.write(Buffer.concat([euro.subarray(1), Buffer.from('\nlast')]));
    await new Promise<void>((resolve) => writer.end(resolve));
    expect(lines).toEqual(['one', 'two €', 'last']);
  });

  it('splits the API timestamp from the text', () => {
    expect(splitTimestamp('2026-11-22T03:40:13.123456789Z hello world')).toEqual({
      time: '2026-11-22T03:40:13.123456789Z',
      text: 'hello world',
    });
    expect(splitTimestamp('no time here')).toEqual({ time: '', text: 'no time here' });
  });

  it('writes a workload selector in query form', () => {
    expect(
      selectorToString({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
          { key: 'gone', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=web,tier in (a,b),!gone');
  });
});
