import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { buildContainerSpec, buildSandboxSpec, dnsSettings } from './container-spec';
import { formatDelay, pullPolicy } from './pod-helpers';

const identity = { profile: 'kd', node: 'kd', podUid: 'uid-1', podName: 'web', podNamespace: 'shop' };

function pod(spec: Partial<NonNullable<V1Pod['spec']>> = {}): V1Pod {
  return {
    metadata: { name: 'web', namespace: 'shop', uid: 'uid-1' },
    spec: { containers: [{ name: 'main' }], ...spec },
  };
}

describe('sandbox spec', () => {
  it('sets hostname, subdomain FQDN, cluster DNS, host aliases and host ports', () => {
    const spec = buildSandboxSpec({
      identity,
      pod: pod({
        hostname: 'web-0',
        subdomain: 'web',
        hostAliases: [{ ip: '10.1.1.1', hostnames: ['foo.local', 'bar'] }],
        containers: [{ name: 'main', ports: [{ containerPort: 80, hostPort: 8080 }] }],
      }),
      image: 'pause',
      network: 'kubedesk-kd',
      clusterDns: ['10.96.0.10'],
      clusterDomain: 'cluster.local',
    });
    expect(spec).toMatchObject({
      hostname: 'web-0',
      domainname: 'web.shop.svc.cluster.local',
      dns: {
        servers: ['10.96.0.10'],
        searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
        options: ['ndots:5'],
      },
      extraHosts: ['foo.local:10.1.1.1', 'bar:10.1.1.1'],
      hostPorts: [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }],
    });
  });

  it('follows dnsPolicy and merges dnsConfig', () => {
    expect(dnsSettings(pod({ dnsPolicy: 'Default' }), ['10.96.0.10'], 'cluster.local')).toBeUndefined();
    expect(
      dnsSettings(
        pod({
          dnsConfig: {
            nameservers: ['1.1.1.1'],
            searches: ['corp'],
            options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
          },
        }),
        ['10.96.0.10'],
        'cluster.local',
      ),
    ).toEqual({
      servers: ['10.96.0.10', '1.1.1.1'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp'],
      options: ['ndots:2', 'edns0'],
    });
  });
});

describe('container spec', () => {
  it('maps command/args with expansion, security context, limits and mounts', () => {
    const p = pod({ securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000 } });
    const spec = buildContainerSpec({
      identity,
      pod: p,
      container: {
        name: 'main',
        image: 'busybox:1',
        command: ['sh', '-c'],
        args: ['echo $(GREETING) $$(GREETING)'],
        workingDir: '/work',
        securityContext: {
          allowPrivilegeEscalation: false,
          privileged: false,
          readOnlyRootFilesystem: true,
          capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
        },
        resources: { limits: { cpu: '500m', memory: '128Mi' } },
        volumeMounts: [
          { name: 'data', mountPath: '/data' },
          { name: 'data', mountPath: '/logs', subPathExpr: 'logs/$(POD)', readOnly: true },
        ],
      },
      role: 'app',
      restartCount: 2,
      env: ['GREETING=hi', 'POD=web'],
      volumePaths: new Map([['data', '/host/data']]),
    });
    expect(spec).toMatchObject({
      command: ['sh', '-c'],
      args: ['echo hi $(GREETING)'],
      user: '1000:3000',
      groupAdd: ['2000'],
      workingDir: '/work',
      readOnlyRootFilesystem: true,
      noNewPrivileges: true,
      capAdd: ['NET_ADMIN'],
      capDrop: ['ALL'],
      nanoCpus: 500_000_000,
      cpuShares: 512,
      memoryBytes: 134_217_728,
      restartCount: 2,
      mounts: [
        { source: '/host/data', target: '/data', readOnly: false },
        { source: '/host/data/logs/web', target: '/logs', readOnly: true },
      ],
    });
  });
});

describe('pull policy and delays', () => {
  it('defaults to Always for latest or untagged images, IfNotPresent otherwise', () => {
    expect(pullPolicy({ name: 'a', image: 'nginx' })).toBe('Always');
    expect(pullPolicy({ name: 'a', image: 'nginx:latest' })).toBe('Always');
    expect(pullPolicy({ name: 'a', image: 'localhost:5000/nginx' })).toBe('Always');
    expect(pullPolicy({ name: 'a', image: 'localhost:5000/nginx:1.27' })).toBe('IfNotPresent');
    expect(pullPolicy({ name: 'a', image: 'nginx@sha256:abc' })).toBe('IfNotPresent');
    expect(pullPolicy({ name: 'a', image: 'nginx', imagePullPolicy: 'Never' })).toBe('Never');
  });

  it('formats back-off delays like Go durations', () => {
    expect(formatDelay(10_000)).toBe('10s');
    expect(formatDelay(80_000)).toBe('1m20s');
    expect(formatDelay(300_000)).toBe('5m0s');
  });
});
