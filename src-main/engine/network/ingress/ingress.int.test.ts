import http from 'node:http';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realClock } from '../../controllers/runtime/clock';
import { issueClientCertificate } from '../../profiles/pki';
import { startNetworkFixture } from '../testing/network-fixture';
import type { NetworkFixture } from '../testing/network-fixture';
import { startIngressController } from './ingress-controller';
import type { RunningIngressController } from './ingress-controller';

const INGRESSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' };
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };

function get(
  port: number,
  host: string,
  path: string,
  tlsOptions?: { ca: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const options = {
      host: '127.0.0.1',
      port,
      path,
      headers: { Host: host },
      servername: host,
      ...tlsOptions,
    };
    const request = (tlsOptions ? https : http).get(options, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
}

describe('ingress addon (real Docker)', () => {
  let fx: NetworkFixture;
  let ingress: RunningIngressController;

  beforeAll(async () => {
    fx = await startNetworkFixture('ni');
    const [a, b] = await Promise.all([fx.webPod('pod-a'), fx.webPod('pod-b')]);
    for (const [name, pod] of [
      ['svc-a', a],
      ['svc-b', b],
    ] as const) {
      fx.createService({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: 'default' },
        spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      });
      fx.publishEndpoints(name, [pod], [{ name: 'http', port: 8080 }]);
    }
    // A default certificate that does not name "localhost", so a verified answer proves SNI picked the Secret.
    const fallback = await issueClientCertificate(fx.server.pki, 'ingress-default', []);
    ingress = await startIngressController({
      api: fx.server.objectApi,
      clock: realClock,
      bindHost: '127.0.0.1',
      dial: (ip, port) => fx.network.dial(ip, port),
      defaultCertificate: fallback,
      httpPorts: [0],
      httpsPorts: [0],
    });
  });

  afterAll(async () => {
    await ingress?.stop();
    await fx?.close();
  });

  it('routes two paths to two Services, terminates TLS from a Secret, and sets the status', async () => {
    fx.server.objectApi.create(SECRETS, 'default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'local-tls', namespace: 'default' },
      type: 'kubernetes.io/tls',
      data: {
        'tls.crt': Buffer.from(fx.server.pki.serverCertPem).toString('base64'),
        'tls.key': Buffer.from(fx.server.pki.serverKeyPem).toString('base64'),
      },
    });
    fx.server.objectApi.create(INGRESSES, 'default', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'demo', namespace: 'default' },
      spec: {
        tls: [{ hosts: ['localhost'], secretName: 'local-tls' }],
        rules: [
          {
            host: 'localhost',
            http: {
              paths: [
                {
                  path: '/a',
                  pathType: 'Prefix',
                  backend: { service: { name: 'svc-a', port: { name: 'http' } } },
                },
                {
                  path: '/b',
                  pathType: 'Exact',
                  backend: { service: { name: 'svc-b', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    });
    await expect
      .poll(async () => (await get(ingress.httpPort, 'localhost', '/a/')).body, { timeout: 5000 })
      .toBe('pod-a\n');
    expect(await get(ingress.httpPort, 'localhost', '/b')).toEqual({ status: 200, body: 'pod-b\n' });
    expect((await get(ingress.httpPort, 'localhost', '/b/more')).status).toBe(404);
    expect((await get(ingress.httpPort, 'elsewhere', '/a')).status).toBe(404);
    expect(await get(ingress.httpsPort, 'localhost', '/a/', { ca: fx.server.pki.caCertPem })).toEqual({
      status: 200,
      body: 'pod-a\n',
    });
    await expect
      .poll(() => {
        const status = fx.server.objectApi.get(INGRESSES, 'default', 'demo').status as {
          loadBalancer?: { ingress?: Array<{ ip?: string }> };
        };
        return status.loadBalancer?.ingress?.[0]?.ip;
      })
      .toBe('127.0.0.1');
    const classes = fx.server.objectApi.list({
      group: 'networking.k8s.io',
      version: 'v1',
      resource: 'ingressclasses',
    });
    expect(classes.items.map((c) => c.metadata.name)).toContain('nginx');
  });
});
