import type { ApiConnection } from './kube-watch';

/** Everything the agent is told by the engine, through its container environment. */
export interface AgentConfig {
  /** The agent's own address on the profile network; DNS and the tunnel listen there. */
  agentIp: string;
  device: string;
  clusterDomain: string;
  api: ApiConnection;
  tunnelPort: number;
  tunnelToken: string;
  upstreamDns: { host: string; port: number };
}

/** Environment variable names, shared with the engine that sets them. */
export const ENV = {
  agentIp: 'KUBEDESK_AGENT_IP',
  device: 'KUBEDESK_AGENT_DEVICE',
  clusterDomain: 'KUBEDESK_CLUSTER_DOMAIN',
  apiHosts: 'KUBEDESK_API_HOSTS',
  apiPort: 'KUBEDESK_API_PORT',
  apiServerName: 'KUBEDESK_API_SERVER_NAME',
  caPem: 'KUBEDESK_CA_PEM',
  certPem: 'KUBEDESK_CERT_PEM',
  keyPem: 'KUBEDESK_KEY_PEM',
  tunnelPort: 'KUBEDESK_TUNNEL_PORT',
  tunnelToken: 'KUBEDESK_TUNNEL_TOKEN',
  upstreamDns: 'KUBEDESK_UPSTREAM_DNS',
} as const;

/** Reads the configuration; throws naming the first missing variable. */
export function readConfig(env: NodeJS.ProcessEnv): AgentConfig {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const [upstreamHost, upstreamPort] = (env[ENV.upstreamDns] || '127.0.0.11:53').split(':');
  return {
    agentIp: need(ENV.agentIp),
    device: env[ENV.device] || 'eth0',
    clusterDomain: env[ENV.clusterDomain] || 'cluster.local',
    api: {
      hosts: need(ENV.apiHosts).split(',').filter(Boolean),
      port: Number(need(ENV.apiPort)),
      caPem: need(ENV.caPem),
      certPem: need(ENV.certPem),
      keyPem: need(ENV.keyPem),
      serverName: env[ENV.apiServerName] || 'kubernetes',
    },
    tunnelPort: Number(need(ENV.tunnelPort)),
    tunnelToken: need(ENV.tunnelToken),
    upstreamDns: { host: upstreamHost, port: Number(upstreamPort || 53) },
  };
}
