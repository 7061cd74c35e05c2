import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import { prefixUpperBound } from './key-range';
import { LogKind, openDatabase } from './sqlite-schema';
import type { SqliteStoreOptions } from './sqlite-schema';
import { StoreError, toStoreError } from './store-error';
import { StoreConflictError } from './types';
import type {
  KeyValueStore,
  ListOptions,
  ListResult,
  StoreRecord,
  StoreWatchEvent,
  Unsubscribe,
} from './types';
import { WatchHub } from './watch-hub';
import type { WatchHubOptions } from './watch-hub';

export type { SqliteStoreOptions } from './sqlite-schema';

export interface OpenSqliteStoreOptions extends SqliteStoreOptions {
  watch?: WatchHubOptions;
}

/**
 * Opens the store kept in the SQLite file `file` (`':memory:'` for a throwaway one).
 *
 * Guarantees: every write is one transaction that either fully commits or leaves no trace; a
 * returned revision is durable against the process being killed (see SqliteStoreOptions for power
 * loss); database failures surface as StoreError, precondition failures as StoreConflictError.
 * The file must be owned by this one store instance (one engine process per cluster): revisions
 * and watches are tracked in memory.
 */
export function openSqliteStore(file: string, options: OpenSqliteStoreOptions = {}): KeyValueStore {
  let db: SqliteDatabase;
  try {
    db = openDatabase(file, options);
  } catch (error) {
    throw toStoreError(error, `open of ${file}`);
  }
  return new SqliteStore(db, options.watch);
}

interface CurrentRow {
  value: string;
  createRevision: number;
  modRevision: number;
}

interface LogEventRow {
  revision: number;
  key: string;
  kind: LogKind;
  createRevision: number;
  value: string | null;
  prevValue: string | null;
}

const recordColumns =
  'k.key AS key, l.value AS value, l.create_revision AS createRevision, l.id AS modRevision';

class SqliteStore implements KeyValueStore {
  private revision: number;
  private compacted: number;
  private closed = false;
  private readonly hub: WatchHub;
  private readonly stmt: ReturnType<typeof prepareStatements>;
  private readonly createTx: (key: string, value: string) => number;
  private readonly updateTx: (
    key: string,
    value: string,
    expected: number | undefined,
  ) => CurrentRow & { rev: number };
  private readonly deleteTx: (key: string, expected: number | undefined) => CurrentRow & { rev: number };
  private readonly compactTx: (from: number, to: number) => void;

  constructor(
    private readonly db: SqliteDatabase,
    watchOptions?: WatchHubOptions,
  ) {
    const s = (this.stmt = prepareStatements(db));
    this.revision = (s.sequence.get() as number | undefined) ?? 0;
    this.compacted = (s.compacted.get() as number | undefined) ?? 0;
    this.hub = new WatchHub(
      {
        currentRevision: () => this.revision,
        compactedRevision: () => this.compacted,
        readEvents: (prefix, after, limit) => this.readEvents(prefix, after, limit),
      },
      watchOptions,
    );

    // Revisions are assigned here rather than by SQLite so the new row can carry its own revision
    // as create_revision; the primary key still rejects a revision that is somehow taken.
    this.createTx = db.transaction((key: string, value: string) => {
      if (s.exists.get(key) !== undefined) throw new StoreConflictError(key, 'exists');
      const rev = this.revision + 1;
      s.insertLog.run(rev, key, LogKind.Create, rev, null, value);
      s.insertKv.run(key, rev);
      return rev;
    }).immediate;
    this.updateTx = db.transaction((key: string, value: string, expected: number | undefined) => {
      const cur = this.current(key, expected);
      const rev = this.revision + 1;
      s.insertLog.run(rev, key, LogKind.Update, cur.createRevision, cur.modRevision, value);
      s.updateKv.run(rev, key);
      return { ...cur, rev };
    }).immediate;
    this.deleteTx = db.transaction((key: string, expected: number | undefined) => {
      const cur = this.current(key, expected);
      const rev = this.revision + 1;
      s.insertLog.run(rev, key, LogKind.Delete, cur.createRevision, cur.modRevision, null);
      s.deleteKv.run(key);
      return { ...cur, rev };
    }).immediate;
    this.compactTx = db.transaction((from: number, to: number) => {
      // A row is superseded exactly when a later row of its key points at it; only rows written
      // in (from, to] can newly supersede something, and what they supersede is older still.
      s.compactSuperseded.run({ from, to });
      s.compactTombstones.run({ from, to });
      s.setCompacted.run(to);
    }).immediate;
  }

  currentRevision(): number {
    return this.revision;
  }

  compactedRevision(): number {
    return this.compacted;
  }

  get(key: string): StoreRecord | undefined {
    return this.read(`get of ${key}`, () => this.stmt.get.get(key) as StoreRecord | undefined);
  }

  list(prefix: string, options: ListOptions = {}): ListResult {
    const hi = prefixUpperBound(prefix);
    const { startAfter } = options;
    const afterStart = startAfter !== undefined && compareKeys(startAfter, prefix) >= 0;
    const limit = options.limit !== undefined && options.limit > 0 ? Math.floor(options.limit) : -1;
    const stmt = this.stmt.list[afterStart ? 'after' : 'from'][hi === undefined ? 'open' : 'bounded'];
    const lo = afterStart ? startAfter : prefix;
    return this.read(`list of ${prefix}`, () => ({
      records: (hi === undefined ? stmt.all({ lo, limit }) : stmt.all({ lo, hi, limit })) as StoreRecord[],
      // Single connection, synchronous calls: nothing can commit between the query and this read.
      revision: this.revision,
    }));
  }

  count(prefix: string): number {
    const hi = prefixUpperBound(prefix);
    return this.read(`count of ${prefix}`, () =>
      hi === undefined
        ? (this.stmt.countOpen.get(prefix) as number)
        : (this.stmt.countBounded.get(prefix, hi) as number),
    );
  }

  create(key: string, value: string): number {
    checkKey(key);
    const rev = this.write(`create of ${key}`, () => this.createTx(key, value));
    this.revision = rev;
    this.hub.publish({ type: 'create', key, value, revision: rev, createRevision: rev });
    return rev;
  }

  update(key: string, value: string, expectedModRevision?: number): number {
    checkKey(key);
    const prev = this.write(`update of ${key}`, () => this.updateTx(key, value, expectedModRevision));
    this.revision = prev.rev;
    this.hub.publish({
      type: 'update',
      key,
      value,
      prevValue: prev.value,
      revision: prev.rev,
      createRevision: prev.createRevision,
    });
    return prev.rev;
  }

  delete(key: string, expectedModRevision?: number): number {
    checkKey(key);
    const prev = this.write(`delete of ${key}`, () => this.deleteTx(key, expectedModRevision));
    this.revision = prev.rev;
    this.hub.publish(deleteEvent(key, prev.value, prev.rev, prev.createRevision));
    return prev.rev;
  }

  watch(prefix: string, afterRevision: number, onEvent: (event: StoreWatchEvent) => void): Unsubscribe {
    return this.hub.watch(prefix, afterRevision, onEvent);
  }

  /**
   * Drops history at or below `revision` (clamped to the current revision, and to the oldest
   * history a watch is still replaying so that watch never misses events).
   */
  compact(revision: number): void {
    const target = Math.min(Math.floor(revision), this.revision, this.hub.oldestReplayPosition() ?? Infinity);
    if (target <= this.compacted) return;
    this.write(`compaction to ${target}`, () => this.compactTx(this.compacted, target));
    this.compacted = target;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.hub.close();
    this.db.close();
  }

  private current(key: string, expected: number | undefined): CurrentRow {
    const cur = this.stmt.current.get(key) as CurrentRow | undefined;
    if (cur === undefined) throw new StoreConflictError(key, 'missing');
    if (expected !== undefined && expected !== cur.modRevision) throw new StoreConflictError(key, 'stale');
    return cur;
  }

  private readEvents(prefix: string, after: number, limit: number): StoreWatchEvent[] {
    const hi = prefixUpperBound(prefix);
    const rows = this.read(`watch replay of ${prefix}`, () =>
      hi === undefined
        ? this.stmt.eventsOpen.all({ after, lo: prefix, limit })
        : this.stmt.eventsBounded.all({ after, lo: prefix, hi, limit }),
    ) as LogEventRow[];
    return rows.map(toEvent);
  }

  private read<T>(operation: string, fn: () => T): T {
    if (this.closed) throw new StoreError(`store ${operation} failed: the store is closed`, 'CLOSED');
    try {
      return fn();
    } catch (error) {
      throw toStoreError(error, operation);
    }
  }

  private write<T>(operation: string, fn: () => T): T {
    if (this.closed) throw new StoreError(`store ${operation} failed: the store is closed`, 'CLOSED');
    try {
      return fn();
    } catch (error) {
      if (error instanceof StoreConflictError) throw error;
      // better-sqlite3 rolls back on a throw; this covers a failure of that rollback itself.
      if (this.db.inTransaction) {
        try {
          this.db.exec('ROLLBACK');
        } catch {
          // The connection is unusable either way; the original error is the one worth reporting.
        }
      }
      throw toStoreError(error, operation);
    }
  }
}

function prepareStatements(db: SqliteDatabase) {
  const listSql = (lower: string, upper: string) =>
    `SELECT ${recordColumns} FROM kv k JOIN log l ON l.id = k.id
     WHERE k.key ${lower} @lo ${upper} ORDER BY k.key LIMIT @limit`;
  const eventsSql = (upper: string) =>
    `SELECT l.id AS revision, l.key AS key, l.kind AS kind, l.create_revision AS createRevision,
            l.value AS value, p.value AS prevValue
     FROM log l LEFT JOIN log p ON p.id = l.prev_revision
     WHERE l.id > @after AND l.key >= @lo ${upper} ORDER BY l.id LIMIT @limit`;
  const pluck = (sql: string): Statement => db.prepare(sql).pluck();
  return {
    sequence: pluck(`SELECT seq FROM sqlite_sequence WHERE name = 'log'`),
    compacted: pluck(`SELECT value FROM meta WHERE name = 'compacted_revision'`),
    get: db.prepare(`SELECT ${recordColumns} FROM kv k JOIN log l ON l.id = k.id WHERE k.key = ?`),
    current: db.prepare(
      `SELECT l.value AS value, l.create_revision AS createRevision, l.id AS modRevision
       FROM kv k JOIN log l ON l.id = k.id WHERE k.key = ?`,
    ),
    exists: pluck(`SELECT 1 FROM kv WHERE key = ?`),
    list: {
      from: { bounded: db.prepare(listSql('>=', 'AND k.key < @hi')), open: db.prepare(listSql('>=', '')) },
      after: { bounded: db.prepare(listSql('>', 'AND k.key < @hi')), open: db.prepare(listSql('>', '')) },
    },
    countBounded: pluck(`SELECT count(*) FROM kv WHERE key >= ? AND key < ?`),
    countOpen: pluck(`SELECT count(*) FROM kv WHERE key >= ?`),
    eventsBounded: db.prepare(eventsSql('AND l.key < @hi')),
    eventsOpen: db.prepare(eventsSql('')),
    insertLog: db.prepare(
      `INSERT INTO log (id, key, kind, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    insertKv: db.prepare(`INSERT INTO kv (key, id) VALUES (?, ?)`),
    updateKv: db.prepare(`UPDATE kv SET id = ? WHERE key = ?`),
    deleteKv: db.prepare(`DELETE FROM kv WHERE key = ?`),
    compactSuperseded: db.prepare(
      `DELETE FROM log WHERE id IN
         (SELECT prev_revision FROM log WHERE id > @from AND id <= @to AND prev_revision IS NOT NULL)`,
    ),
    compactTombstones: db.prepare(
      `DELETE FROM log WHERE id > @from AND id <= @to AND kind = ${LogKind.Delete}`,
    ),
    setCompacted: db.prepare(`UPDATE meta SET value = ? WHERE name = 'compacted_revision'`),
  };
}

function toEvent(row: LogEventRow): StoreWatchEvent {
  const { revision, key, createRevision } = row;
  // A row's predecessor outlives it through compaction (it is only superseded by this row).
  const prevValue = row.prevValue ?? '';
  switch (row.kind) {
    case LogKind.Create:
      return { type: 'create', key, value: row.value ?? '', revision, createRevision };
    case LogKind.Update:
      return { type: 'update', key, value: row.value ?? '', prevValue, revision, createRevision };
    default:
      return deleteEvent(key, prevValue, revision, createRevision);
  }
}

function deleteEvent(
  key: string,
  lastValue: string,
  revision: number,
  createRevision: number,
): StoreWatchEvent {
  return { type: 'delete', key, value: lastValue, prevValue: lastValue, revision, createRevision };
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0)
    throw new TypeError('store keys must be non-empty strings');
}

/** Orders keys the way SQLite's BINARY collation does (UTF-8 bytes), which is how `list` pages. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
