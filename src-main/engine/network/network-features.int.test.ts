import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../k8s-object';
import { DockerRuntime } from '../runtime/docker/docker-runtime';
import { LABELS } from '../runtime/types';
import { agentContainerName } from './agent-container';
import { HOST_PORTS_CONDITION } from './host-proxies';
import { SERVICES, startNetworkFixture } from './testing/network-fixture';
import type { NetworkFixture, TestPod } from './testing/network-fixture';

const run = promisify(execFile);
const EVENTS = { group: '', version: 'v1', resource: 'events' };

function clusterIpOf(fx: NetworkFixture, name: string): string {
  return (fx.server.objectApi.get(SERVICES, 'default', name).spec as { clusterIP: string }).clusterIP;
}

function service(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

describe('cluster networking features (real Docker)', () => {
  let fx: NetworkFixture;
  let client: TestPod;
  let webs: TestPod[];

  beforeAll(async () => {
    fx = await startNetworkFixture();
    webs = await Promise.all([fx.webPod('pod-a'), fx.webPod('pod-b')]);
    client = await fx.clientPod('client');
  });

  afterAll(async () => {
    await fx?.close();
  });

  it('resolves a headless Service to its pods and StatefulSet pods by name', async () => {
    fx.createService(
      service('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'http', port: 8080 }] }),
    );
    fx.publishEndpoints('db', webs, [{ name: 'http', port: 8080 }], 'default', {
      hostnames: ['db-0', 'db-1'],
    });
    await expect
      .poll(async () => (await fx.sh(client, 'nslookup db')).stdout, { timeout: 3000 })
      .toContain(webs[0].ip);
    expect((await fx.sh(client, 'nslookup db')).stdout).toContain(webs[1].ip);
    const one = await fx.sh(client, 'nslookup db-1.db.default.svc.cluster.local');
    expect(one.stdout).toContain(webs[1].ip);
    expect(one.stdout).not.toContain(webs[0].ip);
    // Through the search path, as a StatefulSet peer would dial `db-0.db`.
    expect((await fx.sh(client, 'wget -O - http://db-0.db:8080/ 2>/dev/null')).stdout).toBe('pod-a\n');
  });

  it('answers SRV for named ports and CNAME for ExternalName', async () => {
    fx.createService(
      service('named', { selector: { app: 'x' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
    );
    fx.publishEndpoints('named', webs.slice(0, 1), [{ name: 'http', port: 8080 }]);
    fx.createService(
      service('alias', { type: 'ExternalName', externalName: 'named.default.svc.cluster.local' }),
    );
    await expect
      .poll(
        async () =>
          (await fx.sh(client, 'nslookup -type=srv _http._tcp.named.default.svc.cluster.local')).stdout,
        {
          timeout: 3000,
        },
      )
      .toMatch(/named\.default\.svc\.cluster\.local/);
    const srv = await fx.sh(client, 'nslookup -type=srv _http._tcp.named.default.svc.cluster.local');
    expect(srv.stdout).toMatch(/\b80\b/);
    const cname = await fx.sh(client, 'nslookup alias.default.svc.cluster.local');
    expect(cname.stdout).toContain('canonical name = named.default.svc.cluster.local');
    expect(cname.stdout).toContain(clusterIpOf(fx, 'named'));
    expect((await fx.sh(client, 'wget -O - http://alias/ 2>/dev/null')).stdout).toBe('pod-a\n');
  });

  it('proxies UDP through a ClusterIP', async () => {
    fx.createService(
      service('udp-dns', { selector: { app: 'x' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }),
    );
    // The agent's own DNS server is the UDP backend here.
    fx.publishEndpoints(
      'udp-dns',
      [{ ip: fx.network.plan.agentIp }],
      [{ name: 'dns', port: 53, protocol: 'UDP' }],
    );
    const ip = clusterIpOf(fx, 'udp-dns');
    await expect
      .poll(async () => (await fx.sh(client, `nslookup named.default.svc.cluster.local ${ip}`)).stdout, {
        timeout: 3000,
      })
      .toContain(clusterIpOf(fx, 'named'));
  });

  it('keeps a client on one endpoint with sessionAffinity ClientIP', async () => {
    fx.createService(
      service('sticky', {
        selector: { app: 'x' },
        sessionAffinity: 'ClientIP',
        ports: [{ port: 80, targetPort: 8080 }],
      }),
    );
    fx.publishEndpoints('sticky', webs, [{ port: 8080 }]);
    await expect
      .poll(async () => (await fx.sh(client, 'wget -O - http://sticky/ 2>/dev/null')).stdout, {
        timeout: 3000,
      })
      .toMatch(/pod-/);
    const result = await fx.sh(client, 'for i in $(seq 10); do wget -O - http://sticky/ 2>/dev/null; done');
    expect(new Set(result.stdout.trim().split('\n')).size).toBe(1);
  });

  it('follows endpoint changes within a second, and refuses once none are left', async () => {
    fx.createService(service('moving', { selector: { app: 'x' }, ports: [{ port: 80, targetPort: 8080 }] }));
    fx.publishEndpoints('moving', webs.slice(0, 1), [{ port: 8080 }]);
    await expect
      .poll(async () => (await fx.sh(client, 'wget -O - http://moving/ 2>/dev/null')).stdout, {
        timeout: 3000,
      })
      .toBe('pod-a\n');
    fx.publishEndpoints('moving', webs.slice(1, 2), [{ port: 8080 }]);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await fx.sh(client, 'wget -O - http://moving/ 2>/dev/null')).stdout).toBe('pod-b\n');
    fx.publishEndpoints('moving', [], [{ port: 8080 }]);
    await new Promise((r) => setTimeout(r, 1000));
    const refused = await fx.sh(client, 'wget -O - http://moving/');
    expect(refused.stderr).toMatch(/refused/i);
  });

  it('routes a selector-less Service to hand-written Endpoints (mirrored into EndpointSlices)', async () => {
    fx.createService(service('outside', { ports: [{ name: 'web', port: 80, targetPort: 8080 }] }));
    fx.server.objectApi.create({ group: '', version: 'v1', resource: 'endpoints' }, 'default', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'outside', namespace: 'default' },
      subsets: [{ addresses: [{ ip: webs[1].ip }], ports: [{ name: 'web', port: 8080 }] }],
    });
    await expect
      .poll(async () => (await fx.sh(client, 'wget -O - http://outside/ 2>/dev/null')).stdout, {
        timeout: 5000,
      })
      .toBe('pod-b\n');
  });

  it('reaches pod IPs and ClusterIPs from the host through the tunnel', { timeout: 15_000 }, async () => {
    const socket = await fx.network.dial(webs[1].ip, 8080);
    const body = await new Promise<string>((resolve, reject) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      socket.write('GET / HTTP/1.0\r\n\r\n');
    });
    expect(body).toMatch(/^HTTP\/1\.[01] 200/);
    expect(body).toContain('pod-b');
    await expect(fx.network.dial(clusterIpOf(fx, 'moving'), 80)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    // What kubectl port-forward uses: the runtime's connect, dialling through the tunnel.
    const forwarding = new DockerRuntime({ dial: (ip, port) => fx.network.dial(ip, port) });
    const [sandbox] = await forwarding.listManaged(fx.profile, {
      [LABELS.podName]: 'pod-a',
      [LABELS.role]: 'sandbox',
    });
    const forwarded = await forwarding.connect(sandbox.id, 8080);
    const reply = await new Promise<string>((resolve) => {
      let text = '';
      forwarded.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      forwarded.on('end', () => resolve(text));
      forwarded.write('GET / HTTP/1.0\r\n\r\n');
    });
    expect(reply).toContain('pod-a');
  });

  it('reports a LoadBalancer port taken on the host in an event and a condition', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      fx.createService(
        service('blocked', {
          type: 'LoadBalancer',
          selector: { app: 'x' },
          ports: [{ port, targetPort: 8080 }],
        }),
      );
      await expect
        .poll(
          () => {
            const status = fx.server.objectApi.get(SERVICES, 'default', 'blocked').status as {
              conditions?: Array<{ type: string; status: string; message: string }>;
            };
            return status.conditions?.find((c) => c.type === HOST_PORTS_CONDITION);
          },
          { timeout: 5000 },
        )
        .toMatchObject({ status: 'False', message: `host port ${port} already in use on the host` });
      const events = fx.server.objectApi.list(EVENTS, { namespace: 'default' }).items as Array<{
        reason?: string;
        type?: string;
        involvedObject?: { name?: string };
      }>;
      expect(events.find((e) => e.involvedObject?.name === 'blocked')).toMatchObject({
        type: 'Warning',
        reason: 'HostPortUnavailable',
      });
    } finally {
      blocker.close();
    }
    // Freed ports are picked up by the retry.
    await expect
      .poll(
        () => {
          const status = fx.server.objectApi.get(SERVICES, 'default', 'blocked').status as {
            conditions?: Array<{ type: string; status: string }>;
          };
          return status.conditions?.find((c) => c.type === HOST_PORTS_CONDITION)?.status;
        },
        { timeout: 10_000 },
      )
      .toBe('True');
  });

  it('clears the LoadBalancer status when the Service stops being one', async () => {
    const lbPort = 25000 + Math.floor(Math.random() * 5000);
    fx.createService(
      service('was-lb', {
        type: 'LoadBalancer',
        selector: { app: 'x' },
        ports: [{ port: lbPort, targetPort: 8080 }],
      }),
    );
    const ingressIp = () =>
      (
        fx.server.objectApi.get(SERVICES, 'default', 'was-lb').status as {
          loadBalancer?: { ingress?: Array<{ ip?: string }> };
        }
      ).loadBalancer?.ingress?.[0]?.ip;
    await expect.poll(ingressIp, { timeout: 5000 }).toBe('127.0.0.1');
    fx.server.objectApi.patch(SERVICES, 'default', 'was-lb', 'merge', { spec: { type: 'ClusterIP' } });
    await expect.poll(ingressIp, { timeout: 5000 }).toBeUndefined();
    await expect
      .poll(
        () =>
          fetch(`http://127.0.0.1:${lbPort}/`).then(
            () => 'open',
            () => 'closed',
          ),
        { timeout: 5000 },
      )
      .toBe('closed');
  });

  it('keeps the agent and every Service working across a network stop and start', async () => {
    const before = (await fx.runtime.docker.getContainer(agentContainerName(fx.profile)).inspect()).Id;
    await fx.restartNetwork();
    const after = (await fx.runtime.docker.getContainer(agentContainerName(fx.profile)).inspect()).Id;
    expect(after).toBe(before);
    expect((await fx.sh(client, 'wget -O - http://named/ 2>/dev/null')).stdout).toBe('pod-a\n');
  });

  it('brings the agent back when its container is removed', async () => {
    await run('docker', ['rm', '-f', agentContainerName(fx.profile)]);
    await expect
      .poll(async () => (await fx.sh(client, 'wget -O - http://named/ 2>/dev/null')).stdout, {
        timeout: 20_000,
        interval: 500,
      })
      .toBe('pod-a\n');
  });

  it('runs a second profile alongside without colliding', async () => {
    const other = await startNetworkFixture();
    try {
      expect(other.network.plan.subnet).not.toBe(fx.network.plan.subnet);
      const pod = await other.webPod('other-web');
      const otherClient = await other.clientPod('client');
      other.createService(
        service('named', { selector: { app: 'x' }, ports: [{ port: 80, targetPort: 8080 }] }),
      );
      other.publishEndpoints('named', [pod], [{ port: 8080 }]);
      await expect
        .poll(async () => (await other.sh(otherClient, 'wget -O - http://named/ 2>/dev/null')).stdout, {
          timeout: 5000,
        })
        .toBe('other-web\n');
      // The first profile still answers with its own pods.
      expect((await fx.sh(client, 'wget -O - http://named/ 2>/dev/null')).stdout).toBe('pod-a\n');
    } finally {
      await other.close();
    }
  });
});
