import type { KubeObject } from '../../k8s-object';
import type { Clock } from '../runtime/clock';

const EXPECTATION_TTL_MS = 5 * 60_000;

/**
 * Creations and deletions a controller made but its informer cache has not shown yet
 * (client-go's ControllerExpectations): while any are outstanding the controller must not
 * count pods again, or it would create duplicates. Entries expire after five minutes.
 */
export class Expectations {
  private readonly pending = new Map<string, { adds: Set<string>; deletes: Set<string>; at: number }>();

  constructor(private readonly clock: Clock) {}

  private entry(key: string) {
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { adds: new Set(), deletes: new Set(), at: 0 };
      this.pending.set(key, entry);
    }
    entry.at = this.clock.now().getTime();
    return entry;
  }

  expectCreate(key: string, name: string): void {
    this.entry(key).adds.add(name);
  }

  expectDelete(key: string, name: string): void {
    this.entry(key).deletes.add(name);
  }

  /** True when every expected change is visible through `lookup` (by object name). */
  satisfied(key: string, lookup: (name: string) => KubeObject | undefined): boolean {
    const entry = this.pending.get(key);
    if (!entry) return true;
    for (const name of entry.adds) if (lookup(name)) entry.adds.delete(name);
    for (const name of entry.deletes) {
      const obj = lookup(name);
      if (!obj || obj.metadata.deletionTimestamp) entry.deletes.delete(name);
    }
    const done =
      (entry.adds.size === 0 && entry.deletes.size === 0) ||
      this.clock.now().getTime() - entry.at > EXPECTATION_TTL_MS;
    if (done) this.pending.delete(key);
    return done;
  }

  forget(key: string): void {
    this.pending.delete(key);
  }
}
