import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import { endpointSliceDefinition as def } from './endpointslices';

const now = new Date('2024-05-01T12:00:00Z');

function slice(fields: Record<string, unknown>): KubeObject {
  return {
    metadata: {
      name: 'web-abc',
      namespace: 'default',
      creationTimestamp: '2024-05-01T11:00:00Z' as unknown as Date,
    },
    addressType: 'IPv4',
    ...fields,
  };
}

const errors = (obj: KubeObject, old?: KubeObject) => {
  def.applyDefaults?.(obj);
  return (def.validate?.(obj, old) ?? []).map((e) => `${e.field}: ${e.message}`);
};

describe('EndpointSlice', () => {
  it('defaults port name and protocol', () => {
    const obj = slice({ ports: [{ port: 80 }], endpoints: [{ addresses: ['10.0.0.1'] }] });
    expect(errors(obj)).toEqual([]);
    expect(obj.ports).toEqual([{ port: 80, name: '', protocol: 'TCP' }]);
  });

  it('validates address type, addresses and ports', () => {
    expect(errors(slice({ addressType: 'IPv5' }))).toEqual([
      'addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"',
    ]);
    expect(
      errors(
        slice({
          endpoints: [{ addresses: [] }, { addresses: ['fe80::1'] }],
          ports: [{ name: 'http' }, { name: 'http' }],
        }),
      ),
    ).toEqual([
      'endpoints[0].addresses: Required value: must contain at least 1 address',
      'endpoints[1].addresses[0]: Invalid value: "fe80::1": must be a valid IPv4 address',
      'ports[1].name: Duplicate value: "http"',
    ]);
    expect(errors(slice({ addressType: 'IPv6' }), slice({}))).toEqual([
      'addressType: Invalid value: "IPv6": field is immutable',
    ]);
  });

  it('prints AddressType, Ports and Endpoints', () => {
    const obj = slice({
      ports: [{ port: 80 }, { port: 443 }],
      endpoints: [
        { addresses: ['10.0.0.1'] },
        { addresses: ['10.0.0.2'] },
        { addresses: ['10.0.0.3'] },
        { addresses: ['10.0.0.4'] },
      ],
    });
    expect(def.table.cells(obj, { now })).toEqual([
      'web-abc',
      'IPv4',
      '80,443',
      '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...',
      '60m',
    ]);
    expect(def.table.cells(slice({}), { now }).slice(2, 4)).toEqual(['<unset>', '<unset>']);
  });
});
