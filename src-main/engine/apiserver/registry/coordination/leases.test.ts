import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import { leaseDefinition as def } from './leases';

describe('Lease', () => {
  const lease = (spec: Record<string, unknown>): KubeObject => ({
    metadata: {
      name: 'node-1',
      namespace: 'kube-node-lease',
      creationTimestamp: '2024-05-01T11:00:00Z' as unknown as Date,
    },
    spec,
  });

  it('validates durations and transitions', () => {
    expect(def.validate?.(lease({ holderIdentity: 'node-1', leaseDurationSeconds: 40 }))).toEqual([]);
    expect(
      (def.validate?.(lease({ leaseDurationSeconds: 0, leaseTransitions: -1 })) ?? []).map(
        (e) => `${e.field}: ${e.message}`,
      ),
    ).toEqual([
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
      'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it('prints Holder', () => {
    const now = new Date('2024-05-01T12:00:00Z');
    expect(def.table.columns.map((c) => c.name)).toEqual(['Name', 'Holder', 'Age']);
    expect(def.table.cells(lease({ holderIdentity: 'node-1' }), { now })).toEqual([
      'node-1',
      'node-1',
      '60m',
    ]);
    expect(def.table.cells(lease({}), { now })).toEqual(['node-1', '', '60m']);
  });
});
