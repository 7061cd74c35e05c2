import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { ImagePullError, type ContainerRuntime, type RegistryAuth } from '../runtime/types';
import { Backoff } from './backoff';
import { errorText, pullPolicy } from './pod-helpers';
import type { WaitingReason } from './status';

/** Reports one event about the pod's container (reason, message, type). */
export type ContainerEvent = (type: 'Normal' | 'Warning', reason: string, message: string) => void;

export type PullOutcome = { ok: true } | { ok: false; waiting: WaitingReason; retryAfterMs: number };

/**
 * Makes a container's image present per its pull policy, with the kubelet's events (Pulling,
 * Pulled, Failed, BackOff) and per-container back-off: a failed pull shows `ErrImagePull`,
 * later syncs inside the back-off window show `ImagePullBackOff` (10 s doubling to 5 min).
 */
export class ImagePuller {
  private readonly backoff = new Backoff();
  /** `<pod uid>/<container>` → when the last pull failed. */
  private readonly failures = new Map<string, number>();

  constructor(private readonly runtime: ContainerRuntime) {}

  async ensure(
    pod: V1Pod,
    container: V1Container,
    now: number,
    auth: () => RegistryAuth | undefined,
    event: ContainerEvent,
  ): Promise<PullOutcome> {
    const image = container.image ?? '';
    const key = `${pod.metadata?.uid}/${container.name}`;
    const failedAt = this.failures.get(key);
    if (failedAt !== undefined && this.backoff.isInBackOffSince(key, failedAt, now)) {
      event('Normal', 'BackOff', `Back-off pulling image "${image}"`);
      return {
        ok: false,
        waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` },
        retryAfterMs: this.backoff.remaining(key, failedAt, now) + 50,
      };
    }
    const policy = pullPolicy(container);
    try {
      const present = await this.runtime.ensureImage(image, 'Never').then(
        () => true,
        () => false,
      );
      if (present && policy !== 'Always') {
        event('Normal', 'Pulled', `Container image "${image}" already present on machine`);
      } else {
        if (policy !== 'Never') event('Normal', 'Pulling', `Pulling image "${image}"`);
        const began = Date.now();
        const result = await this.runtime.ensureImage(image, policy, auth());
        if (policy !== 'Never') {
          const seconds = ((Date.now() - began) / 1000).toFixed(3);
          event(
            'Normal',
            'Pulled',
            result.pulled
              ? `Successfully pulled image "${image}" in ${seconds}s (${seconds}s including waiting)`
              : `Container image "${image}" already present on machine`,
          );
        }
      }
      this.failures.delete(key);
      this.backoff.reset(key);
      return { ok: true };
    } catch (error) {
      const reason = error instanceof ImagePullError ? error.reason : 'ErrImagePull';
      const message = errorText(error);
      if (reason === 'ErrImageNeverPull') {
        event('Warning', 'ErrImageNeverPull', message);
      } else {
        event('Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
        event('Warning', 'Failed', `Error: ${reason}`);
      }
      this.failures.set(key, now);
      // ErrImagePull shows until a sync inside the back-off window turns it into
      // ImagePullBackOff, as with the kubelet's own periodic syncs.
      return {
        ok: false,
        waiting: { reason, message },
        retryAfterMs: Math.min(5_000, this.backoff.next(key, now) / 2),
      };
    }
  }

  /** Forgets pods whose uid is not in `live`. */
  prune(live: Set<string>): void {
    for (const key of [...this.failures.keys()]) if (!live.has(key.split('/')[0])) this.failures.delete(key);
    this.backoff.prune((key) => live.has(key.split('/')[0]));
  }
}
