import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeObject } from '../../k8s-object';
import { allocateServiceAddresses } from '../../apiserver/registry/core/service-allocation';
import { startTestApiServer } from '../../apiserver/testing/test-api-server';
import type { TestApiServer } from '../../apiserver/testing/test-api-server';
import { realClock } from '../../controllers/runtime/clock';
import { DockerRuntime } from '../../runtime/docker/docker-runtime';
import { ensureProfileNetwork, removeProfileNetwork, startNetwork } from '../index';
import type { RunningNetwork } from '../index';

const run = promisify(execFile);

export const SERVICES = { group: '', version: 'v1', resource: 'services' };
export const SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
// The test images scripts/test-all.sh points the knobs at, for runs that call vitest directly.
process.env.KUBEDESK_AGENT_BASE_IMAGE ||= 'kubedesk-test/node:1';

export const PAUSE_IMAGE = process.env.KUBEDESK_PAUSE_IMAGE || 'kubedesk-test/pause:1';
export const BUSYBOX_IMAGE = process.env.KUBEDESK_TEST_BUSYBOX_IMAGE || 'kubedesk-test/busybox:1';

/** A pod made of a sandbox and one busybox container, created straight through the runtime. */
export interface TestPod {
  name: string;
  ip: string;
  containerId: string;
}

/**
 * One profile's API server (listening where the agent can reach it, allocating ClusterIPs
 * from the profile's Service CIDR) plus its started network, for integration tests.
 */
export interface NetworkFixture {
  profile: string;
  server: TestApiServer;
  readonly network: RunningNetwork;
  /** Stops the network as an engine stop does, then starts it again as the next engine would. */
  restartNetwork(): Promise<void>;
  runtime: DockerRuntime;
  /** Runs a pod whose busybox container serves its name with httpd on 8080 at `/`, `/a/` and `/b`. */
  webPod(name: string, namespace?: string): Promise<TestPod>;
  /** Runs a pod whose container only sleeps, to run commands from. */
  clientPod(name: string, namespace?: string): Promise<TestPod>;
  /** Runs `sh -c script` in a pod's container; never throws. */
  sh(pod: TestPod, script: string): Promise<{ code: number; stdout: string; stderr: string }>;
  createService(obj: KubeObject): KubeObject;
  /** Publishes (or replaces) ready endpoints of `pods` for a Service, as the EndpointSlice controller does. */
  publishEndpoints(
    service: string,
    pods: Array<{ ip: string }>,
    ports: Array<{ name?: string; port: number; protocol?: string }>,
    namespace?: string,
    extra?: Partial<{ hostnames: string[] }>,
  ): void;
  close(): Promise<void>;
}

export async function startNetworkFixture(prefix = 'nt'): Promise<NetworkFixture> {
  const profile = `${prefix}${randomBytes(3).toString('hex')}`;
  const profileDir = await mkdtemp(join(tmpdir(), 'kubedesk-network-'));
  const runtime = new DockerRuntime();
  const plan = await ensureProfileNetwork(runtime.docker, profile, profileDir);
  const server = await startTestApiServer({
    storage: {
      // The test server's bootstrap still writes the default `kubernetes` ClusterIP.
      allocateServiceAddresses: (service, existing) =>
        allocateServiceAddresses(service, existing, {
          serviceCidr: service.metadata.name === 'kubernetes' ? undefined : plan.serviceCidr,
        }),
    },
    http: { host: '0.0.0.0' },
  });
  const pods: string[] = [];
  const networkOptions = {
    api: server.objectApi,
    runtime,
    profile,
    profileDir,
    pki: server.pki,
    apiServerPort: server.port,
    clock: realClock,
    ingressPorts: { http: [0], https: [0] },
    log: (m: string) => console.error(`[network ${profile}] ${m}`),
  };
  let network: RunningNetwork;
  try {
    network = await startNetwork(networkOptions);
  } catch (error) {
    await server.close();
    await removeProfileNetwork(runtime.docker, profile);
    throw error;
  }

  const startPod = async (name: string, namespace: string, script: string): Promise<TestPod> => {
    const podUid = randomBytes(8).toString('hex');
    const identity = { profile, node: 'test', podUid, podName: name, podNamespace: namespace };
    const sandbox = await runtime.createSandbox({
      ...identity,
      image: PAUSE_IMAGE,
      network: plan.name,
      hostname: name,
      dns: { servers: network.dns, searches: network.dnsSearches(namespace), options: network.dnsOptions },
    });
    pods.push(sandbox.id);
    const container = await runtime.createContainer(sandbox.id, {
      ...identity,
      name: 'main',
      role: 'app',
      restartCount: 0,
      image: BUSYBOX_IMAGE,
      command: ['sh', '-c', script],
      env: [],
      mounts: [],
      specHash: 'test',
    });
    pods.push(container.id);
    await runtime.start(container.id);
    return { name, ip: sandbox.ipAddress ?? '', containerId: container.id };
  };

  return {
    profile,
    server,
    get network() {
      return network;
    },
    async restartNetwork() {
      await network.stop();
      network = await startNetwork(networkOptions);
    },
    runtime,
    webPod: (name, namespace = 'default') =>
      startPod(
        name,
        namespace,
        `mkdir -p /www/a && echo ${name} > /www/index.html && cp /www/index.html /www/a/index.html && cp /www/index.html /www/b && exec httpd -f -p 8080 -h /www`,
      ),
    clientPod: (name, namespace = 'default') => startPod(name, namespace, 'exec sleep 3600'),
    async sh(pod, script) {
      try {
        const { stdout, stderr } = await run('docker', ['exec', pod.containerId, 'sh', '-c', script], {
          timeout: 60_000,
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        return {
          code: typeof failed.code === 'number' ? failed.code : 1,
          stdout: failed.stdout ?? '',
          stderr: failed.stderr ?? '',
        };
      }
    },
    createService: (obj) => server.objectApi.create(SERVICES, obj.metadata.namespace ?? 'default', obj),
    publishEndpoints(service, targets, ports, namespace = 'default', extra = {}) {
      const name = `${service}-test`;
      const slice: KubeObject = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name, namespace, labels: { 'kubernetes.io/service-name': service } },
        addressType: 'IPv4',
        endpoints: targets.map((p, i) => ({
          addresses: [p.ip],
          conditions: { ready: true },
          ...(extra.hostnames ? { hostname: extra.hostnames[i] } : {}),
        })),
        ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
      };
      try {
        const current = server.objectApi.get(SLICES, namespace, name);
        server.objectApi.update(SLICES, namespace, { ...slice, metadata: current.metadata });
      } catch {
        server.objectApi.create(SLICES, namespace, slice);
      }
    },
    async close() {
      await network.stop();
      await Promise.all(pods.map((id) => runtime.remove(id).catch(() => undefined)));
      await removeProfileNetwork(runtime.docker, profile);
      await server.close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}
