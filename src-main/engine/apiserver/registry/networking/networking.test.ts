import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import type { ResourceDefinition } from '../types';
import { ingressClassDefinition } from './ingressclasses';
import { ingressDefinition } from './ingresses';
import { networkPolicyDefinition } from './networkpolicies';

const now = new Date('2024-05-01T12:00:00Z');
const created = '2024-05-01T11:00:00Z' as unknown as Date;

function messages(def: ResourceDefinition, obj: KubeObject, old?: KubeObject): string[] {
  def.applyDefaults?.(obj);
  return (def.validate?.(obj, old) ?? []).map((e) => `${e.field}: ${e.message}`);
}

function ingress(spec: Record<string, unknown>): KubeObject {
  return { metadata: { name: 'web', namespace: 'default', creationTimestamp: created }, spec };
}

const backend = { service: { name: 'web', port: { number: 80 } } };

describe('Ingress validation', () => {
  it('accepts rules with typed paths', () => {
    expect(
      messages(
        ingressDefinition,
        ingress({
          rules: [{ host: 'web.local', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }],
        }),
      ),
    ).toEqual([]);
  });

  it('requires rules or a default backend', () => {
    expect(messages(ingressDefinition, ingress({}))).toEqual([
      'spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified',
    ]);
  });

  it('requires pathType and checks paths, hosts and backends', () => {
    expect(
      messages(
        ingressDefinition,
        ingress({
          rules: [
            {
              host: '10.0.0.1',
              http: {
                paths: [
                  { path: '/', backend },
                  { path: 'api', pathType: 'Exact', backend },
                  { path: '/x', pathType: 'Regex', backend },
                  { path: '/y', pathType: 'Prefix', backend: { service: { name: 'web', port: {} } } },
                  {
                    path: '/z',
                    pathType: 'Prefix',
                    backend: { service: { name: 'web', port: { name: 'http', number: 80 } } },
                  },
                ],
              },
            },
          ],
        }),
      ),
    ).toEqual([
      'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
      'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
      'spec.rules[0].http.paths[1].path: Invalid value: "api": must be an absolute path',
      'spec.rules[0].http.paths[2].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
      'spec.rules[0].http.paths[3].backend: Required value: port name or number is required',
      'spec.rules[0].http.paths[4].backend: Invalid value: "": cannot set both port name & port number',
    ]);
  });

  it('accepts wildcard hosts and rejects malformed ones', () => {
    expect(
      messages(
        ingressDefinition,
        ingress({
          rules: [{ host: '*.example.com' }],
          tls: [{ hosts: ['*.example.com'], secretName: 'tls' }],
        }),
      ),
    ).toEqual([]);
    expect(messages(ingressDefinition, ingress({ rules: [{ host: 'a.*.com' }] }))).toEqual([
      `spec.rules[0].host: Invalid value: "a.*.com": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
  });
});

describe('Ingress table', () => {
  it('prints Class, Hosts, Address and Ports', () => {
    const obj = ingress({
      ingressClassName: 'nginx',
      rules: [{ host: 'a.local' }, { host: 'b.local' }],
      tls: [{ hosts: ['a.local'] }],
    });
    obj.status = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
    expect(ingressDefinition.table.columns.map((c) => c.name)).toEqual([
      'Name',
      'Class',
      'Hosts',
      'Address',
      'Ports',
      'Age',
    ]);
    expect(ingressDefinition.table.cells(obj, { now })).toEqual([
      'web',
      'nginx',
      'a.local,b.local',
      '127.0.0.1',
      '80, 443',
      '60m',
    ]);
  });

  it('prints <none>, * and more-suffixes', () => {
    const obj = ingress({ rules: ['a', 'b', 'c', 'd', 'e'].map((h) => ({ host: `${h}.local` })) });
    expect(ingressDefinition.table.cells(obj, { now }).slice(1, 5)).toEqual([
      '<none>',
      'a.local,b.local,c.local + 2 more...',
      '',
      '80',
    ]);
    expect(ingressDefinition.table.cells(ingress({ defaultBackend: backend }), { now })[2]).toBe('*');
  });
});

describe('IngressClass', () => {
  it('requires a domain-prefixed controller, immutable', () => {
    const obj: KubeObject = { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } };
    expect(messages(ingressClassDefinition, obj)).toEqual([]);
    expect(
      messages(ingressClassDefinition, { metadata: { name: 'x' }, spec: { controller: 'nginx' } }),
    ).toEqual([
      'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
    ]);
    expect(
      messages(
        ingressClassDefinition,
        { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/other' } },
        obj,
      ),
    ).toEqual(['spec.controller: Invalid value: "k8s.io/other": field is immutable']);
  });

  it('prints Controller and Parameters', () => {
    const obj: KubeObject = {
      metadata: { name: 'nginx', creationTimestamp: created },
      spec: {
        controller: 'k8s.io/ingress-nginx',
        parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'p' },
      },
    };
    expect(ingressClassDefinition.table.cells(obj, { now })).toEqual([
      'nginx',
      'k8s.io/ingress-nginx',
      'IngressParameters.k8s.example.com/p',
      '60m',
    ]);
  });
});

describe('NetworkPolicy', () => {
  it('defaults policyTypes and port protocols', () => {
    const obj: KubeObject = {
      metadata: { name: 'deny', namespace: 'default' },
      spec: { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }], egress: [{}] },
    };
    expect(messages(networkPolicyDefinition, obj)).toEqual([]);
    expect(obj.spec).toMatchObject({
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }],
    });
  });

  it('checks peers, ports and policy types', () => {
    const obj: KubeObject = {
      metadata: { name: 'x', namespace: 'default' },
      spec: {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{}], ports: [{ port: 70000, protocol: 'ICMP' }] }],
        policyTypes: ['Inbound'],
      },
    };
    expect(messages(networkPolicyDefinition, obj)).toEqual([
      'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
      'spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.ingress[0].from[0]: Required value: must specify a peer',
      'spec.policyTypes[0]: Unsupported value: "Inbound": supported values: "Ingress", "Egress"',
    ]);
  });

  it('prints Pod-Selector', () => {
    const obj: KubeObject = {
      metadata: { name: 'x', creationTimestamp: created },
      spec: { podSelector: {} },
    };
    expect(networkPolicyDefinition.table.cells(obj, { now })).toEqual(['x', '<none>', '60m']);
  });
});

describe('Ingress address', () => {
  it('is not truncated in server-side tables', () => {
    const obj = ingress({ defaultBackend: backend });
    obj.status = { loadBalancer: { ingress: [{ ip: '192.168.100.200' }, { hostname: 'lb.example.com' }] } };
    expect(ingressDefinition.table.cells(obj, { now })[3]).toBe('192.168.100.200,lb.example.com');
  });
});

describe('Ingress status', () => {
  it('checks load-balancer addresses on updates', () => {
    const old = ingress({ defaultBackend: backend });
    const next = structuredClone(old);
    next.status = { loadBalancer: { ingress: [{ ip: '300.1.1.1' }, { hostname: '127.0.0.1' }] } };
    expect(messages(ingressDefinition, next, old)).toEqual([
      'status.loadBalancer.ingress[0].ip: Invalid value: "300.1.1.1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'status.loadBalancer.ingress[1].hostname: Invalid value: "127.0.0.1": must be a DNS name, not an IP address',
    ]);
  });
});
