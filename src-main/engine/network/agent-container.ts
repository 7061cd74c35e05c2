import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { ENV } from '../../agent/config';
import { TUNNEL_PORT } from '../../agent/tunnel-protocol';
import { checkAcceptingConnections } from '../runtime/docker/accepting-connections';
import { LABELS } from '../runtime/types';
import type { AgentCredentials } from './agent-credentials';
import type { NetworkPlan } from './network-plan';

export const AGENT_ROLE = 'network-agent';
const CONFIG_HASH_LABEL = 'io.kubedesk.agent-config';
const TUNNEL_KEY = `${TUNNEL_PORT}/tcp`;

export interface AgentContainerOptions {
  docker: Docker;
  profile: string;
  plan: NetworkPlan;
  image: string;
  credentials: AgentCredentials;
  caPem: string;
  apiServerPort: number;
  /** Where the agent looks for the API server, in order; defaults to the gateway, then host.docker.internal. */
  apiHosts?: string[];
  clusterDomain: string;
}

/**
 * The agent's container name. The underscores make it an invalid DNS name, so Docker's
 * embedded resolver can never answer it in place of a Service.
 */
export function agentContainerName(profile: string): string {
  return `kd_${profile}_network-agent`;
}

/**
 * Runs the agent: NET_ADMIN (to carry ClusterIPs), the fixed address on the profile network,
 * the tunnel port published on 127.0.0.1 (a free port chosen by Docker), the profile label,
 * and Docker's `unless-stopped` restart policy so it outlives engine restarts. A running agent
 * with the same configuration is kept as is; a different one is replaced. Answers the
 * container id and the tunnel's host port.
 */
export async function ensureAgentContainer(
  options: AgentContainerOptions,
): Promise<{ id: string; tunnelPort: number }> {
  const { docker, plan } = options;
  // Never (re)create the agent on a dockerd that is stopping: see accepting-connections.ts.
  await checkAcceptingConnections(docker);
  const name = agentContainerName(options.profile);
  const env = [
    `${ENV.agentIp}=${plan.agentIp}`,
    `${ENV.clusterDomain}=${options.clusterDomain}`,
    `${ENV.apiHosts}=${(options.apiHosts ?? [plan.gateway, 'host.docker.internal']).join(',')}`,
    `${ENV.apiPort}=${options.apiServerPort}`,
    `${ENV.caPem}=${options.caPem}`,
    `${ENV.certPem}=${options.credentials.certPem}`,
    `${ENV.keyPem}=${options.credentials.keyPem}`,
    `${ENV.tunnelPort}=${TUNNEL_PORT}`,
    `${ENV.tunnelToken}=${options.credentials.tunnelToken}`,
  ];
  const configHash = createHash('sha256')
    .update(JSON.stringify([options.image, env, plan]))
    .digest('hex')
    .slice(0, 16);

  const existing = await inspect(docker, name);
  if (existing && existing.Config?.Labels?.[CONFIG_HASH_LABEL] === configHash) {
    if (!existing.State?.Running) await docker.getContainer(existing.Id).start().catch(ignoreNotModified);
    return { id: existing.Id, tunnelPort: await tunnelHostPort(docker, existing.Id) };
  }
  if (existing)
    await docker
      .getContainer(existing.Id)
      .remove({ force: true })
      .catch(() => undefined);

  const container = await docker.createContainer({
    name,
    Image: options.image,
    Env: env,
    Labels: { [LABELS.profile]: options.profile, [LABELS.role]: AGENT_ROLE, [CONFIG_HASH_LABEL]: configHash },
    ExposedPorts: { [TUNNEL_KEY]: {} },
    HostConfig: {
      NetworkMode: plan.name,
      CapAdd: ['NET_ADMIN'],
      PortBindings: { [TUNNEL_KEY]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
      RestartPolicy: { Name: 'unless-stopped' },
      // The agent outlives engines; bounded logs keep a long-stopped cluster from filling the disk.
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } },
      // Linux engines resolve host.docker.internal only when asked to; Docker Desktop always does.
      ExtraHosts: ['host.docker.internal:host-gateway'],
    },
    NetworkingConfig: { EndpointsConfig: { [plan.name]: { IPAMConfig: { IPv4Address: plan.agentIp } } } },
  });
  await container.start();
  return { id: container.id, tunnelPort: await tunnelHostPort(docker, container.id) };
}

/** The host port Docker published the tunnel on (it changes when the container restarts). */
export async function tunnelHostPort(docker: Docker, id: string): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const info = await docker.getContainer(id).inspect();
    const binding = info.NetworkSettings?.Ports?.[TUNNEL_KEY]?.[0]?.HostPort;
    if (binding) return Number(binding);
    if (!info.State?.Running && !info.State?.Restarting) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the network agent ${id.slice(0, 12)} has no published tunnel port`);
}

async function inspect(docker: Docker, name: string): Promise<Docker.ContainerInspectInfo | undefined> {
  try {
    return await docker.getContainer(name).inspect();
  } catch {
    return undefined;
  }
}

function ignoreNotModified(error: unknown): void {
  const code =
    typeof error === 'object' && error !== null && 'statusCode' in error
      ? (error as { statusCode: unknown }).statusCode
      : 0;
  if (code !== 304) throw error;
}
