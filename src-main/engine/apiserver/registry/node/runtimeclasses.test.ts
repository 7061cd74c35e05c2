import { describe, expect, it } from 'vitest';
import { runtimeClassDefinition as def } from './runtimeclasses';

describe('RuntimeClass', () => {
  it('requires a DNS-label handler, immutable, and prints it', () => {
    expect(def.validate?.({ metadata: { name: 'runc' }, handler: 'runc' })).toEqual([]);
    expect((def.validate?.({ metadata: { name: 'x' }, handler: 'Run_C' }) ?? []).map((e) => e.field)).toEqual(
      ['handler'],
    );
    expect(
      (
        def.validate?.(
          { metadata: { name: 'x' }, handler: 'crun' },
          { metadata: { name: 'x' }, handler: 'runc' },
        ) ?? []
      ).map((e) => `${e.field}: ${e.message}`),
    ).toEqual(['handler: Invalid value: "crun": field is immutable']);
    expect(
      def.table.cells(
        {
          metadata: { name: 'runc', creationTimestamp: '2024-05-01T11:00:00Z' as unknown as Date },
          handler: 'runc',
        },
        { now: new Date('2024-05-01T12:00:00Z') },
      ),
    ).toEqual(['runc', 'runc', '60m']);
  });
});
