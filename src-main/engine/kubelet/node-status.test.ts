import { describe, expect, it } from 'vitest';
import { nodeCapacity, nodeLabels, nodeStatus, type NodeFacts } from './node-status';
import { nodeNameFor } from './node-names';

const facts: NodeFacts = {
  nodeName: 'kd',
  controlPlane: true,
  info: {
    cpus: 8,
    memoryBytes: 16 * 1024 ** 3,
    version: '20.10.24',
    operatingSystem: 'Debian GNU/Linux 12 (bookworm)',
    kernelVersion: '6.1.0',
    os: 'linux',
    arch: 'amd64',
    engineId: 'engine',
  },
  internalIP: '172.18.0.1',
  kubeletVersion: 'v1.32.0',
};

describe('node status', () => {
  it('names nodes like minikube', () => {
    expect([0, 1, 2, 9].map((i) => nodeNameFor('kd', i))).toEqual(['kd', 'kd-m02', 'kd-m03', 'kd-m10']);
  });

  it('reports host capacity capped by the profile', () => {
    expect(nodeCapacity(facts)).toMatchObject({ cpu: '8', memory: `${16 * 1024 * 1024}Ki`, pods: '110' });
    expect(nodeCapacity({ ...facts, capacityCap: { cpu: '2', memory: '4Gi' } })).toMatchObject({
      cpu: '2',
      memory: `${4 * 1024 * 1024}Ki`,
    });
    expect(nodeCapacity({ ...facts, capacityCap: { cpu: '1500m' } }).cpu).toBe('1500m');
  });

  it('labels the control-plane node and only it', () => {
    expect(nodeLabels(facts)).toMatchObject({
      'kubernetes.io/hostname': 'kd',
      'kubernetes.io/arch': 'amd64',
      'node-role.kubernetes.io/control-plane': '',
    });
    expect(nodeLabels({ ...facts, nodeName: 'kd-m02', controlPlane: false })).not.toHaveProperty(
      'node-role.kubernetes.io/control-plane',
    );
  });

  it('keeps condition transition times while heartbeats move', () => {
    const first = nodeStatus(facts, undefined, '2026-01-01T00:00:00Z', 'boot');
    const second = nodeStatus(facts, { metadata: {}, status: first }, '2026-01-01T00:01:00Z', 'boot');
    const ready = (s: Record<string, unknown>) =>
      (s.conditions as Array<Record<string, string>>).find((c) => c.type === 'Ready');
    expect(ready(second)).toMatchObject({
      status: 'True',
      reason: 'KubeletReady',
      lastHeartbeatTime: '2026-01-01T00:01:00Z',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    });
    expect(second.nodeInfo).toMatchObject({
      containerRuntimeVersion: 'docker://20.10.24',
      kubeletVersion: 'v1.32.0',
    });
    expect(second.addresses).toEqual([
      { type: 'InternalIP', address: '172.18.0.1' },
      { type: 'Hostname', address: 'kd' },
    ]);
  });
});
