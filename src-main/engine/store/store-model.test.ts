import { expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store';
import { StoreConflictError } from './types';
import type { StoreRecord, StoreWatchEvent } from './types';

/** A tiny deterministic PRNG so a failure reproduces. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
}

it('agrees with an in-memory model through random writes, conflicts and compactions', async () => {
  const random = rng(42);
  const s = openSqliteStore(':memory:', { watch: { replayBatchSize: 7 } });
  const model = new Map<string, StoreRecord>();
  const live: StoreWatchEvent[] = [];
  s.watch('/m/', 0, (e) => live.push(e));
  for (let step = 0; step < 3000; step++) {
    const key = `/m/${Math.floor(random() * 40)}`;
    const cur = model.get(key);
    const stale = random() < 0.1;
    const expected = cur && stale ? cur.modRevision - 1 : cur?.modRevision;
    const r = random();
    try {
      if (r < 0.35) {
        const rev = s.create(key, `v${step}`);
        expect(cur).toBeUndefined();
        model.set(key, { key, value: `v${step}`, createRevision: rev, modRevision: rev });
      } else if (r < 0.8) {
        const rev = s.update(key, `v${step}`, expected);
        model.set(key, { ...(cur as StoreRecord), value: `v${step}`, modRevision: rev });
      } else {
        s.delete(key, expected);
        model.delete(key);
      }
      expect(stale && cur !== undefined && r >= 0.35).toBe(false);
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
      const reason = cur === undefined ? 'missing' : r < 0.35 ? 'exists' : 'stale';
      expect(error.reason).toBe(reason);
    }
    if (step % 250 === 0) s.compact(s.currentRevision() - Math.floor(random() * 100));
  }
  const sorted = [...model.values()].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  expect(s.list('/m/').records).toEqual(sorted);
  expect(s.count('/m/')).toBe(model.size);

  // History that survived compaction replays exactly as it was delivered live.
  await new Promise((r) => setTimeout(r, 20));
  const from = s.compactedRevision();
  const replayed: StoreWatchEvent[] = [];
  s.watch('/m/', from, (e) => replayed.push(e));
  const expected = live.filter((e) => e.revision > from);
  const deadline = Date.now() + 5000;
  while (replayed.length < expected.length && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 1));
  expect(replayed).toEqual(expected);
  s.close();
});
