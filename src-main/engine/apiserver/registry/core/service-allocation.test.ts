import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import { ApiError } from '../../status';
import { allocateServiceAddresses } from './service-allocation';

function svc(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec,
  };
}

function allocationError(fn: () => void): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('allocateServiceAddresses', () => {
  it('assigns a free address from 10.96.0.0/12, never the reserved ones', () => {
    const seen = new Set<string>();
    const existing: KubeObject[] = [];
    for (let i = 0; i < 200; i++) {
      const s = svc(`svc-${i}`, { type: 'ClusterIP', ports: [{ port: 80 }] });
      allocateServiceAddresses(s, existing);
      const spec = s.spec as { clusterIP: string; clusterIPs: string[]; ipFamilies: string[] };
      expect(spec.clusterIPs).toEqual([spec.clusterIP]);
      expect(spec.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
      expect(['10.96.0.1', '10.96.0.10']).not.toContain(spec.clusterIP);
      expect(seen.has(spec.clusterIP)).toBe(false);
      seen.add(spec.clusterIP);
      existing.push(s);
    }
  });

  it('honours requested addresses, including the reserved ones when asked for', () => {
    const kubernetes = svc('kubernetes', { clusterIP: '10.96.0.1', ports: [{ port: 443 }] });
    allocateServiceAddresses(kubernetes, []);
    expect(kubernetes.spec).toMatchObject({
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      ipFamilyPolicy: 'SingleStack',
    });
  });

  it('rejects a taken address with the Kubernetes message', () => {
    const first = svc('a', { clusterIP: '10.96.0.5', ports: [{ port: 80 }] });
    allocateServiceAddresses(first, []);
    const error = allocationError(() =>
      allocateServiceAddresses(svc('b', { clusterIP: '10.96.0.5', ports: [{ port: 80 }] }), [first]),
    );
    expect(error.code).toBe(422);
    expect(error.message).toBe(
      'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: failed to allocate IP 10.96.0.5: provided IP is already allocated',
    );
    // The service itself (same uid) does not collide with its stored copy.
    allocateServiceAddresses(structuredClone(first), [first]);
  });

  it('rejects an address outside the service CIDR', () => {
    const error = allocationError(() =>
      allocateServiceAddresses(svc('x', { clusterIP: '192.168.1.1', ports: [{ port: 80 }] }), []),
    );
    expect(error.message).toBe(
      'Service "x" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.1.1"}: failed to allocate IP 192.168.1.1: the provided IP (192.168.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
  });

  it('leaves headless and ExternalName services without an address', () => {
    const headless = svc('db', { clusterIP: 'None', selector: { app: 'db' } });
    allocateServiceAddresses(headless, []);
    expect(headless.spec).toMatchObject({
      clusterIP: 'None',
      clusterIPs: ['None'],
      ipFamilyPolicy: 'SingleStack',
    });
    const external = svc('ext', { type: 'ExternalName', externalName: 'example.com' });
    allocateServiceAddresses(external, []);
    expect(external.spec).toEqual({ type: 'ExternalName', externalName: 'example.com' });
  });

  it('allocates node ports in range, keeps requested ones, and reports collisions', () => {
    const a = svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }, { port: 443 }] });
    allocateServiceAddresses(a, []);
    const ports = (a.spec as { ports: { nodePort: number }[] }).ports;
    expect(ports[0].nodePort).toBe(30080);
    expect(ports[1].nodePort).toBeGreaterThanOrEqual(30000);
    expect(ports[1].nodePort).toBeLessThanOrEqual(32767);
    expect(ports[1].nodePort).not.toBe(30080);

    const clash = allocationError(() =>
      allocateServiceAddresses(svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }), [a]),
    );
    expect(clash.message).toBe(
      'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );

    const range = allocationError(() =>
      allocateServiceAddresses(svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }), []),
    );
    expect(range.message).toBe(
      'Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
  });

  it('uses a custom range and CIDR', () => {
    const s = svc('a', { type: 'NodePort', ports: [{ port: 80 }] });
    allocateServiceAddresses(s, [], { serviceCidr: '10.0.0.0/24', nodePortRange: [31000, 31001] });
    expect((s.spec as { clusterIP: string }).clusterIP).toMatch(/^10\.0\.0\.\d+$/);
    expect([31000, 31001]).toContain((s.spec as { ports: { nodePort: number }[] }).ports[0].nodePort);
  });

  it('gives LoadBalancers with Local traffic a health check port, and none without node ports', () => {
    const lb = svc('lb', {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      allocateLoadBalancerNodePorts: true,
      ports: [{ port: 80 }],
    });
    allocateServiceAddresses(lb, []);
    const spec = lb.spec as { healthCheckNodePort: number; ports: { nodePort: number }[] };
    expect(spec.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(spec.healthCheckNodePort).not.toBe(spec.ports[0].nodePort);

    const bare = svc('bare', {
      type: 'LoadBalancer',
      allocateLoadBalancerNodePorts: false,
      ports: [{ port: 80 }],
    });
    allocateServiceAddresses(bare, []);
    expect((bare.spec as { ports: { nodePort?: number }[] }).ports[0].nodePort).toBeUndefined();
  });
});
