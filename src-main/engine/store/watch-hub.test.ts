import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from './sqlite-store';
import type { OpenSqliteStoreOptions } from './sqlite-store';
import { StoreCompactedError } from './types';
import type { KeyValueStore, StoreWatchEvent } from './types';
import { WatchHub } from './watch-hub';

const open: KeyValueStore[] = [];
function memStore(options: OpenSqliteStoreOptions = {}): KeyValueStore {
  const s = openSqliteStore(':memory:', { watch: { onError: () => {} }, ...options });
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

async function until(cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 1));
  }
}
const tick = () => new Promise((r) => setImmediate(r));
const revisions = (events: StoreWatchEvent[]) => events.map((e) => e.revision);

/** A mixed workload under two prefixes; returns the revisions written under `/w/`. */
function churn(s: KeyValueStore, n: number, tag: string): number[] {
  const mine: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = `/w/${tag}-${i % 7}`;
    const cur = s.get(key);
    if (!cur) mine.push(s.create(key, `${tag}${i}`));
    else if (i % 5 === 0) mine.push(s.delete(key, cur.modRevision));
    else mine.push(s.update(key, `${tag}${i}`, cur.modRevision));
    s.create(`/other/${tag}-${i}`, 'x');
  }
  return mine;
}

describe('watch', () => {
  it('replays history after the revision, then delivers live writes, filtered by prefix', async () => {
    const s = memStore();
    const before = churn(s, 40, 'a');
    const from = before[9];
    const events: StoreWatchEvent[] = [];
    s.watch('/w/', from, (e) => events.push(e));
    const after = churn(s, 40, 'b');
    const expected = [...before.filter((r) => r > from), ...after];
    await until(() => events.length >= expected.length);
    await tick();
    expect(revisions(events)).toEqual(expected);
    expect(events.every((e) => e.key.startsWith('/w/'))).toBe(true);
  });

  it('has no gap and no duplicate when writes interleave with a slow, chunked replay', async () => {
    const s = memStore({ watch: { replayBatchSize: 3, onError: () => {} } });
    const expected = churn(s, 200, 'h');
    const events: StoreWatchEvent[] = [];
    s.watch('/w/', 0, (e) => {
      events.push(e);
      // Writes from inside the listener, while the replay is still running.
      if (events.length % 10 === 0) expected.push(s.create(`/w/from-listener-${events.length}`, 'l'));
    });
    // …and writes from elsewhere between replay steps.
    for (let i = 0; i < 30; i++) {
      expected.push(...churn(s, 3, `i${i}`));
      await tick();
      if (i === 0) expect(events.length).toBeGreaterThan(0);
    }
    expect(events.length).toBeLessThan(200);
    await until(() => events.length >= expected.length);
    await tick();
    await tick();
    expected.sort((a, b) => a - b);
    expect(revisions(events)).toEqual(expected);
  });

  it('gives replayed events exactly the shape of live ones', async () => {
    const s = memStore();
    const live: StoreWatchEvent[] = [];
    s.watch('/w/', 0, (e) => live.push(e));
    s.create('/w/a', 'a1');
    s.update('/w/a', 'a2');
    s.create('/w/b', 'b1');
    s.delete('/w/a');
    s.create('/w/a', 'a3');
    await until(() => live.length === 5);
    expect(live).toEqual([
      { type: 'create', key: '/w/a', value: 'a1', revision: 1, createRevision: 1 },
      { type: 'update', key: '/w/a', value: 'a2', prevValue: 'a1', revision: 2, createRevision: 1 },
      { type: 'create', key: '/w/b', value: 'b1', revision: 3, createRevision: 3 },
      { type: 'delete', key: '/w/a', value: 'a2', prevValue: 'a2', revision: 4, createRevision: 1 },
      { type: 'create', key: '/w/a', value: 'a3', revision: 5, createRevision: 5 },
    ]);
    const replayed: StoreWatchEvent[] = [];
    s.watch('/w/', 0, (e) => replayed.push(e));
    await until(() => replayed.length === 5);
    expect(replayed).toEqual(live);
  });

  it('watches from a revision ahead of the head only see later writes', async () => {
    const s = memStore();
    s.create('/w/a', '1');
    const events: StoreWatchEvent[] = [];
    s.watch('/w/', 3, (e) => events.push(e));
    s.update('/w/a', '2');
    s.update('/w/a', '3');
    const r4 = s.update('/w/a', '4');
    await until(() => events.length >= 1);
    await tick();
    expect(revisions(events)).toEqual([r4]);
  });

  it('throws StoreCompactedError for a revision below the compacted one', () => {
    const s = memStore();
    churn(s, 20, 'c');
    s.compact(10);
    expect(() => s.watch('/w/', 9, () => {})).toThrow(StoreCompactedError);
    try {
      s.watch('', 3, () => {});
    } catch (error) {
      expect(error).toMatchObject({ requested: 3, compacted: 10 });
    }
    expect(() => s.watch('/w/', 10, () => {})).not.toThrow();
  });

  it('replays correctly across compaction, including previous values older than the compaction', async () => {
    const s = memStore();
    churn(s, 60, 'p');
    const at = Math.floor(s.currentRevision() / 2);
    const reference: StoreWatchEvent[] = [];
    s.watch('/w/', at, (e) => reference.push(e));
    await until(() => reference.length > 0);
    await tick();
    s.compact(at);
    const replayed: StoreWatchEvent[] = [];
    s.watch('/w/', at, (e) => replayed.push(e));
    await until(() => replayed.length === reference.length);
    expect(replayed).toEqual(reference);
  });

  it('does not let compaction overtake a watch that is still replaying', async () => {
    const s = memStore({ watch: { replayBatchSize: 2, onError: () => {} } });
    const expected = churn(s, 100, 'r');
    const events: StoreWatchEvent[] = [];
    s.watch('/w/', 0, (e) => events.push(e));
    s.compact(s.currentRevision());
    expect(s.compactedRevision()).toBe(0);
    await until(() => events.length === expected.length);
    expect(revisions(events)).toEqual(expected);
    s.compact(s.currentRevision());
    expect(s.compactedRevision()).toBe(s.currentRevision());
  });

  it('isolates a throwing or slow listener from other listeners and from the writer', async () => {
    const onError = vi.fn();
    const s = memStore({ watch: { onError } });
    const good: StoreWatchEvent[] = [];
    const bad: StoreWatchEvent[] = [];
    s.watch('/w/', 0, (e) => {
      bad.push(e);
      throw new Error('listener bug');
    });
    s.watch('/w/', 0, () => {
      const until = performance.now() + 2;
      while (performance.now() < until); // a slow consumer
    });
    s.watch('/w/', 0, (e) => good.push(e));
    const t = performance.now();
    const expected = churn(s, 50, 's');
    // Delivery never runs inside a write, so 50 × 2 ms of listener time is not in here.
    expect(performance.now() - t).toBeLessThan(50);
    await until(() => good.length === expected.length);
    expect(revisions(good)).toEqual(expected);
    expect(revisions(bad)).toEqual(expected);
    expect(onError).toHaveBeenCalledTimes(expected.length);
  });

  it('stops delivering on unsubscribe, even in the middle of a batch', async () => {
    const s = memStore();
    const events: StoreWatchEvent[] = [];
    const stop = s.watch('/w/', 0, (e) => {
      events.push(e);
      if (events.length === 3) stop();
    });
    const others: StoreWatchEvent[] = [];
    s.watch('/w/', 0, (e) => others.push(e));
    churn(s, 20, 'u');
    await until(() => others.length === 20);
    expect(events).toHaveLength(3);
  });

  it('drops all watches on close', async () => {
    const s = openSqliteStore(':memory:');
    const events: StoreWatchEvent[] = [];
    s.watch('', 0, (e) => events.push(e));
    s.create('/a', '1');
    s.close();
    await tick();
    expect(events).toEqual([]);
  });
});

describe('WatchHub', () => {
  it('reports a failed history read and retries it', async () => {
    let fail = true;
    const history: StoreWatchEvent[] = [1, 2, 3].map((revision) => ({
      type: 'create',
      key: `/k${revision}`,
      value: 'v',
      revision,
      createRevision: revision,
    }));
    const onError = vi.fn();
    const hub = new WatchHub(
      {
        currentRevision: () => 3,
        compactedRevision: () => 0,
        readEvents: (_prefix, after, limit) => {
          if (fail) {
            fail = false;
            throw new Error('disk I/O error');
          }
          return history.filter((e) => e.revision > after).slice(0, limit);
        },
      },
      { onError },
    );
    const events: StoreWatchEvent[] = [];
    hub.watch('/', 0, (e) => events.push(e));
    await until(() => events.length === 3);
    expect(onError).toHaveBeenCalledOnce();
    hub.publish({ type: 'update', key: '/k1', value: 'w', prevValue: 'v', revision: 4, createRevision: 1 });
    await until(() => events.length === 4);
    expect(revisions(events)).toEqual([1, 2, 3, 4]);
    hub.close();
  });
});
