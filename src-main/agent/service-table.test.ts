import { describe, expect, it } from 'vitest';
import { BackendPicker } from './backend-picker';
import { ServiceTable, toServiceEntry } from './service-table';

describe('ServiceTable', () => {
  it('maps Service ports to endpoint ports by name and protocol, ready endpoints only', () => {
    const table = new ServiceTable();
    table.putService({
      metadata: { name: 'web', namespace: 'ns' },
      spec: {
        clusterIP: '10.200.64.3',
        ports: [
          { name: 'http', port: 80, targetPort: 'web' },
          { name: 'dns', port: 53, protocol: 'UDP' },
        ],
      },
    });
    const labels = { 'kubernetes.io/service-name': 'web' };
    table.putSlice({
      metadata: { name: 'web-1', namespace: 'ns', labels },
      addressType: 'IPv4',
      endpoints: [
        { addresses: ['10.200.128.1'], conditions: { ready: true } },
        { addresses: ['10.200.128.2'], conditions: {} },
        { addresses: ['10.200.128.3'], conditions: { ready: false } },
      ],
      ports: [
        { name: 'http', port: 8080, protocol: 'TCP' },
        { name: 'dns', port: 5353, protocol: 'UDP' },
      ],
    });
    // A slice of the same name in another namespace is another Service's.
    table.putSlice({
      metadata: { name: 'web-2', namespace: 'elsewhere', labels },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.200.128.9'] }],
      ports: [{ name: 'http', port: 9999, protocol: 'TCP' }],
    });
    const service = table.getService('ns', 'web');
    if (!service) throw new Error('missing');
    expect(table.backends(service, service.ports[0])).toEqual([
      { ip: '10.200.128.1', port: 8080 },
      { ip: '10.200.128.2', port: 8080 },
    ]);
    expect(table.backends(service, service.ports[1])).toEqual([
      { ip: '10.200.128.1', port: 5353 },
      { ip: '10.200.128.2', port: 5353 },
    ]);
    expect(table.serviceByClusterIP('10.200.64.3')?.name).toBe('web');
    table.deleteSlice({ metadata: { name: 'web-1', namespace: 'ns' }, addressType: 'IPv4', endpoints: [] });
    expect(table.backends(service, service.ports[0])).toEqual([]);
  });

  it('reads headless, ExternalName and session affinity', () => {
    expect(toServiceEntry({ metadata: { name: 'h' }, spec: { clusterIP: 'None' } })).toMatchObject({
      headless: true,
      clusterIPs: [],
    });
    expect(
      toServiceEntry({ metadata: { name: 'e' }, spec: { type: 'ExternalName', externalName: 'x.org' } }),
    ).toMatchObject({
      headless: false,
      externalName: 'x.org',
    });
    expect(
      toServiceEntry({ metadata: { name: 'a' }, spec: { sessionAffinity: 'ClientIP' } })?.affinitySeconds,
    ).toBe(10800);
    expect(
      toServiceEntry({
        metadata: { name: 'a' },
        spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 30 } } },
      })?.affinitySeconds,
    ).toBe(30);
  });
});

describe('BackendPicker', () => {
  const backends = [
    { ip: '10.0.0.1', port: 80 },
    { ip: '10.0.0.2', port: 80 },
    { ip: '10.0.0.3', port: 80 },
  ];

  it('spreads connections round-robin and lists the others as fallbacks', () => {
    const picker = new BackendPicker();
    const firsts = Array.from({ length: 6 }, () => picker.order(backends, '1.1.1.1', undefined)[0].ip);
    expect(firsts).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(picker.order(backends, '1.1.1.1', undefined)).toHaveLength(3);
  });

  it('keeps a client on its backend while affinity lasts', () => {
    const picker = new BackendPicker();
    const first = picker.order(backends, '1.1.1.1', 60, 0)[0];
    for (let i = 1; i < 5; i++) expect(picker.order(backends, '1.1.1.1', 60, i * 1000)[0]).toEqual(first);
    expect(picker.order(backends, '2.2.2.2', 60, 0)[0]).not.toEqual(first);
    expect(picker.order(backends, '1.1.1.1', 60, 120_000)[0]).not.toEqual(first);
    // A backend that went away is replaced.
    const rest = backends.filter((b) => b.ip !== first.ip);
    expect(rest).toContainEqual(picker.order(rest, '1.1.1.1', 60, 0)[0]);
  });
});
