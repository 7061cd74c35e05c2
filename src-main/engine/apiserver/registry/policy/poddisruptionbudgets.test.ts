import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import { podDisruptionBudgetDefinition as def } from './poddisruptionbudgets';

const now = new Date('2024-05-01T12:00:00Z');

function pdb(spec: Record<string, unknown>): KubeObject {
  return {
    metadata: {
      name: 'web',
      namespace: 'default',
      creationTimestamp: '2024-05-01T11:00:00Z' as unknown as Date,
    },
    spec,
  };
}

const errors = (obj: KubeObject) => (def.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.message}`);

describe('PodDisruptionBudget', () => {
  it('accepts one of minAvailable and maxUnavailable', () => {
    expect(errors(pdb({ minAvailable: 1, selector: { matchLabels: { app: 'web' } } }))).toEqual([]);
    expect(errors(pdb({ maxUnavailable: '50%' }))).toEqual([]);
  });

  it('rejects both, negatives and more than 100%', () => {
    expect(errors(pdb({ minAvailable: 1, maxUnavailable: 1 }))[0]).toMatch(
      /^spec: Invalid value: policy\.PodDisruptionBudgetSpec\{.*\}: minAvailable and maxUnavailable cannot be both set$/,
    );
    expect(errors(pdb({ minAvailable: -1 }))).toEqual([
      'spec.minAvailable: Invalid value: -1: must be greater than or equal to 0',
    ]);
    expect(errors(pdb({ maxUnavailable: '120%' }))).toEqual([
      'spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%',
    ]);
  });

  it('starts with zeroed status and prints N/A for the unset bound', () => {
    const obj = pdb({ minAvailable: '50%' });
    def.prepareForCreate?.(obj);
    expect(obj.status).toEqual({
      currentHealthy: 0,
      desiredHealthy: 0,
      disruptionsAllowed: 0,
      expectedPods: 0,
    });
    expect(def.shortNames).toEqual(['pdb']);
    expect(def.table.cells(obj, { now })).toEqual(['web', '50%', 'N/A', 0, '60m']);
  });
});
