import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { ObjectApi } from '../apiserver/object-api';
import type { Clock } from '../controllers/runtime/clock';
import type { ProfilePki } from '../profiles/types';
import { removeNetwork } from '../runtime/docker/network-removal';
import { LABELS } from '../runtime/types';
import { agentBundle } from './agent-bundle';
import { AGENT_ROLE, agentContainerName, ensureAgentContainer, tunnelHostPort } from './agent-container';
import { ensureAgentCredentials } from './agent-credentials';
import { agentBaseImage, ensureAgentImage } from './agent-image';
import { startEndpointMirroring } from './endpoint-mirroring';
import { HostProxies } from './host-proxies';
import { startIngressWhenEnabled } from './ingress/ingress-supervisor';
import { ensureKubernetesEndpointSlice } from './kubernetes-endpoints';
import { ensureProfileNetwork, profileNetworkName } from './network-plan';
import type { NetworkPlan } from './network-plan';
import { dialThroughTunnel, pingTunnel } from './tunnel-client';
import type { TunnelEndpoint } from './tunnel-client';

export { ensureProfileNetwork, planFor, profileNetworkName } from './network-plan';
export type { NetworkPlan } from './network-plan';
export { serviceUrls, hostUrls, clusterHostIp, NoHostPortError } from './service-urls';
export type { ServiceUrl } from './service-urls';
export { HOST_PORTS_CONDITION } from './host-proxies';
export { TunnelError } from './tunnel-client';
export { ensureIngressClass, startIngressController } from './ingress/ingress-controller';
export { ingressAddon } from './ingress/ingress-addon';
export type { IngressControllerOptions, RunningIngressController } from './ingress/ingress-controller';

export const CLUSTER_DOMAIN = 'cluster.local';
const READY_TIMEOUT_MS = 60_000;

export interface NetworkOptions {
  api: ObjectApi;
  /** The Docker runtime; its dockerode client manages the network and the agent. */
  runtime: { docker: Docker };
  profile: string;
  profileDir: string;
  pki: ProfilePki;
  /** The API server's port; the agent reaches it at the network gateway (or host.docker.internal). */
  apiServerPort: number;
  /** Bind NodePort/LoadBalancer listeners on all interfaces instead of 127.0.0.1. */
  exposeOnAllInterfaces?: boolean;
  clock: Clock;
  /** Overrides where the agent looks for the API server (default: gateway, host.docker.internal). */
  apiHosts?: string[];
  /** Host ports the ingress router tries, in order (default 80, 8080… and 443, 8443…; 0 = any). */
  ingressPorts?: { http: number[]; https: number[] };
  log?: (message: string) => void;
}

export interface RunningNetwork {
  /** DNS servers pods must use (the agent). */
  dns: string[];
  /** Search path and options pods get with ClusterFirst (namespace first). */
  dnsSearches(namespace: string): string[];
  dnsOptions: string[];
  /** The Service CIDR the API server must allocate ClusterIPs from. */
  serviceCidr: string;
  plan: NetworkPlan;
  /** TCP connection to a ClusterIP or pod IP, through the agent's tunnel (works on Docker Desktop too). */
  dial(ip: string, port: number): Promise<Duplex>;
  /** The ingress router's host ports while the Ingress addon is enabled. */
  ingressPorts(): { http: number; https: number } | undefined;
  /** Stops host listeners and supervision; the agent keeps running so pods keep DNS and ClusterIPs. */
  stop(): Promise<void>;
}

/**
 * Starts the profile's networking: makes sure the bridge network (see `NetworkPlan`) and the
 * agent image exist, runs the agent container, waits until it has synced Services and
 * EndpointSlices from the API server, supervises it (a dead or removed agent is started or
 * re-created), opens the host listeners for NodePort and LoadBalancer Services, mirrors
 * hand-written Endpoints of selector-less Services into EndpointSlices, and runs the ingress
 * router while the Ingress addon's `nginx` IngressClass exists.
 * The API server must already listen on the network's gateway address (or be reachable as
 * host.docker.internal) at `apiServerPort`.
 */
export async function startNetwork(options: NetworkOptions): Promise<RunningNetwork> {
  const { docker } = options.runtime;
  const log = options.log ?? (() => undefined);
  const plan = await ensureProfileNetwork(docker, options.profile, options.profileDir);
  const [bundle, credentials] = await Promise.all([
    agentBundle(),
    ensureAgentCredentials(options.profileDir, options.pki),
  ]);
  const image = await ensureAgentImage(docker, bundle, agentBaseImage());
  const runAgent = () =>
    ensureAgentContainer({
      docker,
      profile: options.profile,
      plan,
      image,
      credentials,
      caPem: options.pki.caCertPem,
      apiServerPort: options.apiServerPort,
      apiHosts: options.apiHosts,
      clusterDomain: CLUSTER_DOMAIN,
    });
  let agent = await runAgent();
  const endpoint: TunnelEndpoint = {
    port: () => agent.tunnelPort,
    token: credentials.tunnelToken,
    refresh: async () => {
      agent = { ...agent, tunnelPort: await tunnelHostPort(docker, agent.id).catch(() => agent.tunnelPort) };
    },
  };
  const apiAddress = await waitReady(docker, endpoint, agent.id);
  if (apiAddress) {
    try {
      ensureKubernetesEndpointSlice(options.api, apiAddress, options.apiServerPort);
    } catch (error) {
      log(`kubernetes EndpointSlice: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  let stopped = false;
  let ensuring: Promise<void> | undefined;
  const supervise = () => {
    if (stopped || ensuring) return;
    ensuring = (async () => {
      // Docker's restart policy usually brings it back first; give it a moment.
      await new Promise((r) => setTimeout(r, 500));
      if (stopped) return;
      try {
        agent = await runAgent();
      } catch (error) {
        log(`network agent: ${error instanceof Error ? error.message : String(error)}`);
      }
    })().finally(() => {
      ensuring = undefined;
    });
  };
  let events: (NodeJS.ReadableStream & { destroy(): void }) | undefined;
  const subscribe = async (): Promise<void> => {
    const stream = (await docker.getEvents({
      filters: {
        type: ['container'],
        label: [`${LABELS.profile}=${options.profile}`, `${LABELS.role}=${AGENT_ROLE}`],
      },
    })) as NodeJS.ReadableStream & { destroy(): void };
    events = stream;
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          const action = String((JSON.parse(line) as { Action?: unknown }).Action ?? '');
          // A start may come with a new tunnel port; the others mean the agent is gone.
          if (['die', 'destroy', 'stop', 'start'].includes(action)) supervise();
        } catch {
          // A malformed event line is not worth failing supervision for.
        }
      }
    });
    stream.on('error', () => undefined);
    // The stream ends when the Docker engine restarts: subscribe again and check the agent.
    stream.on('close', () => {
      if (stopped || events !== stream) return;
      setTimeout(() => {
        if (stopped) return;
        subscribe().then(supervise, () => stream.emit('close'));
      }, 1000);
    });
  };
  await subscribe();

  const proxies = new HostProxies({
    api: options.api,
    clock: options.clock,
    bindHost: options.exposeOnAllInterfaces ? '0.0.0.0' : '127.0.0.1',
    dial: (ip, port) => dialThroughTunnel(endpoint, ip, port),
    log,
  });
  proxies.start();
  const mirroring = startEndpointMirroring({ api: options.api, clock: options.clock, log });
  const ingress = startIngressWhenEnabled({
    api: options.api,
    clock: options.clock,
    bindHost: options.exposeOnAllInterfaces ? '0.0.0.0' : '127.0.0.1',
    dial: (ip, port) => dialThroughTunnel(endpoint, ip, port),
    // Like ingress-nginx's fake certificate: served when no Ingress TLS entry names the host.
    defaultCertificate: { certPem: options.pki.serverCertPem, keyPem: options.pki.serverKeyPem },
    httpPorts: options.ingressPorts?.http,
    httpsPorts: options.ingressPorts?.https,
    log,
  });

  return {
    dns: [plan.agentIp],
    dnsSearches: (namespace) => [
      `${namespace}.svc.${CLUSTER_DOMAIN}`,
      `svc.${CLUSTER_DOMAIN}`,
      CLUSTER_DOMAIN,
    ],
    dnsOptions: ['ndots:5'],
    serviceCidr: plan.serviceCidr,
    plan,
    dial: (ip, port) => dialThroughTunnel(endpoint, ip, port),
    ingressPorts() {
      const running = ingress.current();
      return running ? { http: running.httpPort, https: running.httpsPort } : undefined;
    },
    async stop() {
      stopped = true;
      events?.destroy();
      await Promise.all([proxies.stop(), ingress.stop(), mirroring.stop()]);
      await ensuring;
    },
  };
}

/** Waits for the agent's first sync; answers the API server address it reached. */
async function waitReady(docker: Docker, endpoint: TunnelEndpoint, id: string): Promise<string | undefined> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const answer = await pingTunnel(endpoint);
    if (answer) return answer.apiAddress;
    await endpoint.refresh();
    await new Promise((r) => setTimeout(r, 200));
  }
  const logs = await docker
    .getContainer(id)
    .logs({ stdout: true, stderr: true, tail: 10 })
    .then(demuxLogs)
    .catch(() => '');
  throw new Error(
    `the network agent did not become ready within ${READY_TIMEOUT_MS / 1000}s ` +
      '(it must reach the API server at the Docker network gateway or host.docker.internal; ' +
      `a host firewall blocking containers from the host's ports prevents that); its last log lines:\n${logs}`,
  );
}

/** Removes the profile's agent container and bridge network (for `kubedesk delete`). */
export async function removeProfileNetwork(docker: Docker, profile: string): Promise<void> {
  await docker
    .getContainer(agentContainerName(profile))
    .remove({ force: true })
    .catch(() => undefined);
  await removeNetwork(docker, profileNetworkName(profile));
}

/** Docker's multiplexed log frames (8-byte headers) as plain text. */
function demuxLogs(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
