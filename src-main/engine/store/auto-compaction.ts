import type { KeyValueStore } from './types';

export interface AutoCompactionOptions {
  /** How often to compact. Default 5 minutes (what kube-apiserver asks etcd for). */
  intervalMs?: number;
  /** Revisions of history kept behind the current one for watches to resume from. Default 5,000. */
  retainRevisions?: number;
  /** Told when a compaction fails; the next interval tries again. Default: console.error. */
  onError?: (error: unknown) => void;
}

/**
 * Compacts `store` every `intervalMs`, keeping the last `retainRevisions` revisions of history.
 * The timer never keeps the process alive. Returns a function that stops it.
 */
export function startAutoCompaction(store: KeyValueStore, options: AutoCompactionOptions = {}): () => void {
  const intervalMs = options.intervalMs ?? 5 * 60_000;
  const retain = Math.max(0, options.retainRevisions ?? 5_000);
  const onError = options.onError ?? ((error: unknown) => console.error('store compaction:', error));
  const timer = setInterval(() => {
    const target = store.currentRevision() - retain;
    if (target <= store.compactedRevision()) return;
    try {
      store.compact(target);
    } catch (error) {
      onError(error);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
