import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store';

describe('state database file mode', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const mode = (path: string) => statSync(path).mode & 0o777;

  it('creates the database and its WAL files readable by the owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-mode-'));
    dirs.push(dir);
    const file = join(dir, 'state.db');
    const store = openSqliteStore(file);
    store.create('/registry/secrets/default/s', '{"data":{"password":"c2VjcmV0"}}');
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(`${file}-shm`)).toBe(0o600);
    store.close();
  });

  it('closes up a database an older build left world-readable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-mode-'));
    dirs.push(dir);
    const file = join(dir, 'state.db');
    openSqliteStore(file).close();
    chmodSync(file, 0o644);
    const store = openSqliteStore(file);
    expect(mode(file)).toBe(0o600);
    store.close();
  });
});
