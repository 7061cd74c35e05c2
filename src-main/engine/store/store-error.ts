/**
 * Raised when the underlying database fails (disk full, read-only file, corrupt file, closed
 * store…). The write that raised it was rolled back as a whole: nothing of it is visible.
 */
export class StoreError extends Error {
  constructor(
    message: string,
    /** SQLite's extended result code name when known (e.g. `SQLITE_FULL`), else `UNKNOWN`. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

const hints: Record<string, string> = {
  SQLITE_FULL: 'the disk (or the store size limit) is full',
  SQLITE_READONLY: 'the store file is read-only',
  SQLITE_CORRUPT: 'the store file is corrupt',
  SQLITE_NOTADB: 'the file is not a store database (corrupt or foreign file)',
  SQLITE_CANTOPEN: 'the store file cannot be opened',
  SQLITE_IOERR: 'an I/O error occurred',
  SQLITE_BUSY: 'another process holds the store locked',
};

/** Wraps any failure of the database layer in a StoreError naming the operation that failed. */
export function toStoreError(error: unknown, operation: string): StoreError {
  if (error instanceof StoreError) return error;
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : 'UNKNOWN';
  const detail = error instanceof Error ? error.message : String(error);
  const base = Object.keys(hints).find((k) => code === k || code.startsWith(`${k}_`));
  const hint = base ? `${hints[base]}: ` : '';
  return new StoreError(`store ${operation} failed: ${hint}${detail} (${code})`, code, { cause: error });
}
