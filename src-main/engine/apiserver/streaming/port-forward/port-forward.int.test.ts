import { get } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { KubeConfig, PortForward } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_VERSIONS } from '../../testing/kubectl';
import { startStreamFixture } from '../testing/pod-fixture';
import type { StreamFixture } from '../testing/pod-fixture';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One HTTP GET on a fresh connection. */
function fetchText(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
  });
}

// ≤ 1.30 raw SPDY/3.1; ≥ 1.31 SPDY tunnelled in WebSocket.
const CLIENTS: Array<[label: string, binary: string, env?: Record<string, string>]> = [
  ['1.27 (SPDY)', KUBECTL_VERSIONS['1.27']],
  ['1.28 (SPDY)', KUBECTL_VERSIONS['1.28']],
  ['1.29 (SPDY)', KUBECTL_VERSIONS['1.29']],
  ['1.30 (SPDY)', KUBECTL_VERSIONS['1.30']],
  ['1.31 (SPDY over WebSocket)', KUBECTL_VERSIONS['1.31']],
  ['1.32 (SPDY over WebSocket)', KUBECTL_VERSIONS['1.32']],
  ['1.33 (SPDY over WebSocket)', KUBECTL_VERSIONS['1.33']],
  [
    '1.32 with WebSockets turned off (SPDY)',
    KUBECTL_VERSIONS['1.32'],
    { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' },
  ],
];

describe('pods/portforward with the real kubectl, client-node and Docker', () => {
  let fx: StreamFixture;

  beforeAll(async () => {
    fx = await startStreamFixture();
    await fx.createPod('web', [
      {
        name: 'httpd',
        attempts: [
          'mkdir -p /www && echo hello-from-pod > /www/index.html && head -c 300000 /dev/zero | tr "\\0" x > /www/big.txt && exec httpd -f -p 8080 -h /www',
        ],
      },
    ]);
    fx.createPendingPod('waiting', 'app');
    await new Promise((resolve) => setTimeout(resolve, 500));
  });

  afterAll(async () => {
    await fx?.close();
  });

  for (const [label, binary, env] of CLIENTS) {
    it(`kubectl ${label}: serves HTTP through the forwarded port, several connections at once`, async () => {
      const local = await freePort();
      const forward = fx.server.spawnKubectl(['port-forward', 'pod/web', `${local}:8080`, '-v=8'], {
        binary,
        env,
      });
      try {
        await forward.waitFor(`Forwarding from 127.0.0.1:${local} -> 8080`, 20_000);
        const bodies = await Promise.all([1, 2, 3, 4, 5].map(() => fetchText(local, '/index.html')));
        expect(bodies).toEqual(Array(5).fill('hello-from-pod\n'));
        // More than a flow-control window each way is carried intact.
        const big = await fetchText(local, '/big.txt');
        expect(big.length).toBe(300000);
        expect(await fetchText(local, '/index.html')).toBe('hello-from-pod\n');
        // The first protocol the client tried was accepted.
        expect(forward.errors()).not.toMatch(/fallback/i);
      } finally {
        forward.stop();
      }
    });
  }

  it('refuses to forward to a pod that is not running', async () => {
    const result = await fx.server.kubectl(['port-forward', 'pod/waiting', '18081:8080'], {
      timeoutMs: 20_000,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('pod is not running');
  });

  it('reports a closed port on the error stream', async () => {
    const local = await freePort();
    const forward = fx.server.spawnKubectl(['port-forward', 'pod/web', `${local}:9999`], {
      binary: KUBECTL_VERSIONS['1.27'],
    });
    try {
      await forward.waitFor(`Forwarding from 127.0.0.1:${local} -> 9999`, 20_000);
      await fetchText(local, '/').catch(() => '');
      await forward.waitFor('error forwarding port 9999 to pod web', 10_000, 'stderr');
    } finally {
      forward.stop();
    }
  });

  it('client-node PortForward carries traffic both ways', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(fx.server.kubeconfig);
    const forward = new PortForward(kc);
    const server: Server = createServer((socket) => {
      void forward.portForward('default', 'web', [8080], socket, null, socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const bodies = await Promise.all([1, 2, 3].map(() => fetchText(port, '/index.html')));
      expect(bodies).toEqual(Array(3).fill('hello-from-pod\n'));
    } finally {
      server.close();
    }
  });
});
