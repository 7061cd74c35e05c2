import type { KeyValueStore } from './types';

export interface AutoCompactionOptions {
  /** How often to compact. Default 5 minutes (what kube-apiserver asks etcd for). */
  intervalMs?: number;
  /** Revisions of history kept behind the current one for watches to resume from. Default 5,000. */
  retainRevisions?: number;
  /**
   * Revisions compacted per step; other work runs between steps so a large backlog does not stall
   * the event loop. Default 10,000 (about 20 ms of work).
   */
  stepRevisions?: number;
  /** Told when a compaction fails; the next interval tries again. Default: console.error. */
  onError?: (error: unknown) => void;
}

/**
 * Compacts `store` every `intervalMs`, keeping the last `retainRevisions` revisions of history.
 * The timer never keeps the process alive. Returns a function that stops it (a step already
 * scheduled does not run after that).
 */
export function startAutoCompaction(store: KeyValueStore, options: AutoCompactionOptions = {}): () => void {
  const intervalMs = options.intervalMs ?? 5 * 60_000;
  const retain = Math.max(0, options.retainRevisions ?? 5_000);
  const step = Math.max(1, options.stepRevisions ?? 10_000);
  const onError = options.onError ?? ((error: unknown) => console.error('store compaction:', error));
  let stopped = false;
  let running = false;

  const compactStep = (target: number): void => {
    if (stopped) {
      running = false;
      return;
    }
    try {
      const from = store.compactedRevision();
      store.compact(Math.min(target, from + step));
      const reached = store.compactedRevision();
      // Stop early when the store held back (a watch still replaying that history).
      if (reached < target && reached > from) {
        setImmediate(() => compactStep(target)).unref();
        return;
      }
    } catch (error) {
      onError(error);
    }
    running = false;
  };

  const timer = setInterval(() => {
    if (running) return;
    const target = store.currentRevision() - retain;
    if (target <= store.compactedRevision()) return;
    running = true;
    compactStep(target);
  }, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
