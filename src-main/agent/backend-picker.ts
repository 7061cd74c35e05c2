import type { Backend } from './service-table';

/**
 * Chooses a backend per connection: round-robin over the current backends (so N connections
 * spread over all of them), or the client's previous backend while its affinity lasts.
 */
export class BackendPicker {
  private next = 0;
  private readonly affinity = new Map<string, { backend: Backend; expires: number }>();

  /** Backends to try in order: the chosen one first, then the others as fallbacks. */
  order(
    backends: Backend[],
    clientIp: string,
    affinitySeconds: number | undefined,
    now = Date.now(),
  ): Backend[] {
    if (backends.length === 0) return [];
    let start = -1;
    if (affinitySeconds !== undefined) {
      const sticky = this.affinity.get(clientIp);
      if (sticky && sticky.expires > now) {
        start = backends.findIndex((b) => b.ip === sticky.backend.ip && b.port === sticky.backend.port);
      }
    }
    if (start < 0) {
      start = this.next % backends.length;
      this.next = (this.next + 1) % 1_000_000;
    }
    const ordered = [...backends.slice(start), ...backends.slice(0, start)];
    if (affinitySeconds !== undefined) {
      this.affinity.set(clientIp, { backend: ordered[0], expires: now + affinitySeconds * 1000 });
      if (this.affinity.size > 10_000) this.prune(now);
    }
    return ordered;
  }

  /** Remembers that a client ended up on `backend` (after a fallback). */
  stick(clientIp: string, backend: Backend, affinitySeconds: number | undefined, now = Date.now()): void {
    if (affinitySeconds !== undefined)
      this.affinity.set(clientIp, { backend, expires: now + affinitySeconds * 1000 });
  }

  private prune(now: number): void {
    for (const [ip, entry] of this.affinity) if (entry.expires <= now) this.affinity.delete(ip);
  }
}
