import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentContainerName } from './agent-container';
import { startNetworkFixture } from './testing/network-fixture';
import type { NetworkFixture, TestPod } from './testing/network-fixture';

describe('cluster networking (real Docker)', () => {
  let fx: NetworkFixture;
  let client: TestPod;
  let webs: TestPod[];

  beforeAll(async () => {
    fx = await startNetworkFixture();
    webs = await Promise.all([fx.webPod('web-a'), fx.webPod('web-b'), fx.webPod('web-c')]);
    client = await fx.clientPod('client');
    fx.createService({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    fx.publishEndpoints('web', webs, [{ name: 'http', port: 8080 }]);
    fx.createService({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'empty', namespace: 'default' },
      spec: { selector: { app: 'none' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
  });

  afterAll(async () => {
    await fx?.close();
  });

  it('resolves a Service by short name and by FQDN to its ClusterIP', async () => {
    const service = fx.server.objectApi.get(
      { group: '', version: 'v1', resource: 'services' },
      'default',
      'web',
    );
    const clusterIP = (service.spec as { clusterIP: string }).clusterIP;
    expect(clusterIP.startsWith(fx.network.plan.serviceCidr.split('.').slice(0, 2).join('.'))).toBe(true);
    for (const name of ['web', 'web.default.svc.cluster.local']) {
      const result = await fx.sh(client, `nslookup ${name}`);
      expect(result.stdout, `${name}: ${result.stderr}`).toContain(clusterIP);
    }
    // busybox nslookup applies the search path only to dot-less names; its wget goes through
    // the C library's resolver, which applies it per ndots as every pod's programs do.
    const viaSearch = await fx.sh(client, 'wget -O - http://web.default/ 2>&1');
    expect(viaSearch.stdout).toContain(`web.default (${clusterIP}:80)`);
    const missing = await fx.sh(client, 'nslookup nothing-here.default.svc.cluster.local');
    expect(missing.stdout + missing.stderr).toMatch(/NXDOMAIN|can't find/);
    // Names outside the cluster domain go on to Docker's resolver, which knows the agent container.
    const forwarded = await fx.sh(
      client,
      `nslookup ${agentContainerName(fx.profile)} ${fx.network.plan.agentIp}`,
    );
    expect(forwarded.stdout).toMatch(
      new RegExp(`Name:\\s+${agentContainerName(fx.profile)}\\s+Address:\\s+${fx.network.plan.agentIp}\\b`),
    );
  });

  it('reaches a Service through its ClusterIP with port ≠ targetPort and spreads 30 requests over 3 endpoints', async () => {
    const result = await fx.sh(client, 'for i in $(seq 30); do wget -O - http://web/ 2>/dev/null; done');
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(30);
    expect(new Set(lines)).toEqual(new Set(['web-a', 'web-b', 'web-c']));
  });

  it('refuses connections to a Service without ready endpoints at once', async () => {
    const started = Date.now();
    const result = await fx.sh(client, 'wget -O - http://empty/');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/refused/i);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('answers NodePort and LoadBalancer Services from the host', async () => {
    const nodePort = fx.createService({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web-np', namespace: 'default' },
      spec: {
        type: 'NodePort',
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 81, targetPort: 8080 }],
      },
    });
    fx.publishEndpoints('web-np', webs.slice(0, 1), [{ name: 'http', port: 8080 }]);
    const port = (nodePort.spec as { ports: Array<{ nodePort: number }> }).ports[0].nodePort;
    await expect.poll(() => fetchText(`http://127.0.0.1:${port}/`), { timeout: 5000 }).toBe('web-a\n');

    const lbPort = 20000 + Math.floor(Math.random() * 5000);
    fx.createService({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web-lb', namespace: 'default' },
      spec: {
        type: 'LoadBalancer',
        selector: { app: 'web' },
        ports: [{ name: 'http', port: lbPort, targetPort: 8080 }],
      },
    });
    fx.publishEndpoints('web-lb', webs.slice(1, 2), [{ name: 'http', port: 8080 }]);
    await expect.poll(() => fetchText(`http://127.0.0.1:${lbPort}/`), { timeout: 5000 }).toBe('web-b\n');
    await expect
      .poll(() => {
        const lb = fx.server.objectApi.get(
          { group: '', version: 'v1', resource: 'services' },
          'default',
          'web-lb',
        );
        return (lb.status as { loadBalancer?: { ingress?: Array<{ ip?: string }> } }).loadBalancer
          ?.ingress?.[0]?.ip;
      })
      .toBe('127.0.0.1');
  });

  it('points the kubernetes Service at the API server, so its ClusterIP reaches it', async () => {
    const slice = fx.server.objectApi.get(
      { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
      'default',
      'kubernetes',
    );
    expect(slice.endpoints).toEqual([{ addresses: [fx.network.plan.gateway], conditions: { ready: true } }]);
    const service = fx.server.objectApi.get(
      { group: '', version: 'v1', resource: 'services' },
      'default',
      'kubernetes',
    );
    const raw = await fx.network.dial((service.spec as { clusterIP: string }).clusterIP, 443);
    const { pki } = fx.server;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({
        socket: raw,
        servername: 'kubernetes',
        ca: pki.caCertPem,
        cert: pki.adminCertPem,
        key: pki.adminKeyPem,
      });
      let text = '';
      socket.on('secureConnect', () =>
        socket.write('GET /version HTTP/1.1\r\nHost: kubernetes\r\nConnection: close\r\n\r\n'),
      );
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('gitVersion');
  });
});

async function fetchText(url: string): Promise<string> {
  try {
    const response = await fetch(url);
    return await response.text();
  } catch (error) {
    return `error: ${String(error)}`;
  }
}
