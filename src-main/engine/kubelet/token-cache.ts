import type { V1Pod } from '@kubernetes/client-node';
import type { Clock } from '../controllers/runtime/clock';

export type TokenSource = (
  pod: V1Pod,
  audience?: string,
  expirationSeconds?: number,
) => Promise<string | undefined> | string | undefined;

/**
 * Wraps a token source so each pod keeps its token until 80 % of its lifetime has passed,
 * as the kubelet's token manager does: volumes are re-synced often, tokens must not change
 * (and be re-signed) on every sync.
 */
export function cachedTokens(
  source: TokenSource,
  clock: Clock,
): {
  get(pod: V1Pod, audience?: string, expirationSeconds?: number): Promise<string | undefined>;
  prune(live: Set<string>): void;
} {
  const cache = new Map<string, { token: string; refreshAt: number }>();
  return {
    async get(pod, audience, expirationSeconds) {
      const key = `${pod.metadata?.uid}|${audience ?? ''}|${expirationSeconds ?? ''}`;
      const now = clock.now().getTime();
      const hit = cache.get(key);
      if (hit && now < hit.refreshAt) return hit.token;
      const token = await source(pod, audience, expirationSeconds);
      if (token !== undefined)
        cache.set(key, { token, refreshAt: now + 0.8 * (expirationSeconds ?? 3600) * 1000 });
      return token;
    },
    prune(live) {
      for (const key of [...cache.keys()]) if (!live.has(key.split('|')[0])) cache.delete(key);
    },
  };
}
