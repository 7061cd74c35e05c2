/**
 * Per-key exponential back-off like Kubernetes' flowcontrol.Backoff, used for container
 * restarts (CrashLoopBackOff) and image pulls (ImagePullBackOff): the first retry is
 * immediate, then each retry waits twice as long as the previous one, from `initialMs` up to
 * `maxMs`. An entry untouched for `resetAfterMs` starts over.
 */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** An entry not used for this long is forgotten (Kubernetes: 2 × max). */
  resetAfterMs?: number;
}

interface Entry {
  delayMs: number;
  /** When `next` was last called. */
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();
  readonly initialMs: number;
  readonly maxMs: number;
  private readonly resetAfterMs: number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 10_000;
    this.maxMs = options.maxMs ?? 300_000;
    this.resetAfterMs = options.resetAfterMs ?? 2 * this.maxMs;
  }

  /** The current delay for `key` (0 when there is none). */
  delay(key: string, now: number): number {
    const entry = this.live(key, now);
    return entry?.delayMs ?? 0;
  }

  /**
   * True while `now` is within the current delay counted from `since` (the time the last
   * attempt ended); a key never seen is not in back-off.
   */
  isInBackOffSince(key: string, since: number, now: number): boolean {
    const entry = this.live(key, now);
    return entry !== undefined && now - since < entry.delayMs;
  }

  /** Milliseconds left of the back-off counted from `since` (0 when not in back-off). */
  remaining(key: string, since: number, now: number): number {
    const entry = this.live(key, now);
    return entry ? Math.max(0, entry.delayMs - (now - since)) : 0;
  }

  /** Records an attempt: starts at `initialMs`, then doubles up to `maxMs`. */
  next(key: string, now: number): number {
    const entry = this.live(key, now);
    const delayMs = entry ? Math.min(this.maxMs, entry.delayMs * 2) : this.initialMs;
    this.entries.set(key, { delayMs, lastUpdate: now });
    return delayMs;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key for which `keep` answers false. */
  prune(keep: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (!keep(key)) this.entries.delete(key);
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.lastUpdate > this.resetAfterMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
