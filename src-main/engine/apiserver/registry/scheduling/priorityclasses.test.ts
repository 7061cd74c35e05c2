import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import { priorityClassDefinition as def } from './priorityclasses';

const errors = (obj: KubeObject, old?: KubeObject) => {
  def.applyDefaults?.(obj);
  return (def.validate?.(obj, old) ?? []).map((e) => `${e.field}: ${e.message}`);
};

describe('PriorityClass', () => {
  it('defaults preemptionPolicy and prints its columns', () => {
    const obj: KubeObject = {
      metadata: { name: 'high', creationTimestamp: '2024-05-01T11:00:00Z' as unknown as Date },
      value: 1000,
    };
    expect(errors(obj)).toEqual([]);
    expect(obj.preemptionPolicy).toBe('PreemptLowerPriority');
    expect(def.table.columns.map((c) => c.name)).toEqual([
      'Name',
      'Value',
      'Global-Default',
      'Age',
      'PreemptionPolicy',
    ]);
    expect(def.table.cells(obj, { now: new Date('2024-05-01T12:00:00Z') })).toEqual([
      'high',
      1000,
      false,
      '60m',
      'PreemptLowerPriority',
    ]);
  });

  it('reserves system- names and caps user values', () => {
    expect(errors({ metadata: { name: 'system-mine' }, value: 5 })).toEqual([
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
    ]);
    expect(errors({ metadata: { name: 'system-node-critical' }, value: 2000001000 })).toEqual([]);
    expect(errors({ metadata: { name: 'huge' }, value: 1000000001 })).toEqual([
      'value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
    ]);
    expect(
      errors(
        { metadata: { name: 'high' }, value: 2 },
        { metadata: { name: 'high' }, value: 1, preemptionPolicy: 'PreemptLowerPriority' },
      ),
    ).toEqual(['value: Forbidden: may not be changed in an update.']);
  });
});
