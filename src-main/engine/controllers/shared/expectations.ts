import type { Clock } from '../runtime/clock';

/** How long an unmet expectation blocks syncs before it is considered lost (as Kubernetes). */
const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Expectation {
  add: number;
  del: number;
  /** Keys of pods whose deletion was asked for and not yet observed. */
  deleting: Set<string>;
  at: number;
}

/**
 * Kubernetes' ControllerExpectations: a controller that created or deleted pods does not act
 * again on its (lagging) informer cache until it has observed those writes, so a burst of
 * reconciles never creates duplicates. Expectations expire after five minutes.
 */
export class Expectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  /** True when the controller may trust its cache for `key`. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now().getTime() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, count: number): void {
    this.byKey.set(key, { add: count, del: 0, deleting: new Set(), at: this.clock.now().getTime() });
  }

  expectDeletions(key: string, podKeys: string[]): void {
    this.byKey.set(key, {
      add: 0,
      del: podKeys.length,
      deleting: new Set(podKeys),
      at: this.clock.now().getTime(),
    });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.add--;
  }

  /** A deletion was observed (or will never happen): counts once per pod key. */
  deletionObserved(key: string, podKey: string): void {
    const e = this.byKey.get(key);
    if (e && e.deleting.delete(podKey)) e.del--;
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}
