import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import { invalid } from '../../status';
import { servicesResource } from './services';

function svc(spec: Record<string, unknown>, name = 'web'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

function messages(obj: KubeObject, old?: KubeObject): string[] {
  return (servicesResource.validate?.(obj, old) ?? []).map((e) => `${e.field}: ${e.message}`);
}

function defaulted(obj: KubeObject): KubeObject {
  servicesResource.applyDefaults?.(obj);
  servicesResource.prepareForCreate?.(obj);
  return obj;
}

describe('service defaults', () => {
  it('defaults a ClusterIP service like SetDefaults_Service', () => {
    const obj = defaulted(svc({ selector: { app: 'web' }, ports: [{ port: 80 }] }));
    expect(obj.spec).toEqual({
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
    expect(obj.status).toEqual({ loadBalancer: {} });
  });

  it('adds externalTrafficPolicy and allocateLoadBalancerNodePorts for external types', () => {
    const lb = defaulted(svc({ type: 'LoadBalancer', ports: [{ port: 443, targetPort: 'https' }] }));
    expect(lb.spec).toMatchObject({
      externalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
      ports: [{ port: 443, targetPort: 'https', protocol: 'TCP' }],
    });
    const sticky = defaulted(svc({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }));
    expect(sticky.spec).toMatchObject({ sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } });
    expect(messages(sticky)).toEqual([]);
    const headless = defaulted(svc({ clusterIP: 'None' }));
    expect(headless.spec).toMatchObject({ clusterIPs: ['None'], ipFamilyPolicy: 'RequireDualStack' });
  });
});

describe('service validation', () => {
  it('accepts a defaulted service and a headless one without ports', () => {
    expect(messages(defaulted(svc({ ports: [{ port: 80 }] })))).toEqual([]);
    expect(messages(defaulted(svc({ clusterIP: 'None', selector: { app: 'db' } })))).toEqual([]);
  });

  it('reports port problems with Kubernetes wording', () => {
    const obj = defaulted(
      svc({
        ports: [
          { port: 80 },
          { name: 'http', port: 0, protocol: 'ICMP', nodePort: 30080 },
          { name: 'http', port: 80 },
        ],
      }),
    );
    expect(messages(obj)).toEqual([
      'spec.ports[0].name: Required value',
      'spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      'spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[2].name: Duplicate value: "http"',
      "spec.ports[1].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
      'spec.ports[2]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ]);
  });

  it('requires ports, a valid type and a DNS-1035 name', () => {
    const obj = defaulted(svc({ type: 'Fancy' }, '1st'));
    const errs = servicesResource.validate?.(obj) ?? [];
    expect(invalid('Service', '1st', '', errs).message).toBe(
      `Service "1st" is invalid: [metadata.name: Invalid value: "1st": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?'), spec.ports: Required value, spec.type: Unsupported value: "Fancy": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]`,
    );
  });

  it('checks ExternalName services', () => {
    expect(messages(defaulted(svc({ type: 'ExternalName' })))).toEqual(['spec.externalName: Required value']);
    expect(messages(defaulted(svc({ type: 'ExternalName', externalName: 'db.example.com.' })))).toEqual([]);
  });

  it('keeps the cluster IP immutable', () => {
    const old = defaulted(svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.20' }));
    old.metadata.resourceVersion = '3';
    const changed = structuredClone(old);
    (changed.spec as Record<string, unknown>).clusterIP = '10.96.0.21';
    (changed.spec as Record<string, unknown>).clusterIPs = ['10.96.0.21'];
    expect(messages(changed, old)).toEqual([
      'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.21"}: may not change once set',
    ]);
    const omitted = structuredClone(old);
    delete (omitted.spec as Record<string, unknown>).clusterIP;
    delete (omitted.spec as Record<string, unknown>).clusterIPs;
    servicesResource.prepareForUpdate?.(omitted, old);
    expect(omitted.spec).toMatchObject({ clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'] });
    expect(messages(omitted, old)).toEqual([]);
  });

  it('drops node ports when a NodePort service becomes ClusterIP', () => {
    const old = defaulted(
      svc({ type: 'NodePort', clusterIP: '10.96.0.30', ports: [{ port: 80, nodePort: 30080 }] }),
    );
    const next = structuredClone(old);
    (next.spec as Record<string, unknown>).type = 'ClusterIP';
    servicesResource.prepareForUpdate?.(next, old);
    expect((next.spec as { ports: unknown[] }).ports).toEqual([
      { port: 80, protocol: 'TCP', targetPort: 80 },
    ]);
    expect((next.spec as Record<string, unknown>).externalTrafficPolicy).toBeUndefined();
    expect(messages(next, old)).toEqual([]);
  });
});

describe('service table', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  it('prints Type, Cluster-IP, External-IP and Port(s) like kubectl', () => {
    const np = defaulted(
      svc({
        type: 'NodePort',
        selector: { app: 'web' },
        ports: [
          { port: 80, nodePort: 30080 },
          { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 },
        ],
      }),
    );
    (np.spec as Record<string, unknown>).clusterIPs = ['10.96.12.7'];
    np.metadata.creationTimestamp = new Date('2026-03-01T11:00:00Z');
    expect(servicesResource.table.cells(np, { now })).toEqual([
      'web',
      'NodePort',
      '10.96.12.7',
      '<none>',
      '80:30080/TCP,53:30053/UDP',
      '60m',
      'app=web',
    ]);
    const lb = defaulted(svc({ type: 'LoadBalancer', ports: [{ port: 443 }] }));
    expect(servicesResource.table.cells(lb, { now }).slice(2, 4)).toEqual(['<none>', '<pending>']);
    lb.status = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
    expect(servicesResource.table.cells(lb, { now })[3]).toBe('127.0.0.1');
    const ext = defaulted(svc({ type: 'ExternalName', externalName: 'db.example.com' }));
    expect(servicesResource.table.cells(ext, { now }).slice(1, 5)).toEqual([
      'ExternalName',
      '<none>',
      'db.example.com',
      '<none>',
    ]);
    expect(servicesResource.table.columns.map((c) => c.name)).toEqual([
      'Name',
      'Type',
      'Cluster-IP',
      'External-IP',
      'Port(s)',
      'Age',
      'Selector',
    ]);
  });
});
