import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import type { Question } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { RCODE_NOERROR, RCODE_NXDOMAIN, resolveQuestion } from './dns-resolver';
import type { Resolution } from './dns-resolver';
import { ServiceTable } from './service-table';

const DOMAIN = 'cluster.local';

function service(name: string, spec: V1Service['spec'], namespace = 'default'): V1Service {
  return { metadata: { name, namespace }, spec };
}

function slice(
  serviceName: string,
  endpoints: Array<{ ip: string; ready?: boolean; hostname?: string }>,
  ports: Array<{ name: string; port: number; protocol?: string }>,
  namespace = 'default',
): V1EndpointSlice {
  return {
    metadata: {
      name: `${serviceName}-abc`,
      namespace,
      labels: { 'kubernetes.io/service-name': serviceName },
    },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true },
      hostname: e.hostname,
    })),
    ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
}

function table(): ServiceTable {
  const t = new ServiceTable();
  t.resetServices([
    service('web', {
      clusterIP: '10.200.64.10',
      clusterIPs: ['10.200.64.10'],
      ports: [{ name: 'http', port: 80 }],
    }),
    service('db', {
      clusterIP: 'None',
      clusterIPs: ['None'],
      ports: [
        { name: 'pg', port: 5432 },
        { name: 'metrics', port: 9187 },
      ],
    }),
    service('empty-headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
    service('external', { type: 'ExternalName', externalName: 'example.com' }),
    service(
      'api',
      { clusterIP: '10.200.64.20', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] },
      'other',
    ),
  ]);
  t.resetSlices([
    slice(
      'db',
      [
        { ip: '10.200.128.5', hostname: 'db-0' },
        { ip: '10.200.128.6', hostname: 'db-1' },
        { ip: '10.200.128.7', hostname: 'db-2', ready: false },
      ],
      [
        { name: 'pg', port: 5432 },
        { name: 'metrics', port: 9187 },
      ],
    ),
  ]);
  return t;
}

function ask(name: string, type: Question['type'] = 'A'): Extract<Resolution, { kind: 'answer' }> {
  const result = resolveQuestion(table(), { name, type }, DOMAIN);
  if (result.kind !== 'answer') throw new Error(`${name} was forwarded`);
  return result;
}

function data(result: Extract<Resolution, { kind: 'answer' }>): unknown[] {
  return result.answers.map((a) => ('data' in a ? a.data : undefined));
}

describe('cluster DNS answers', () => {
  it('answers a ClusterIP Service with its ClusterIP, NODATA for AAAA', () => {
    expect(data(ask('web.default.svc.cluster.local'))).toEqual(['10.200.64.10']);
    expect(data(ask('WEB.default.svc.cluster.local.'))).toEqual(['10.200.64.10']);
    const aaaa = ask('web.default.svc.cluster.local', 'AAAA');
    expect(aaaa.rcode).toBe(RCODE_NOERROR);
    expect(aaaa.answers).toEqual([]);
    expect(aaaa.authorities[0].type).toBe('SOA');
  });

  it('answers a headless Service with one A per ready endpoint', () => {
    expect(data(ask('db.default.svc.cluster.local')).sort()).toEqual(['10.200.128.5', '10.200.128.6']);
    expect(ask('empty-headless.default.svc.cluster.local').rcode).toBe(RCODE_NXDOMAIN);
  });

  it('answers StatefulSet pod names through the endpoint hostname, and dashed endpoint IPs', () => {
    expect(data(ask('db-1.db.default.svc.cluster.local'))).toEqual(['10.200.128.6']);
    expect(data(ask('10-200-128-5.db.default.svc.cluster.local'))).toEqual(['10.200.128.5']);
    expect(ask('db-2.db.default.svc.cluster.local').rcode).toBe(RCODE_NXDOMAIN);
    expect(ask('x.web.default.svc.cluster.local').rcode).toBe(RCODE_NXDOMAIN);
  });

  it('answers SRV for named ports', () => {
    const clusterIp = ask('_http._tcp.web.default.svc.cluster.local', 'SRV');
    expect(data(clusterIp)).toEqual([
      { priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' },
    ]);
    expect(clusterIp.additionals.map((a) => ('data' in a ? a.data : undefined))).toEqual(['10.200.64.10']);
    const headless = ask('_pg._tcp.db.default.svc.cluster.local', 'SRV');
    expect(data(headless)).toEqual([
      { priority: 0, weight: 50, port: 5432, target: 'db-0.db.default.svc.cluster.local' },
      { priority: 0, weight: 50, port: 5432, target: 'db-1.db.default.svc.cluster.local' },
    ]);
    expect(data(ask('_dns._udp.api.other.svc.cluster.local', 'SRV'))).toEqual([
      { priority: 0, weight: 100, port: 53, target: 'api.other.svc.cluster.local' },
    ]);
    expect(ask('_dns._tcp.api.other.svc.cluster.local', 'SRV').rcode).toBe(RCODE_NXDOMAIN);
    expect(ask('web.default.svc.cluster.local', 'SRV').answers).toHaveLength(1);
  });

  it('answers ExternalName with a CNAME and asks for the target to be chased', () => {
    const result = ask('external.default.svc.cluster.local');
    expect(result.answers).toEqual([
      { type: 'CNAME', name: 'external.default.svc.cluster.local', data: 'example.com', ttl: 5 },
    ]);
    expect(result.chase).toBe('example.com');
  });

  it('answers pod names, namespaces and the zone; NXDOMAIN for unknown names', () => {
    expect(data(ask('10-200-128-9.default.pod.cluster.local'))).toEqual(['10.200.128.9']);
    expect(ask('default.svc.cluster.local').rcode).toBe(RCODE_NOERROR);
    expect(ask('nowhere.svc.cluster.local').rcode).toBe(RCODE_NXDOMAIN);
    expect(ask('missing.default.svc.cluster.local').rcode).toBe(RCODE_NXDOMAIN);
    expect(ask('web.nowhere.svc.cluster.local').rcode).toBe(RCODE_NXDOMAIN);
    expect(ask('cluster.local', 'SOA').rcode).toBe(RCODE_NOERROR);
    expect(ask('random.cluster.local').rcode).toBe(RCODE_NXDOMAIN);
  });

  it('forwards names outside the cluster domain and reverse lookups of unknown IPs', () => {
    expect(resolveQuestion(table(), { name: 'example.com', type: 'A' }, DOMAIN).kind).toBe('forward');
    expect(resolveQuestion(table(), { name: 'web.default', type: 'A' }, DOMAIN).kind).toBe('forward');
    expect(resolveQuestion(table(), { name: '1.0.0.127.in-addr.arpa', type: 'PTR' }, DOMAIN).kind).toBe(
      'forward',
    );
  });

  it('answers PTR for ClusterIPs', () => {
    expect(data(ask('10.64.200.10.in-addr.arpa', 'PTR'))).toEqual(['web.default.svc.cluster.local']);
  });
});
