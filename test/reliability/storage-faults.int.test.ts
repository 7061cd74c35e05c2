/**
 * The state store when the disk fills up or its file is read-only: writes fail with a clear
 * error and the engine keeps serving reads; nothing acknowledged is lost, the file passes
 * SQLite's integrity check, and writes work again once space (or write access) returns.
 * The disk is a small tmpfs and the read-only file a read-only bind mount, so these run as root.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, rmdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, ok, TestProfile, waitFor } from './harness';

const isRoot = process.getuid?.() === 0;
let mountPoint = '';
let profile: TestProfile;
const acknowledged = new Set<string>();

function mount(args: string[]): void {
  execFileSync('mount', args, { stdio: 'pipe' });
}

function fillDisk(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(1024 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch {
    // ENOSPC: the disk is full.
  } finally {
    closeSync(fd);
  }
}

const bigConfigMap = (name: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name },
    data: { blob: 'x'.repeat(300_000) },
  });

async function create(name: string, body = bigConfigMap(name)) {
  const answer = await profile.call('POST', '/api/v1/namespaces/default/configmaps', body, {
    'content-type': 'application/json',
  });
  if (answer.status === 201) acknowledged.add(name);
  return answer;
}

async function storedNames(): Promise<Set<string>> {
  const list = await profile.kubectlJson<{ items: { metadata: { name: string } }[] }>(['get', 'configmaps']);
  return new Set(list.items.map((cm) => cm.metadata.name));
}

beforeAll(async () => {
  if (!isRoot) return;
  mountPoint = mkdtempSync(join(tmpdir(), 'kubedesk-disk-'));
  mount(['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mountPoint]);
  // The profile's home is a folder on the small disk, so deleting it leaves the mount point.
  profile = await TestProfile.create('disk', {}, join(mountPoint, 'home'));
  await profile.start();
});

afterAll(async () => {
  if (!isRoot) return;
  try {
    execFileSync('umount', [join(profile.dir, 'state.db')], { stdio: 'pipe' });
  } catch {
    // Not mounted.
  }
  rmSync(join(mountPoint, 'filler'), { force: true });
  try {
    await profile?.cleanup();
  } finally {
    execFileSync('umount', [mountPoint], { stdio: 'pipe' });
    rmdirSync(mountPoint);
  }
});

describe.skipIf(!isRoot)('a full disk', () => {
  it('fails writes with a clear error while reads go on, then recovers once space returns', async () => {
    expect((await create('before')).status).toBe(201);
    fillDisk(join(mountPoint, 'filler'));

    let failure: { status: number; body: string } | undefined;
    for (let i = 0; i < 40 && !failure; i++) {
      const answer = await create(`during-${i}`);
      if (answer.status !== 201) failure = answer;
    }
    expect(failure, 'a write failed on the full disk').toBeDefined();
    expect(failure?.status).toBe(500);
    expect(JSON.parse(failure?.body ?? '{}')).toMatchObject({
      kind: 'Status',
      code: 500,
      message: expect.stringContaining('full'),
    });
    // The engine keeps serving although its log cannot be written either (a failed log write
    // once turned into an endless loop of logging the failure).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await profile.kubectl(['get', 'configmap', 'before', '-o', 'name'])).stdout.trim()).toBe(
      'configmap/before',
    );
    const read = await profile.call(
      'GET',
      '/api/v1/namespaces/default/configmaps/before',
      undefined,
      {},
      { timeoutMs: 10_000 },
    );
    expect(read.status).toBe(200);
    const pid = await profile.enginePid();
    expect(pid !== undefined && alive(pid)).toBe(true);

    rmSync(join(mountPoint, 'filler'));
    await waitFor('writes to work again', async () => (await create('after')).status === 201, 30_000);
    const stored = await storedNames();
    expect([...acknowledged].filter((name) => !stored.has(name))).toEqual([]);
  });

  it('leaves a database that passes SQLite integrity checks', async () => {
    ok(await profile.kubedesk(['stop']));
    const db = new Database(join(profile.dir, 'state.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});

describe.skipIf(!isRoot)('a read-only state file', () => {
  it('fails the start with a clear error, then starts normally once writable again', async () => {
    const file = join(profile.dir, 'state.db');
    mount(['--bind', file, file]);
    mount(['-o', 'remount,bind,ro', file]);
    const result = await profile.kubedesk(['start'], { timeout: 120_000 });
    expect(result.code).not.toBe(0);
    expect(result.ms).toBeLessThan(90_000);
    const last = result.stderr.trim().split('\n').at(-1) ?? '';
    expect(last).toMatch(/^Error: .*read-only/);

    execFileSync('umount', [file], { stdio: 'pipe' });
    await profile.start();
    const stored = await storedNames();
    expect([...acknowledged].filter((name) => !stored.has(name))).toEqual([]);
    ok(await profile.kubectl(['create', 'configmap', 'writable-again']));
  });
});
