import { PassThrough } from 'node:stream';
import { KubeConfig, Log } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../testing/https-client';
import { startStreamFixture } from './testing/pod-fixture';
import type { StreamFixture } from './testing/pod-fixture';

describe('pods/log with the real kubectl and Docker', () => {
  let fx: StreamFixture;

  beforeAll(async () => {
    fx = await startStreamFixture();
    await fx.createPod('talker', [
      {
        name: 'main',
        attempts: [
          'echo previous-run; exit 1',
          'echo alpha; echo beta; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.3; done',
        ],
      },
      { name: 'side', attempts: ['echo s1; echo s2; sleep 0.1; echo s3 >&2; exec sleep 3600'] },
    ]);
    fx.createPendingPod('pending', 'app');
    // Let the containers write their first lines.
    await new Promise((resolve) => setTimeout(resolve, 700));
  });

  afterAll(async () => {
    await fx?.close();
  });

  it('prints a container’s output, stdout and stderr together', async () => {
    expect(await fx.server.kubectlOk(['logs', 'talker', '-c', 'side'])).toBe('s1\ns2\ns3\n');
  });

  it('honours --tail, --limit-bytes and --since', async () => {
    expect(await fx.server.kubectlOk(['logs', 'talker', '-c', 'side', '--tail=2'])).toBe('s2\ns3\n');
    expect(await fx.server.kubectlOk(['logs', 'talker', '-c', 'side', '--limit-bytes=4'])).toBe('s1\ns');
    expect(await fx.server.kubectlOk(['logs', 'talker', '-c', 'side', '--since=1h'])).toBe('s1\ns2\ns3\n');
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await fx.server.kubectlOk(['logs', 'talker', '-c', 'side', `--since-time=${future}`])).toBe('');
  });

  it('prefixes RFC 3339 timestamps with --timestamps', async () => {
    const out = await fx.server.kubectlOk(['logs', 'talker', '-c', 'side', '--timestamps']);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z s\d$/);
  });

  it('reads the attempt before with --previous', async () => {
    expect(await fx.server.kubectlOk(['logs', 'talker', '-c', 'main', '--previous'])).toBe('previous-run\n');
    const none = await fx.server.kubectl(['logs', 'talker', '-c', 'side', '--previous']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('previous terminated container "side" in pod "talker" not found');
  });

  it('streams new lines with -f while the container runs', async () => {
    const follow = fx.server.spawnKubectl(['logs', '-f', 'talker', '-c', 'main']);
    try {
      await follow.waitFor('alpha\nbeta\ntick 1\n', 10_000);
      const seen = await follow.waitFor(/tick (\d+)\n/, 10_000);
      const first = Number(/tick (\d+)\n[^]*$/.exec(seen)?.[1]);
      // New lines keep arriving on the open stream.
      await follow.waitFor(`tick ${first + 3}\n`, 10_000);
    } finally {
      follow.stop();
    }
  });

  it('client-node Log follows a container until aborted', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(fx.server.kubeconfig);
    const sink = new PassThrough();
    let text = '';
    sink.on('data', (d: Buffer) => (text += d.toString()));
    const controller = await new Log(kc).log('default', 'talker', 'main', sink, {
      follow: true,
      tailLines: 1,
    });
    try {
      await expect.poll(() => text, { timeout: 10_000 }).toMatch(/^tick (\d+)\ntick \d+\n/);
      const first = Number(/^tick (\d+)/.exec(text)?.[1]);
      await expect.poll(() => text, { timeout: 10_000 }).toContain(`tick ${first + 2}\n`);
    } finally {
      controller.abort();
    }
  });

  it('ends a follow when the container stops', async () => {
    const pod = await fx.createPod('short', [{ name: 'c', attempts: ['echo start; sleep 1.5; echo stop'] }]);
    expect(pod.containers.size).toBe(1);
    const result = await fx.server.kubectl(['logs', '-f', 'short'], { timeoutMs: 15_000 });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('start\nstop\n');
  });

  it('answers Kubernetes’ errors as Status', async () => {
    const noContainer = await callApi(fx.server.port, fx.server.pki, {
      path: '/api/v1/namespaces/default/pods/talker/log',
    });
    expect(noContainer.status).toBe(400);
    expect(noContainer.json()).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message: 'a container name must be specified for pod talker, choose one of: [main side]',
    });
    const pending = await fx.server.kubectl(['logs', 'pending']);
    expect(pending.code).not.toBe(0);
    expect(pending.stderr).toContain(
      'Error from server (BadRequest): container "app" in pod "pending" is waiting to start: ContainerCreating',
    );
    const missing = await fx.server.kubectl(['logs', 'nosuch']);
    expect(missing.stderr).toContain('pods "nosuch" not found');
    const invalid = await callApi(fx.server.port, fx.server.pki, {
      path: '/api/v1/namespaces/default/pods/talker/log?container=side&tailLines=-1',
    });
    expect(invalid.status).toBe(422);
  });

  it('lets kubectl pick the default container of a multi-container pod', async () => {
    const result = await fx.server.kubectl(['logs', 'talker', '--tail=1']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Defaulted container "main" out of: main, side');
    expect(result.stdout).toMatch(/^tick \d+\n$/);
  });
});
