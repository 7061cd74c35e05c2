import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'kubedesk-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ack {
  op: 'c' | 'u' | 'd';
  rev: number;
  key: string;
  value: string;
}

/** Runs the writer until it has acknowledged at least `atLeast` writes, then kill -9s it. */
function runAndKill(file: string, round: number, atLeast: number): Promise<Ack[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ['bin/run-ts.mjs', join(here, 'crash-writer.fixture.ts'), file, String(round)],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const acks: Ack[] = [];
    let pending = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      const lines = (pending + d.toString()).split('\n');
      pending = lines.pop() ?? ''; // a line cut by the kill was never acknowledged
      for (const line of lines) {
        const [op, rev, key, value] = line.split(' ');
        if (op === 'ready') continue;
        acks.push({ op: op as Ack['op'], rev: Number(rev), key, value });
      }
      if (!killed && acks.length >= atLeast) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own: ${stderr}`));
      else resolvePromise(acks);
    });
  });
}

function verifyLog(file: string, acks: Ack[]) {
  const raw = new Database(file);
  try {
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const row = raw.prepare('SELECT key, kind, value FROM log WHERE id = ?');
    for (const a of acks) {
      expect(row.get(a.rev), `acknowledged revision ${a.rev}`).toEqual({
        key: a.key,
        kind: a.op === 'c' ? 0 : a.op === 'u' ? 1 : 2,
        value: a.op === 'd' ? null : a.value,
      });
    }
    // The index of live keys agrees with the log: each live key points at its newest row, which
    // is not a tombstone; every key missing from it ends in a tombstone.
    const newest = raw
      .prepare(
        `SELECT l.key, l.id, l.kind, l.value, k.id AS kvId FROM log l LEFT JOIN kv k ON k.key = l.key
         WHERE l.id = (SELECT max(id) FROM log m WHERE m.key = l.key)`,
      )
      .all() as { key: string; id: number; kind: number; value: string | null; kvId: number | null }[];
    for (const n of newest) expect(n.kind === 2 ? n.kvId : n.id, n.key).toBe(n.kind === 2 ? null : n.kvId);
    expect(raw.prepare('SELECT count(*) FROM kv').pluck().get()).toBe(
      newest.filter((n) => n.kind !== 2).length,
    );
    // Revisions are dense: nothing was compacted, so every revision up to the head is a row.
    const { n, max } = raw.prepare('SELECT count(*) AS n, max(id) AS max FROM log').get() as {
      n: number;
      max: number;
    };
    expect(n).toBe(max);
    return newest;
  } finally {
    raw.close();
  }
}

function verifyStore(file: string, acks: Ack[], newest: ReturnType<typeof verifyLog>): void {
  const store = openSqliteStore(file);
  try {
    expect(store.currentRevision()).toBeGreaterThanOrEqual(Math.max(...acks.map((a) => a.rev)));
    const byKey = new Map(newest.map((n) => [n.key, n]));
    // Writes that committed but were not printed before the kill may follow the last ack.
    for (const a of acks) expect(byKey.get(a.key)?.id).toBeGreaterThanOrEqual(a.rev);
    for (const n of newest) {
      const cur = store.get(n.key);
      if (n.kind === 2) expect(cur, n.key).toBeUndefined();
      else expect(cur, n.key).toMatchObject({ value: n.value, modRevision: n.id });
    }
  } finally {
    store.close();
  }
}

it('keeps every acknowledged write across kill -9 of the writing process', async () => {
  const file = join(dir, 'store.db');
  const acks: Ack[] = [];
  for (let round = 0; round < 3; round++) {
    acks.push(...(await runAndKill(file, round, 500 + Math.floor(Math.random() * 2000))));
    verifyStore(file, acks, verifyLog(file, acks));
  }
  expect(acks.length).toBeGreaterThan(1500);
});
