/**
 * Cluster networking end to end: the whole engine (controllers, kubelet, network) started
 * in-process, driven with the real kubectl, checked from pods and from the host.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerIp } from '../../cli/commands/ip';
import { registerService } from '../../cli/commands/service';
import { runKubectl, writeTestKubeconfig } from '../apiserver/testing/kubectl';
import { startCluster } from '../cluster';
import type { RunningCluster } from '../cluster';
import { ensureProfilePki } from '../profiles/pki';
import { profilePaths } from '../profiles/paths';
import { createProfile } from '../profiles/profile-store';
import type { ProfileConfig, ProfilePki } from '../profiles/types';
import { DockerRuntime } from '../runtime/docker/docker-runtime';
import { removeProfileNetwork } from './index';
import { LABELS } from '../runtime/types';

process.env.KUBEDESK_PAUSE_IMAGE ||= 'kubedesk-test/pause:1';
process.env.KUBEDESK_AGENT_BASE_IMAGE ||= 'kubedesk-test/node:1';
const BUSYBOX = process.env.KUBEDESK_TEST_BUSYBOX_IMAGE || 'kubedesk-test/busybox:1';

// Requested explicitly: the allocator picks the same NodePort for the same Service name in every
// profile, and other clusters on this machine may run a "web" Service too.
const NODE_PORT = 30000 + Math.floor(Math.random() * 2700);

const MANIFESTS = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ${BUSYBOX}
        imagePullPolicy: Never
        command: [sh, -c, 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www']
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http, nodePort: ${NODE_PORT}}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: http, port: 8080}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: ${BUSYBOX}
        imagePullPolicy: Never
        command: [sh, -c, 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www']
        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('cluster networking end to end (engine + kubectl + real Docker)', () => {
  let dir: string;
  let home: string;
  let profileDir: string;
  let config: ProfileConfig;
  let pki: ProfilePki;
  let cluster: RunningCluster | undefined;
  let kubeconfig: string;
  const kubectl = async (args: string[], input?: string) => {
    const result = await runKubectl(kubeconfig, dir, args, { input, timeoutMs: 60_000 });
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}${result.stdout}`);
    return result.stdout;
  };
  const inPod = (pod: string, script: string) => kubectl(['exec', pod, '--', 'sh', '-c', script]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubedesk-cluster-network-'));
    home = join(dir, 'home');
    config = await createProfile(
      { name: `ce${randomBytes(3).toString('hex')}`, apiServerPort: await freePort() },
      home,
    );
    profileDir = profilePaths(config.name, home).dir;
    pki = await ensureProfilePki(profileDir);
    cluster = await startCluster({ config, profileDir, pki, log: () => undefined });
    kubeconfig = await writeTestKubeconfig(dir, cluster.port, pki);
    await kubectl(['apply', '-f', '-'], MANIFESTS);
    await kubectl([
      'run',
      'client',
      `--image=${BUSYBOX}`,
      '--image-pull-policy=Never',
      '--',
      'sleep',
      '3600',
    ]);
    await kubectl(['wait', '--for=condition=Ready', 'pod', '--all', '--timeout=90s']);
    await kubectl(['rollout', 'status', 'statefulset/db', '--timeout=90s']);
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s']);
  });

  afterAll(async () => {
    await cluster?.stop();
    const runtime = new DockerRuntime();
    const containers = await runtime.listManaged(config.name);
    await Promise.all(containers.map((c) => runtime.remove(c.id)));
    await runtime.docker
      .listContainers({ all: true, filters: { label: [`${LABELS.profile}=${config.name}`] } })
      .then((left) => Promise.all(left.map((c) => runtime.remove(c.Id))));
    await removeProfileNetwork(runtime.docker, config.name);
    await rm(dir, { recursive: true, force: true });
  });

  it('spreads a Deployment Service over its 3 pods by name from a pod', async () => {
    const output = await inPod('client', 'for i in $(seq 30); do wget -O - http://web/ 2>/dev/null; done');
    const pods = (
      await kubectl(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])
    ).split(' ');
    expect(new Set(output.trim().split('\n'))).toEqual(new Set(pods));
  });

  it('lets StatefulSet pods resolve each other through the headless Service', async () => {
    expect(await inPod('db-0', 'wget -O - http://db-1.db:8080/ 2>/dev/null')).toBe('db-1\n');
    expect(await inPod('db-1', 'wget -O - http://db-0.db.default.svc.cluster.local:8080/ 2>/dev/null')).toBe(
      'db-0\n',
    );
  });

  it('reaches the API server from a pod through the kubernetes Service', async () => {
    expect(await inPod('client', 'echo | nc kubernetes.default.svc 443 >/dev/null && echo connected')).toBe(
      'connected\n',
    );
  });

  it('answers the NodePort from the host, also after the engine restarts', async () => {
    const nodePort = await kubectl(['get', 'service', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
    const body = () =>
      fetch(`http://127.0.0.1:${nodePort}/`).then(
        (r) => r.text(),
        (e: unknown) => `error ${String(e)}`,
      );
    await expect.poll(body, { timeout: 10_000 }).toMatch(/^web-/);
    await cluster?.stop();
    cluster = await startCluster({ config, profileDir, pki, log: () => undefined });
    await expect.poll(body, { timeout: 20_000, interval: 500 }).toMatch(/^web-/);
    expect(await inPod('client', 'wget -O - http://web/ 2>/dev/null')).toMatch(/^web-/);
  });

  it('prints working URLs with `kubedesk service --url` and the address with `kubedesk ip`', async () => {
    let out = '';
    const io = {
      out: (text: string) => void (out += text),
      err: () => undefined,
      isTTY: false,
      env: { KUBEDESK_HOME: home },
    };
    const cli = () => {
      const program = new Command().exitOverride().option('-p, --profile <name>');
      registerService(program, io);
      registerIp(program, io);
      return program;
    };
    await cli().parseAsync(['-p', config.name, 'service', 'web', '--url'], { from: 'user' });
    expect(out).toBe(`http://127.0.0.1:${NODE_PORT}\n`);
    expect(await (await fetch(out.trim())).text()).toMatch(/^web-/);
    out = '';
    await cli().parseAsync(['-p', config.name, 'ip'], { from: 'user' });
    expect(out).toBe('127.0.0.1\n');
    await expect(
      cli().parseAsync(['-p', config.name, 'service', 'db', '--url'], { from: 'user' }),
    ).rejects.toThrow('service default/db has no node port');
  });
});
