import { CoreV1Api, NetworkingV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1Service } from '@kubernetes/client-node';
import { clusterHostIp, hostUrls, NoHostPortError } from '../../engine/network/service-urls';
import type { ServiceLink } from '../../ipc/tunnels';

const isProfile = (cluster: string) => cluster.startsWith('profile:');

/** The address other clusters' NodePorts answer on: a node's external, else internal, IP. */
async function nodeAddress(config: KubeConfig): Promise<string | undefined> {
  const nodes = await config.makeApiClient(CoreV1Api).listNode();
  for (const type of ['ExternalIP', 'InternalIP']) {
    for (const node of nodes.items) {
      const found = node.status?.addresses?.find((a) => a.type === type);
      if (found) return found.address;
    }
  }
  return undefined;
}

async function serviceLinks(config: KubeConfig, cluster: string, service: V1Service): Promise<ServiceLink[]> {
  if (isProfile(cluster)) {
    try {
      return hostUrls(service).map((u) => ({
        label: u.portName || u.url.split(':').pop() || '',
        url: u.url,
      }));
    } catch (error) {
      if (error instanceof NoHostPortError) return [];
      throw error;
    }
  }
  const links: ServiceLink[] = [];
  const ports = (service.spec?.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP');
  const scheme = (p: { name?: string; port: number }) =>
    /https/i.test(p.name ?? '') || p.port === 443 ? 'https' : 'http';
  for (const ingress of service.status?.loadBalancer?.ingress ?? []) {
    const host = ingress.ip ?? ingress.hostname;
    if (host)
      for (const p of ports)
        links.push({ label: p.name || String(p.port), url: `${scheme(p)}://${host}:${p.port}` });
  }
  if (service.spec?.type === 'NodePort' || service.spec?.type === 'LoadBalancer') {
    const address = await nodeAddress(config);
    if (address)
      for (const p of ports)
        if (p.nodePort)
          links.push({ label: p.name || String(p.port), url: `${scheme(p)}://${address}:${p.nodePort}` });
  }
  return links;
}

/**
 * URLs that reach a Service or an Ingress from this machine: for local clusters the host
 * ports the engine opens (NodePort, LoadBalancer, the ingress addon on 80/443); for other
 * clusters load-balancer addresses, node addresses with NodePorts and Ingress hosts.
 */
export async function accessLinks(
  config: KubeConfig,
  cluster: string,
  kind: 'Service' | 'Ingress',
  namespace: string,
  name: string,
): Promise<ServiceLink[]> {
  if (kind === 'Service') {
    const service = await config.makeApiClient(CoreV1Api).readNamespacedService({ name, namespace });
    return serviceLinks(config, cluster, service);
  }
  const ingress = await config.makeApiClient(NetworkingV1Api).readNamespacedIngress({ name, namespace });
  const tlsHosts = new Set((ingress.spec?.tls ?? []).flatMap((t) => t.hosts ?? []));
  const fallback = isProfile(cluster)
    ? clusterHostIp()
    : (ingress.status?.loadBalancer?.ingress?.[0]?.ip ??
      ingress.status?.loadBalancer?.ingress?.[0]?.hostname);
  const links: ServiceLink[] = [];
  for (const rule of ingress.spec?.rules ?? []) {
    const host = rule.host ?? fallback;
    if (!host) continue;
    const scheme = rule.host && tlsHosts.has(rule.host) ? 'https' : 'http';
    for (const path of rule.http?.paths ?? [{ path: '/' }]) {
      links.push({ label: rule.host ?? '*', url: `${scheme}://${host}${path.path ?? '/'}` });
    }
  }
  return links;
}
