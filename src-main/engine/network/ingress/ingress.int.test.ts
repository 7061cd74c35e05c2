import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectApiClient } from '../../addons/cluster-client';
import { startNetworkFixture } from '../testing/network-fixture';
import type { NetworkFixture } from '../testing/network-fixture';
import { ingressAddon } from './ingress-addon';

const run = promisify(execFile);

/** A self-signed certificate for `host` (openssl), as a user would put in a TLS Secret. */
async function selfSigned(host: string): Promise<{ certPem: string; keyPem: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'kubedesk-tls-'));
  try {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${host}`,
      '-addext',
      `subjectAltName=DNS:${host}`,
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    return {
      certPem: await readFile(join(dir, 'cert.pem'), 'utf8'),
      keyPem: await readFile(join(dir, 'key.pem'), 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

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
  let ports: { http: number; https: number };

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
    const context = {
      client: objectApiClient(fx.server.objectApi),
      profile: fx.profile,
      env: {},
      settings: {},
    };
    await ingressAddon.apply(context);
    await ingressAddon.waitUntilReady?.(context, 10_000);
    ports = fx.network.ingressPorts() ?? { http: 0, https: 0 };
  });

  afterAll(async () => {
    await fx?.close();
  });

  it('routes two paths to two Services, terminates TLS from a Secret, and sets the status', async () => {
    // The default certificate (the API server's) does not name "example.test", so a verified
    // answer proves SNI picked the Secret.
    const certificate = await selfSigned('example.test');
    fx.server.objectApi.create(SECRETS, 'default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'local-tls', namespace: 'default' },
      type: 'kubernetes.io/tls',
      data: {
        'tls.crt': Buffer.from(certificate.certPem).toString('base64'),
        'tls.key': Buffer.from(certificate.keyPem).toString('base64'),
      },
    });
    fx.server.objectApi.create(INGRESSES, 'default', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      // Plain HTTP is checked on the same host here; by default TLS hosts redirect it (308).
      metadata: {
        name: 'demo',
        namespace: 'default',
        annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' },
      },
      spec: {
        tls: [{ hosts: ['example.test'], secretName: 'local-tls' }],
        rules: [
          {
            host: 'example.test',
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
      .poll(async () => (await get(ports.http, 'example.test', '/a/')).body, { timeout: 5000 })
      .toBe('pod-a\n');
    expect(await get(ports.http, 'example.test', '/b')).toEqual({ status: 200, body: 'pod-b\n' });
    expect((await get(ports.http, 'example.test', '/b/more')).status).toBe(404);
    expect((await get(ports.http, 'elsewhere', '/a')).status).toBe(404);
    expect(await get(ports.https, 'example.test', '/a/', { ca: certificate.certPem })).toEqual({
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

  it('stops serving when the addon is disabled', async () => {
    await ingressAddon.remove({
      client: objectApiClient(fx.server.objectApi),
      profile: fx.profile,
      env: {},
      settings: {},
    });
    await expect.poll(() => fx.network.ingressPorts(), { timeout: 5000 }).toBeUndefined();
    await expect(get(ports.http, 'example.test', '/a/')).rejects.toThrow(/ECONNREFUSED/);
  });
});
