import type { V1Service } from '@kubernetes/client-node';
import type { ObjectApi } from '../apiserver/object-api';

const SERVICES = { group: '', version: 'v1', resource: 'services' };

/** The address host clients use for NodePorts and LoadBalancers (`kubedesk ip`). */
export function clusterHostIp(): string {
  return '127.0.0.1';
}

/** One URL per reachable port of a Service, as `kubedesk service NAME --url` prints them. */
export interface ServiceUrl {
  portName: string;
  url: string;
}

/** Thrown when a Service has no port reachable from the host (ClusterIP, headless, ExternalName). */
export class NoHostPortError extends Error {}

/**
 * URLs that reach a Service from the host at once: `http://127.0.0.1:<nodePort>` for NodePort
 * Services, `http://127.0.0.1:<port>` for LoadBalancers (the listener the engine opens on the
 * service port), `https://` for ports named https or numbered 443. TCP ports only. Throws
 * `NoHostPortError` when nothing is exposed (ClusterIP, headless, ExternalName).
 */
export function hostUrls(service: V1Service): ServiceUrl[] {
  const type = service.spec?.type ?? 'ClusterIP';
  const ip = clusterHostIp();
  const urls: ServiceUrl[] = [];
  for (const port of service.spec?.ports ?? []) {
    if ((port.protocol ?? 'TCP') !== 'TCP') continue;
    const hostPort = type === 'LoadBalancer' ? port.port : type === 'NodePort' ? port.nodePort : undefined;
    if (!hostPort) continue;
    const secure = /https/i.test(port.name ?? '') || port.port === 443;
    urls.push({ portName: port.name ?? '', url: `${secure ? 'https' : 'http'}://${ip}:${hostPort}` });
  }
  if (urls.length === 0) {
    const namespace = service.metadata?.namespace ?? 'default';
    throw new NoHostPortError(`service ${namespace}/${service.metadata?.name ?? ''} has no node port`);
  }
  return urls;
}

/** `hostUrls` of the Service read through the in-process API (NotFound is the API's error). */
export function serviceUrls(api: ObjectApi, namespace: string, name: string): ServiceUrl[] {
  return hostUrls(api.get(SERVICES, namespace, name) as V1Service);
}
