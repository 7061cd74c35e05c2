import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { podsToDelete } from './pod-ranking';

function pod(
  name: string,
  opts: {
    node?: string;
    phase?: string;
    readySince?: string;
    restarts?: number;
    created?: string;
    cost?: string;
  } = {},
): KubeObject {
  return {
    metadata: {
      name,
      creationTimestamp: (opts.created ?? '2026-01-01T00:00:00Z') as unknown as Date,
      ...(opts.cost ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': opts.cost } } : {}),
    },
    spec: { ...(opts.node ? { nodeName: opts.node } : {}) },
    status: {
      phase: opts.phase ?? 'Running',
      conditions: [
        { type: 'Ready', status: opts.readySince ? 'True' : 'False', lastTransitionTime: opts.readySince },
      ],
      containerStatuses: [{ restartCount: opts.restarts ?? 0 }],
    },
  };
}

describe('scale-down ranking', () => {
  it('orders victims like Kubernetes', () => {
    const pods = [
      pod('ready-old', { node: 'n1', readySince: '2026-01-01T00:00:00Z' }),
      pod('unscheduled', { phase: 'Pending' }),
      pod('pending', { node: 'n1', phase: 'Pending' }),
      pod('not-ready', { node: 'n2' }),
      pod('ready-new', { node: 'n2', readySince: '2026-01-01T01:00:00Z' }),
      pod('ready-expensive', { node: 'n1', readySince: '2026-01-01T02:00:00Z', cost: '100' }),
    ];
    expect(podsToDelete(pods, [], 5).map((p) => p.metadata.name)).toEqual([
      'unscheduled',
      'pending',
      'not-ready',
      'ready-new',
      'ready-old',
    ]);
  });

  it('prefers pods on crowded nodes, then more restarts, then the newest', () => {
    const pods = [
      pod('alone', { node: 'n1', readySince: '2026-01-01T00:00:00Z' }),
      pod('crowded', { node: 'n2', readySince: '2026-01-01T00:00:00Z' }),
      pod('restarts', { node: 'n3', readySince: '2026-01-01T00:00:00Z', restarts: 3 }),
      pod('newest', { node: 'n4', readySince: '2026-01-01T00:00:00Z', created: '2026-01-02T00:00:00Z' }),
      pod('oldest', { node: 'n5', readySince: '2026-01-01T00:00:00Z' }),
    ];
    const related = [...pods, pod('sibling', { node: 'n2', readySince: '2026-01-01T00:00:00Z' })];
    expect(podsToDelete(pods, related, 3).map((p) => p.metadata.name)).toEqual([
      'crowded',
      'restarts',
      'newest',
    ]);
  });
});
