import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store';
import { StoreError } from './store-error';
import { StoreConflictError } from './types';
import type { KeyValueStore, StoreWatchEvent } from './types';

const open: KeyValueStore[] = [];
const dirs: string[] = [];
function memStore(): KeyValueStore {
  const s = openSqliteStore(':memory:');
  open.push(s);
  return s;
}
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubedesk-store-'));
  dirs.push(dir);
  return join(dir, 'store.db');
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function conflict(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof StoreConflictError) return error.reason;
    throw error;
  }
  throw new Error('expected a conflict');
}

describe('sqlite store writes', () => {
  it('assigns increasing revisions and tracks create/mod revisions', () => {
    const s = memStore();
    expect(s.currentRevision()).toBe(0);
    const r1 = s.create('/a', '1');
    const r2 = s.create('/b', '2');
    const r3 = s.update('/a', '1b');
    expect([r1, r2, r3]).toEqual([1, 2, 3]);
    expect(s.get('/a')).toEqual({ key: '/a', value: '1b', createRevision: 1, modRevision: 3 });
    expect(s.currentRevision()).toBe(3);
    const r4 = s.delete('/a');
    expect(r4).toBe(4);
    expect(s.get('/a')).toBeUndefined();
    const r5 = s.create('/a', 'again');
    expect(s.get('/a')).toEqual({ key: '/a', value: 'again', createRevision: r5, modRevision: r5 });
  });

  it('create fails with exists on a live key and leaves it untouched', () => {
    const s = memStore();
    s.create('/a', '1');
    expect(conflict(() => s.create('/a', '2'))).toBe('exists');
    expect(s.get('/a')?.value).toBe('1');
    expect(s.currentRevision()).toBe(1);
  });

  it('update and delete fail with missing on an absent key', () => {
    const s = memStore();
    expect(conflict(() => s.update('/nope', 'x'))).toBe('missing');
    expect(conflict(() => s.delete('/nope'))).toBe('missing');
    s.create('/gone', 'x');
    s.delete('/gone');
    expect(conflict(() => s.update('/gone', 'y', 1))).toBe('missing');
    expect(s.currentRevision()).toBe(2);
  });

  it('compare-and-set succeeds on the current modRevision and fails stale otherwise', () => {
    const s = memStore();
    const r1 = s.create('/a', '1');
    const r2 = s.update('/a', '2', r1);
    expect(conflict(() => s.update('/a', '3', r1))).toBe('stale');
    expect(conflict(() => s.delete('/a', r1))).toBe('stale');
    expect(s.get('/a')).toMatchObject({ value: '2', modRevision: r2 });
    expect(s.delete('/a', r2)).toBe(r2 + 1);
    expect(s.get('/a')).toBeUndefined();
  });

  it('rejects empty keys', () => {
    const s = memStore();
    expect(() => s.create('', 'x')).toThrow(TypeError);
  });
});

describe('sqlite store reads', () => {
  function seeded(): KeyValueStore {
    const s = memStore();
    for (const k of [
      '/r/pods/ns1/a',
      '/r/pods/ns1/b',
      '/r/pods/ns2/c',
      '/r/pods/ns1/d',
      '/r/podsx/e',
      '/r/pod',
    ]) {
      s.create(k, k.toUpperCase());
    }
    s.delete('/r/pods/ns1/d');
    return s;
  }

  it('lists keys under a prefix only, in key order, at the current revision', () => {
    const s = seeded();
    const all = s.list('/r/pods/');
    expect(all.records.map((r) => r.key)).toEqual(['/r/pods/ns1/a', '/r/pods/ns1/b', '/r/pods/ns2/c']);
    expect(all.revision).toBe(7);
    expect(all.records[0]).toEqual({
      key: '/r/pods/ns1/a',
      value: '/R/PODS/NS1/A',
      createRevision: 1,
      modRevision: 1,
    });
    expect(s.list('/r/pods/ns1/').records.map((r) => r.key)).toEqual(['/r/pods/ns1/a', '/r/pods/ns1/b']);
    expect(s.list('').records).toHaveLength(5);
    expect(s.list('/zzz').records).toEqual([]);
  });

  it('pages with startAfter and limit', () => {
    const s = seeded();
    const p1 = s.list('/r/pods/', { limit: 2 });
    expect(p1.records.map((r) => r.key)).toEqual(['/r/pods/ns1/a', '/r/pods/ns1/b']);
    const p2 = s.list('/r/pods/', { limit: 2, startAfter: p1.records[1].key });
    expect(p2.records.map((r) => r.key)).toEqual(['/r/pods/ns2/c']);
    expect(s.list('/r/pods/', { startAfter: '/r/pods/ns2/c' }).records).toEqual([]);
    // A startAfter before the prefix does not widen the range.
    expect(s.list('/r/pods/', { startAfter: '/a' }).records).toHaveLength(3);
    expect(s.list('/r/pods/', { limit: 0 }).records).toHaveLength(3);
    expect(s.list('', { startAfter: '/r/pods/ns2/c' }).records.map((r) => r.key)).toEqual(['/r/podsx/e']);
  });

  it('every page of a paged list reports the revision it is consistent with', () => {
    const s = seeded();
    const p1 = s.list('/r/pods/', { limit: 1 });
    s.update('/r/pods/ns2/c', 'new');
    const p2 = s.list('/r/pods/', { limit: 5, startAfter: p1.records[0].key });
    expect(p2.revision).toBe(p1.revision + 1);
    expect(p2.records.at(-1)).toMatchObject({ value: 'new', modRevision: p2.revision });
  });

  it('counts keys under a prefix', () => {
    const s = seeded();
    expect(s.count('/r/pods/')).toBe(3);
    expect(s.count('/r/pods')).toBe(4);
    expect(s.count('/r/')).toBe(5);
    expect(s.count('')).toBe(5);
    expect(s.count('/none')).toBe(0);
  });

  it('lists 10,000 keys well under 100 ms and gets in well under 1 ms', () => {
    const s = memStore();
    const value = JSON.stringify({ metadata: { name: 'x'.repeat(40) }, spec: { data: 'y'.repeat(900) } });
    for (let i = 0; i < 10_000; i++) s.create(`/registry/pods/default/p${String(i).padStart(5, '0')}`, value);
    for (let i = 0; i < 2_000; i++) s.create(`/registry/services/default/s${i}`, value);
    s.list('/registry/pods/'); // warm the page cache as a running server would have it
    let t = performance.now();
    const result = s.list('/registry/pods/');
    const listMs = performance.now() - t;
    expect(result.records).toHaveLength(10_000);
    t = performance.now();
    for (let i = 0; i < 1000; i++)
      expect(s.get(`/registry/pods/default/p${String(i * 7).padStart(5, '0')}`)).toBeDefined();
    const getMs = (performance.now() - t) / 1000;
    expect(listMs).toBeLessThan(100);
    expect(getMs).toBeLessThan(1);
  });
});

describe('sqlite store compaction', () => {
  it('keeps the latest value of every live key and drops superseded rows and tombstones', () => {
    const s = memStore();
    s.create('/a', 'a1'); // 1
    s.update('/a', 'a2'); // 2
    s.create('/b', 'b1'); // 3
    s.delete('/b'); // 4
    s.create('/c', 'c1'); // 5
    s.update('/a', 'a3'); // 6
    s.compact(5);
    expect(s.compactedRevision()).toBe(5);
    expect(s.currentRevision()).toBe(6);
    expect(s.list('/').records).toEqual([
      { key: '/a', value: 'a3', createRevision: 1, modRevision: 6 },
      { key: '/c', value: 'c1', createRevision: 5, modRevision: 5 },
    ]);
    // History after the compacted revision still replays, including the previous value.
    const events: StoreWatchEvent[] = [];
    s.watch('/', 5, (e) => events.push(e));
    return until(() => events.length === 1).then(() => {
      expect(events[0]).toMatchObject({
        type: 'update',
        key: '/a',
        value: 'a3',
        prevValue: 'a2',
        revision: 6,
      });
    });
  });

  it('never moves the compacted revision backwards or past the head', () => {
    const s = memStore();
    s.create('/a', '1');
    s.update('/a', '2');
    s.delete('/a');
    s.compact(100);
    expect(s.compactedRevision()).toBe(3);
    s.compact(1);
    expect(s.compactedRevision()).toBe(3);
    expect(s.currentRevision()).toBe(3);
    expect(s.create('/a', 'new')).toBe(4);
  });

  it('persists compaction and revisions across reopen, even when the head row was compacted', () => {
    const file = tempFile();
    let s = openSqliteStore(file);
    s.create('/a', '1');
    s.create('/b', '1');
    s.delete('/b');
    s.compact(3);
    s.close();
    s = openSqliteStore(file);
    open.push(s);
    expect(s.currentRevision()).toBe(3);
    expect(s.compactedRevision()).toBe(3);
    expect(s.create('/c', '1')).toBe(4);
  });
});

describe('sqlite store files', () => {
  it('reopens a file store and sees every key, value and revision', () => {
    const file = tempFile();
    const s1 = openSqliteStore(file);
    for (let i = 0; i < 100; i++) s1.create(`/k/${i}`, `v${i}`);
    for (let i = 0; i < 100; i += 2) s1.update(`/k/${i}`, `w${i}`);
    for (let i = 0; i < 100; i += 5) s1.delete(`/k/${i}`);
    const before = s1.list('/k/');
    s1.close();
    const s2 = openSqliteStore(file);
    open.push(s2);
    expect(s2.currentRevision()).toBe(before.revision);
    expect(s2.list('/k/')).toEqual(before);
    expect(s2.get('/k/2')?.value).toBe('w2');
    expect(s2.get('/k/5')).toBeUndefined();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('reports a corrupt file as a StoreError', () => {
    const file = tempFile();
    writeFileSync(file, Buffer.alloc(8192, 0x5a));
    expect(() => openSqliteStore(file)).toThrow(StoreError);
    expect(() => openSqliteStore(file)).toThrow(/not a database/);
  });

  it('fails a write on a full store with a clear StoreError and leaves no trace of it', () => {
    const file = tempFile();
    const s = openSqliteStore(file, { maxPageCount: 40 });
    open.push(s);
    const big = 'x'.repeat(20_000);
    let failure: unknown;
    let last = 0;
    for (let i = 0; i < 100 && failure === undefined; i++) {
      try {
        last = s.create(`/big/${i}`, big);
      } catch (error) {
        failure = error;
      }
    }
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).code).toMatch(/^SQLITE_FULL/);
    expect((failure as StoreError).message).toMatch(/create of \/big\/\d+ failed: the disk .* is full/);
    expect(s.currentRevision()).toBe(last);
    expect(s.count('/big/')).toBe(last);
    expect(s.get(`/big/${last}`)).toBeUndefined();
    // The store stays usable: freeing space lets writes continue at the next revision.
    expect(s.delete('/big/0')).toBe(last + 1);
    s.close();
    const reopened = openSqliteStore(file);
    open.push(reopened);
    expect(reopened.currentRevision()).toBe(last + 1);
    expect(reopened.count('/big/')).toBe(last - 1);
  });

  it('reports a file that cannot be created as a StoreError naming it', () => {
    const file = join(tempFile(), 'no-such-dir', 'store.db');
    expect(() => openSqliteStore(file)).toThrow(StoreError);
    expect(() => openSqliteStore(file)).toThrow(`store open of ${file} failed`);
  });

  it('reports use after close as a StoreError', () => {
    const s = openSqliteStore(':memory:');
    s.close();
    expect(() => s.get('/a')).toThrow(StoreError);
    expect(() => s.create('/a', '1')).toThrow(/closed/);
  });
});

async function until(cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 1));
  }
}
