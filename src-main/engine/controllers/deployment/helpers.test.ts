import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import {
  computeHash,
  maxSurge,
  maxUnavailable,
  newReplicaSetAnnotations,
  resolveFenceposts,
  templatesEqualIgnoringHash,
} from './helpers';

function deployment(
  replicas: number,
  strategy: Record<string, unknown> = {},
  annotations: Record<string, string> = {},
): KubeObject {
  return {
    metadata: { name: 'web', annotations },
    spec: { replicas, strategy: { type: 'RollingUpdate', ...strategy } },
  };
}

describe('deployment helpers', () => {
  it('resolves fenceposts like Kubernetes: surge rounds up, unavailable down, never both zero', () => {
    expect(resolveFenceposts(deployment(10))).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts(deployment(1))).toEqual({ surge: 1, unavailable: 0 });
    expect(
      resolveFenceposts(deployment(3, { rollingUpdate: { maxSurge: 0, maxUnavailable: '10%' } })),
    ).toEqual({
      surge: 0,
      unavailable: 1,
    });
    expect(maxUnavailable(deployment(2, { rollingUpdate: { maxSurge: 1, maxUnavailable: 5 } }))).toBe(2);
    expect(maxUnavailable(deployment(0))).toBe(0);
    expect(maxSurge({ metadata: {}, spec: { replicas: 4, strategy: { type: 'Recreate' } } })).toBe(0);
  });

  it('hashes templates stably, ignoring key order and the hash label, and varies with the collision count', () => {
    const a = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const b = { spec: { containers: [{ image: 'nginx', name: 'c' }] }, metadata: { labels: { app: 'web' } } };
    expect(computeHash(a)).toBe(computeHash(b));
    expect(computeHash(a)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(computeHash(a, 1)).not.toBe(computeHash(a));
    const hashed = { ...a, metadata: { labels: { app: 'web', 'pod-template-hash': 'xyz' } } };
    expect(templatesEqualIgnoringHash(a, hashed)).toBe(true);
    expect(computeHash(hashed)).toBe(computeHash(a));
  });

  it('sets annotations like SetNewReplicaSetAnnotations', () => {
    const d = deployment(
      3,
      {},
      {
        'kubernetes.io/change-cause': 'v2',
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
        'deployment.kubernetes.io/revision': '1',
      },
    );
    const fresh = newReplicaSetAnnotations(d, { metadata: {} }, 2, false);
    expect(fresh).toEqual({
      'kubernetes.io/change-cause': 'v2',
      'deployment.kubernetes.io/revision': '2',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    const rolledBack = newReplicaSetAnnotations(
      d,
      {
        metadata: {
          annotations: {
            'deployment.kubernetes.io/revision': '1',
            'deployment.kubernetes.io/revision-history': '0',
          },
        },
      },
      5,
      true,
    );
    expect(rolledBack['deployment.kubernetes.io/revision']).toBe('5');
    expect(rolledBack['deployment.kubernetes.io/revision-history']).toBe('0,1');
    expect(rolledBack['deployment.kubernetes.io/desired-replicas']).toBeUndefined();
    // A newer revision than the computed one is kept.
    const newer = newReplicaSetAnnotations(
      d,
      { metadata: { annotations: { 'deployment.kubernetes.io/revision': '9' } } },
      5,
      true,
    );
    expect(newer['deployment.kubernetes.io/revision']).toBe('9');
  });
});
