import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_VERSIONS } from '../testing/kubectl';
import { startStreamFixture } from './testing/pod-fixture';
import type { StreamFixture } from './testing/pod-fixture';
import { spawnKubectlOnPty } from './testing/pty-kubectl';

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

function fetchText(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
  });
}

describe('kubectl workflows built on the pod streams', () => {
  let fx: StreamFixture;

  beforeAll(async () => {
    fx = await startStreamFixture();
    await fx.createPod(
      'web-1',
      [
        {
          name: 'server',
          attempts: [
            'echo serving; mkdir -p /www && echo hello-web > /www/index.html && exec httpd -f -p 8080 -h /www',
          ],
        },
        { name: 'helper', attempts: ['echo helping; exec sleep 3600'] },
      ],
      { app: 'web' },
    );
    await fx.createPod('terminal', [{ name: 'sh', attempts: ['exec sh'], tty: true, stdin: true }]);
    fx.server.objectApi.create({ group: '', version: 'v1', resource: 'services' }, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    fx.server.objectApi.create({ group: 'apps', version: 'v1', resource: 'deployments' }, 'default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'server', image: 'kubedesk-test/busybox:1' }] },
        },
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
  });

  afterAll(async () => {
    await fx?.close();
  });

  it('kubectl logs by label with --all-containers --prefix, and of a deployment', async () => {
    const out = await fx.server.kubectlOk(['logs', '-l', 'app=web', '--all-containers', '--prefix']);
    expect(out.trim().split('\n').sort()).toEqual([
      '[pod/web-1/helper] helping',
      '[pod/web-1/server] serving',
    ]);
    expect(await fx.server.kubectlOk(['logs', 'deploy/web', '-c', 'server'])).toBe('serving\n');
  });

  for (const version of ['1.27', '1.32']) {
    it(`kubectl ${version} cp copies files into and out of a container`, async () => {
      const binary = KUBECTL_VERSIONS[version];
      const dir = await mkdtemp(join(fx.server.dir, 'cp-'));
      const source = join(dir, 'in.bin');
      // Binary content, larger than a flow-control window.
      const payload = Buffer.alloc(200_000);
      for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) % 256;
      await writeFile(source, payload);
      await fx.server.kubectlOk(['cp', source, `web-1:/tmp/copied-${version}.bin`, '-c', 'helper'], {
        binary,
      });
      const back = join(dir, 'out.bin');
      await fx.server.kubectlOk(['cp', `web-1:/tmp/copied-${version}.bin`, back, '-c', 'helper'], { binary });
      expect((await readFile(back)).equals(payload)).toBe(true);
    });

    it(`kubectl ${version} port-forward to a Service and to a Deployment`, async () => {
      const binary = KUBECTL_VERSIONS[version];
      for (const target of ['svc/web', 'deploy/web']) {
        const local = await freePort();
        const remote = target === 'svc/web' ? '80' : '8080';
        const forward = fx.server.spawnKubectl(['port-forward', target, `${local}:${remote}`], { binary });
        try {
          await forward.waitFor(`Forwarding from 127.0.0.1:${local} -> 8080`, 20_000);
          expect(await fetchText(local, '/index.html')).toBe('hello-web\n');
        } finally {
          forward.stop();
        }
      }
    });

    it(`kubectl ${version} attach -it joins a container's terminal`, async () => {
      const session = spawnKubectlOnPty(KUBECTL_VERSIONS[version], fx.server.kubeconfig, fx.server.dir, [
        'attach',
        '-it',
        'terminal',
      ]);
      try {
        await session.waitFor("If you don't see a command prompt, try pressing enter.");
        session.write(`echo attached-$((40+${version === '1.27' ? 2 : 3}))\r`);
        await session.waitFor(`attached-${version === '1.27' ? 42 : 43}`);
      } finally {
        session.kill();
      }
    });
  }
});
