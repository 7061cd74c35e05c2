import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerSpec, SandboxSpec } from '../types';
import { DockerRuntime } from './docker-runtime';

const pauseImage = process.env.KUBEDESK_PAUSE_IMAGE ?? 'kubedesk-test/pause:1';
const testImage = process.env.KUBEDESK_TEST_IMAGE ?? 'kubedesk-test/busybox:1';
const profile = `rt-${randomUUID().slice(0, 6)}`;
const network = `kubedesk-${profile}`;
const runtime = new DockerRuntime();

function pod(name: string): Omit<SandboxSpec, 'image' | 'network' | 'hostname'> {
  return { profile, node: profile, podUid: randomUUID(), podName: name, podNamespace: 'default' };
}

function container(sandbox: ReturnType<typeof pod>, name: string, args: string[]): ContainerSpec {
  return {
    ...sandbox,
    name,
    role: 'app',
    restartCount: 0,
    image: testImage,
    command: ['sh', '-c'],
    args,
    env: ['GREETING=hello'],
    mounts: [],
    specHash: 'x',
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

describe('DockerRuntime against the real Docker engine', () => {
  beforeAll(async () => {
    await runtime.ping();
    await runtime.ensureNetwork(network, { 'io.kubedesk.profile': profile });
  });

  afterAll(async () => {
    for (const c of await runtime.listManaged(profile)) await runtime.remove(c.id);
    await runtime.removeNetwork(network);
  });

  it('runs a pod: sandbox with an address, containers sharing its network, logs, exec, connect', async () => {
    const identity = pod('web');
    const sandbox = await runtime.createSandbox({ ...identity, image: pauseImage, network, hostname: 'web' });
    expect(sandbox.state).toBe('running');
    expect(sandbox.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    const server = await runtime.createContainer(
      sandbox.id,
      container(identity, 'server', [
        'echo "$GREETING from $(hostname)"; echo oops >&2; httpd -f -p 8080 -h /etc',
      ]),
    );
    await runtime.start(server.id);
    const running = await runtime.inspect(server.id);
    expect(running?.state).toBe('running');
    expect(running?.container).toBe('server');

    // Logs: both streams, demultiplexed.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const logs = await readAll(await runtime.logs(server.id, {}));
    expect(logs).toContain('hello from web');
    expect(logs).toContain('oops');

    // Exec: output and exit code.
    const session = await runtime.exec(server.id, {
      command: ['sh', '-c', 'cat /etc/hostname; exit 3'],
      stdin: false,
      stdout: true,
      stderr: true,
      tty: false,
    });
    const [output, code] = await Promise.all([readAll(session.stdout), session.exitCode]);
    expect(output.trim()).toBe('web');
    expect(code).toBe(3);

    // Connect: reach the server through the sandbox's network namespace.
    const socket = await runtime.connect(sandbox.id, 8080);
    socket.write('GET /passwd HTTP/1.0\r\n\r\n');
    const response = await readAll(socket);
    expect(response).toContain('root:x:0:0');

    // Managed listing finds both, with their roles.
    const managed = await runtime.listManaged(profile);
    expect(managed.map((c) => c.role).sort()).toEqual(['app', 'sandbox']);
    // …and narrows by further labels.
    const onlyServer = await runtime.listManaged(profile, { 'io.kubedesk.container': 'server' });
    expect(onlyServer.map((c) => c.id)).toEqual([server.id]);
  });

  it('describes the engine host for node capacity and info', async () => {
    const info = await runtime.info();
    expect(info.cpus).toBeGreaterThan(0);
    expect(info.memoryBytes).toBeGreaterThan(0);
    expect(info.version).toMatch(/^\d+\./);
    expect(info.os).toBe('linux');
    expect(['amd64', 'arm64']).toContain(info.arch);
  });

  it('reports a container that exits, with its code, through engine events', async () => {
    const identity = pod('job');
    const sandbox = await runtime.createSandbox({ ...identity, image: pauseImage, network, hostname: 'job' });
    const events: string[] = [];
    const stop = await runtime.watchEvents(profile, (event) => events.push(event.action));
    const worker = await runtime.createContainer(sandbox.id, container(identity, 'worker', ['exit 7']));
    await runtime.start(worker.id);
    await expect.poll(() => events.includes('die'), { timeout: 10_000 }).toBe(true);
    stop();
    const exited = await runtime.inspect(worker.id);
    expect(exited?.state).toBe('exited');
    expect(exited?.exitCode).toBe(7);
  });

  it('refuses a missing image with pull policy Never, and fails a pull that cannot reach a registry', async () => {
    await expect(runtime.ensureImage('kubedesk-test/absent:1', 'Never')).rejects.toMatchObject({
      reason: 'ErrImageNeverPull',
    });
    await expect(runtime.ensureImage('127.0.0.1:1/absent:1', 'IfNotPresent')).rejects.toMatchObject({
      reason: 'ErrImagePull',
    });
    await expect(runtime.ensureImage(testImage, 'IfNotPresent')).resolves.toMatchObject({ pulled: false });
  });
});
