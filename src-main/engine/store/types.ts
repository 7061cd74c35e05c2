/**
 * The engine's storage contract: a revisioned key/value log (kine-like). The store knows
 * nothing about Kubernetes kinds; values are opaque JSON text.
 *
 * Every write gets the next global revision. `modRevision` of a key is the revision of its
 * last write; `createRevision` the revision that created it. The apiserver exposes
 * `modRevision` as `metadata.resourceVersion`.
 */
export interface StoreRecord {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
}

export interface StoreWatchEvent {
  type: 'create' | 'update' | 'delete';
  key: string;
  /** The value after the write; for `delete`, the last value the key held. */
  value: string;
  /** The value before the write (absent for `create`). */
  prevValue?: string;
  /** Revision of this event (for delete: the revision of the delete itself). */
  revision: number;
  createRevision: number;
}

export interface ListResult {
  records: StoreRecord[];
  /** The store revision the list is consistent with. */
  revision: number;
}

export interface ListOptions {
  /** Only keys strictly greater than this one (for paging). */
  startAfter?: string;
  /** At most this many records. */
  limit?: number;
}

/** Raised when a compare-and-set precondition fails (stale revision or key state). */
export class StoreConflictError extends Error {
  constructor(
    readonly key: string,
    readonly reason: 'exists' | 'missing' | 'stale',
  ) {
    super(`store conflict on ${key}: ${reason}`);
  }
}

/** Raised when a watch asks for a revision that compaction already removed. */
export class StoreCompactedError extends Error {
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`revision ${requested} has been compacted (oldest available ${compacted + 1})`);
  }
}

export type Unsubscribe = () => void;

export interface KeyValueStore {
  /** The revision of the latest write (0 when empty). */
  currentRevision(): number;
  /** The highest revision removed by compaction (0 when none). */
  compactedRevision(): number;
  get(key: string): StoreRecord | undefined;
  /** Keys starting with `prefix`, in key order, consistent with one revision. */
  list(prefix: string, options?: ListOptions): ListResult;
  /** Count of keys under prefix (for remainingItemCount). */
  count(prefix: string): number;
  /** Fails with StoreConflictError('exists') if the key exists. Returns the new revision. */
  create(key: string, value: string): number;
  /**
   * Compare-and-set: fails with StoreConflictError('stale') when `expectedModRevision` is
   * given and differs from the key's current modRevision, or ('missing') if absent.
   */
  update(key: string, value: string, expectedModRevision?: number): number;
  /** Same preconditions as update. Returns the revision of the delete. */
  delete(key: string, expectedModRevision?: number): number;
  /**
   * Calls `onEvent` for every write under `prefix` with revision > `afterRevision`, first
   * replaying history from the log, then live, in revision order without gaps or
   * duplicates. Throws StoreCompactedError when `afterRevision` < compactedRevision().
   */
  watch(prefix: string, afterRevision: number, onEvent: (event: StoreWatchEvent) => void): Unsubscribe;
  /** Drops history at or below `revision` (the latest value of every live key is kept). */
  compact(revision: number): void;
  close(): void;
}
