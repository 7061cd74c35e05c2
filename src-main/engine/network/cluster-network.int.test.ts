/**
 * Cluster networking end to end: the whole engine (controllers, kubelet, network) started
 * in-process, driven with the real kubectl, checked from pods and from the host.
 */
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BUSYBOX_IMAGE as BUSYBOX, testProfile } from '../../../test/harness/engine-profile';
import { registerIp } from '../../cli/commands/ip';
import { registerService } from '../../cli/commands/service';

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

describe('cluster networking end to end (engine + kubectl + real Docker)', () => {
  const engine = testProfile({
    namePrefix: 'ce',
    dirPrefix: 'kubedesk-cluster-network-',
    kubectlTimeoutMs: 60_000,
  });
  const kubectl = engine.kubectl;
  const inPod = (pod: string, script: string) => kubectl(['exec', pod, '--', 'sh', '-c', script]);

  beforeAll(async () => {
    await engine.start();
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
    await engine.cleanup();
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
    await engine.restart();
    await expect.poll(body, { timeout: 20_000, interval: 500 }).toMatch(/^web-/);
    expect(await inPod('client', 'wget -O - http://web/ 2>/dev/null')).toMatch(/^web-/);
  });

  it('prints working URLs with `kubedesk service --url` and the address with `kubedesk ip`', async () => {
    let out = '';
    const io = {
      out: (text: string) => void (out += text),
      err: () => undefined,
      isTTY: false,
      env: { KUBEDESK_HOME: engine.home },
    };
    const cli = () => {
      const program = new Command().exitOverride().option('-p, --profile <name>');
      registerService(program, io);
      registerIp(program, io);
      return program;
    };
    await cli().parseAsync(['-p', engine.config.name, 'service', 'web', '--url'], { from: 'user' });
    expect(out).toBe(`http://127.0.0.1:${NODE_PORT}\n`);
    expect(await (await fetch(out.trim())).text()).toMatch(/^web-/);
    out = '';
    await cli().parseAsync(['-p', engine.config.name, 'ip'], { from: 'user' });
    expect(out).toBe('127.0.0.1\n');
    await expect(
      cli().parseAsync(['-p', engine.config.name, 'service', 'db', '--url'], { from: 'user' }),
    ).rejects.toThrow('service default/db has no node port');
  });
});
