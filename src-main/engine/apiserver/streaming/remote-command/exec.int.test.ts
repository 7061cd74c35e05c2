import { PassThrough } from 'node:stream';
import { Attach, Exec, KubeConfig } from '@kubernetes/client-node';
import type { V1Status } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_VERSIONS } from '../../testing/kubectl';
import { startStreamFixture } from '../testing/pod-fixture';
import type { StreamFixture } from '../testing/pod-fixture';
import { spawnKubectlOnPty } from '../testing/pty-kubectl';

// 1.27–1.29 speak SPDY/3.1 only; 1.30+ WebSocket v5.channel.k8s.io.
const CLIENTS: Array<[label: string, binary: string, env?: Record<string, string>]> = [
  ['1.27 (SPDY)', KUBECTL_VERSIONS['1.27']],
  ['1.29 (SPDY)', KUBECTL_VERSIONS['1.29']],
  ['1.32 (WebSocket)', KUBECTL_VERSIONS['1.32']],
  [
    '1.32 with WebSockets turned off (SPDY)',
    KUBECTL_VERSIONS['1.32'],
    { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' },
  ],
];

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return () => text;
}

describe('pods/exec and pods/attach with the real kubectl, client-node and Docker', () => {
  let fx: StreamFixture;

  beforeAll(async () => {
    fx = await startStreamFixture();
    await fx.createPod('shell', [{ name: 'box', attempts: ['exec sleep 3600'] }]);
    await fx.createPod('two', [
      { name: 'a', attempts: ['exec sleep 3600'] },
      { name: 'b', attempts: ['exec sleep 3600'] },
    ]);
  });

  afterAll(async () => {
    await fx?.close();
  });

  for (const [label, binary, env] of CLIENTS) {
    it(`kubectl ${label}: exit code, stdout and stderr`, async () => {
      const result = await fx.server.kubectl(
        ['exec', 'shell', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'],
        {
          binary,
        },
      );
      expect(result.stdout).toBe('out\n');
      expect(result.stderr).toContain('err\n');
      expect(result.code).toBe(3);
      const ok = await fx.server.kubectl(['exec', 'shell', '--', 'true'], { binary, env });
      expect(ok.code).toBe(0);
    });

    it(`kubectl ${label}: stdin is passed and its end is seen`, async () => {
      const result = await fx.server.kubectl(['exec', '-i', 'shell', '--', 'sh', '-c', 'cat; echo done'], {
        binary,
        env,
        input: 'piped input\n',
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('piped input\ndone\n');
    });

    it(`kubectl ${label}: -it runs an interactive shell on a terminal`, async () => {
      const before = fx.runtime.resizes.length;
      const session = spawnKubectlOnPty(
        binary,
        fx.server.kubeconfig,
        fx.server.dir,
        ['exec', '-it', 'shell', '--', 'sh'],
        env,
      );
      try {
        await session.waitFor('#');
        session.write('echo $((6*7))\r');
        await session.waitFor('42');
        session.write('exit 5\r');
        expect(await session.exited).toBe(5);
        // The terminal's size reached the process through the resize stream.
        expect(fx.runtime.resizes.slice(before)).toContainEqual({ width: 100, height: 30 });
      } finally {
        session.kill();
      }
    });

    it(`kubectl ${label}: exec into a named container; unknown ones are refused`, async () => {
      const result = await fx.server.kubectl(['exec', 'two', '-c', 'b', '--', 'hostname'], { binary, env });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('two\n');
      const bad = await fx.server.kubectl(['exec', 'two', '-c', 'zz', '--', 'true'], { binary, env });
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('container zz is not valid for pod two');
    });
  }

  it('every kubectl from 1.27 to 1.33 gets the exit code', async () => {
    for (const [version, binary] of Object.entries(KUBECTL_VERSIONS)) {
      const result = await fx.server.kubectl(['exec', '-i', 'shell', '--', 'sh', '-c', 'cat; exit 4'], {
        binary,
        input: `from ${version}`,
      });
      expect({ version, code: result.code, out: result.stdout }).toEqual({
        version,
        code: 4,
        out: `from ${version}`,
      });
    }
  });

  it('refuses to exec into a container that is not running, in the kubelet’s words', async () => {
    await fx.createPod('stopped', [{ name: 'c', attempts: ['exit 0'] }]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const [, binary, env] of CLIENTS) {
      const result = await fx.server.kubectl(['exec', 'stopped', '--', 'true'], { binary, env });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('container not found ("c")');
    }
  });

  it('client-node Exec reports the exit code in its status', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(fx.server.kubeconfig);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out = collect(stdout);
    const err = collect(stderr);
    const status = await new Promise<V1Status>((resolve, reject) => {
      new Exec(kc)
        .exec(
          'default',
          'shell',
          'box',
          ['sh', '-c', 'echo hi; echo oops >&2; exit 2'],
          stdout,
          stderr,
          null,
          false,
          resolve,
        )
        .catch(reject);
    });
    expect(status.status).toBe('Failure');
    expect(status.reason).toBe('NonZeroExitCode');
    expect(status.details?.causes?.[0]).toMatchObject({ reason: 'ExitCode', message: '2' });
    expect(out()).toBe('hi\n');
    expect(err()).toBe('oops\n');

    const stdin = new PassThrough();
    const echoed = new PassThrough();
    const echoedText = collect(echoed);
    const success = await new Promise<V1Status>((resolve, reject) => {
      new Exec(kc)
        .exec('default', 'shell', 'box', ['cat'], echoed, null, stdin, false, resolve)
        .catch(reject);
      stdin.end('through stdin\n');
    });
    expect(success.status).toBe('Success');
    expect(echoedText()).toBe('through stdin\n');
  });

  it('attach joins a running container’s stdin and stdout (kubectl and client-node)', async () => {
    await fx.createPod('listener', [
      { name: 'l', attempts: ['while read line; do echo "got $line"; done'], stdin: true },
    ]);
    const kc = new KubeConfig();
    kc.loadFromFile(fx.server.kubeconfig);
    const stdout = new PassThrough();
    const out = collect(stdout);
    const stdin = new PassThrough();
    const ws = await new Attach(kc).attach('default', 'listener', 'l', stdout, null, stdin, false);
    stdin.write('ping\n');
    await expect.poll(out, { timeout: 10_000 }).toContain('got ping');
    ws.close();

    const target = (await fx.runtime.listManaged(fx.profile, { 'io.kubedesk.pod-name': 'listener' })).find(
      (c) => c.role === 'app',
    );
    for (const [, binary, env] of CLIENTS) {
      const follower = fx.server.spawnKubectl(['attach', 'listener', '-c', 'l'], { binary, env });
      try {
        // Give the attach time to join, then feed the container's stdin from inside.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const tag = binary.slice(-4);
        const writer = await fx.runtime.exec(target?.id ?? '', {
          command: ['sh', '-c', `echo hello ${tag} > /proc/1/fd/0`],
          stdin: false,
          stdout: true,
          stderr: true,
          tty: false,
        });
        writer.stdout.resume();
        writer.stderr?.resume();
        await writer.exitCode;
        await follower.waitFor(`got hello ${tag}`, 10_000);
      } finally {
        follower.stop();
      }
    }
  });
});
