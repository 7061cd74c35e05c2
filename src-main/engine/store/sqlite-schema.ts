import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';

/** Row kinds in the log table. */
export const LogKind = { Create: 0, Update: 1, Delete: 2 } as const;
export type LogKind = (typeof LogKind)[keyof typeof LogKind];

export interface SqliteStoreOptions {
  /**
   * `NORMAL` (default): every acknowledged write survives the process being killed (kill -9,
   * crash, OOM); the last few may be lost if the whole machine loses power, but the file is never
   * corrupted. `FULL`: also survives power loss, at the cost of an fsync per write.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** Caps the database at this many pages (4 KiB each); writes past it fail with SQLITE_FULL. */
  maxPageCount?: number;
}

const schemaVersion = 1;

/**
 * The database holds Secrets: it and its -wal/-shm files are readable by the owner only. SQLite
 * gives the -wal and -shm files the mode of the database file, so creating that one 0600 first
 * covers the others; chmod fixes files an older build created more open.
 */
function restrictToOwner(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if (existsSync(path) && (statSync(path).mode & 0o777) !== 0o600) chmodSync(path, 0o600);
    } catch {
      // A file we may not change (read-only mount, not ours) is opened as it is.
    }
  }
}

/**
 * Opens (creating if needed) the database behind the store and brings its schema up to date.
 *
 * - `log` is the append-only history: its id is the global revision. A row is a create, update
 *   or delete (tombstone, value NULL) of one key; `prev_revision` points at the key's previous
 *   row, which is where updates and deletes find their previous value. AUTOINCREMENT makes
 *   sqlite_sequence remember the highest revision ever used, even after compaction removed it.
 * - `kv` maps each live key to its latest log row: the index that makes get/list/count fast.
 * - `meta` holds the compacted revision.
 */
export function openDatabase(file: string, options: SqliteStoreOptions = {}): SqliteDatabase {
  if (file !== ':memory:' && file !== '') restrictToOwner(file);
  const db = new Database(file);
  try {
    // WAL: readers never block the writer, and a commit is one append to the -wal file.
    db.pragma('journal_mode = WAL');
    // In WAL mode a transaction is committed once its frames are write()n to the -wal file; with
    // NORMAL, SQLite skips the fsync at commit (it syncs at checkpoints instead). Data that was
    // write()n sits in the OS page cache, which outlives the process, so a write acknowledged to
    // the caller survives kill -9 (SQLite's pragma docs: commits are durable across application
    // crashes whatever the synchronous setting; crash.test.ts checks it). Only an OS crash or power
    // cut can drop the newest commits, and WAL still recovers to a consistent state. For a local
    // dev cluster that is the right trade: FULL costs an fsync per write (milliseconds on laptop
    // disks) on the API hot path. Callers who need power-loss durability pass `FULL`.
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma('busy_timeout = 5000');
    if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > schemaVersion) {
      throw new Error(`store schema version ${version} is newer than this build supports (${schemaVersion})`);
    }
    if (version < schemaVersion) {
      db.transaction(() => {
        db.exec(`
          CREATE TABLE IF NOT EXISTS log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT NOT NULL,
            kind INTEGER NOT NULL,
            create_revision INTEGER NOT NULL,
            prev_revision INTEGER,
            value TEXT
          );
          CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
          CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
          INSERT OR IGNORE INTO meta (name, value) VALUES ('compacted_revision', 0);
        `);
        db.pragma(`user_version = ${schemaVersion}`);
      }).immediate();
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
