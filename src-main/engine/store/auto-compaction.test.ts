import { afterEach, expect, it, vi } from 'vitest';
import { startAutoCompaction } from './auto-compaction';
import { openSqliteStore } from './sqlite-store';
import type { KeyValueStore } from './types';

afterEach(() => {
  vi.useRealTimers();
});

function writes(s: KeyValueStore, n: number): void {
  for (let i = 0; i < n; i++) {
    const key = `/k${i % 10}`;
    if (s.get(key)) s.update(key, String(i));
    else s.create(key, String(i));
  }
}

it('compacts on each interval, keeping the last retainRevisions revisions', () => {
  vi.useFakeTimers();
  const s = openSqliteStore(':memory:');
  const stop = startAutoCompaction(s, { intervalMs: 1000, retainRevisions: 100 });
  writes(s, 250);
  vi.advanceTimersByTime(999);
  expect(s.compactedRevision()).toBe(0);
  vi.advanceTimersByTime(1);
  expect(s.compactedRevision()).toBe(150);
  writes(s, 50);
  vi.advanceTimersByTime(1000);
  expect(s.compactedRevision()).toBe(200);
  // The latest value of every key survives: the last 50 writes hit each key five times.
  expect(s.list('/').records.map((r) => r.value)).toEqual([
    '40',
    '41',
    '42',
    '43',
    '44',
    '45',
    '46',
    '47',
    '48',
    '49',
  ]);
  stop();
  writes(s, 500);
  vi.advanceTimersByTime(10_000);
  expect(s.compactedRevision()).toBe(200);
  s.close();
});

it('works through a large backlog in steps, yielding between them', async () => {
  const s = openSqliteStore(':memory:');
  writes(s, 1000);
  const stop = startAutoCompaction(s, { intervalMs: 5, retainRevisions: 100, stepRevisions: 200 });
  const seen: number[] = [];
  while (s.compactedRevision() < 900) {
    await new Promise((r) => setImmediate(r));
    if (seen.at(-1) !== s.compactedRevision()) seen.push(s.compactedRevision());
  }
  stop();
  expect(seen.filter((r) => r > 0)).toEqual([200, 400, 600, 800, 900]);
  expect(s.list('/').records).toHaveLength(10);
  s.close();
});

it('reports a failing compaction and keeps running', () => {
  vi.useFakeTimers();
  const s = openSqliteStore(':memory:');
  writes(s, 20);
  const onError = vi.fn();
  const stop = startAutoCompaction(s, { intervalMs: 10, retainRevisions: 5, onError });
  s.close();
  vi.advanceTimersByTime(30);
  expect(onError).toHaveBeenCalledTimes(3);
  stop();
});
