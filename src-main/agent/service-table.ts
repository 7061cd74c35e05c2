import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';

/** One Service port as the proxy and DNS need it. */
export interface ServicePort {
  name: string;
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** A Service reduced to what the agent serves. */
export interface ServiceEntry {
  namespace: string;
  name: string;
  type: string;
  /** IPv4 ClusterIPs; empty for headless and ExternalName Services. */
  clusterIPs: string[];
  headless: boolean;
  externalName?: string;
  ports: ServicePort[];
  /** Seconds a client keeps its backend, when `sessionAffinity: ClientIP`. */
  affinitySeconds?: number;
  publishNotReadyAddresses: boolean;
}

/** One endpoint address of a Service (an EndpointSlice endpoint with one address). */
export interface EndpointEntry {
  ip: string;
  ready: boolean;
  hostname?: string;
  /** Port numbers by Service port name ("" for an unnamed port) and protocol, e.g. "http/TCP". */
  ports: Map<string, number>;
}

/** A backend a connection to a Service port goes to. */
export interface Backend {
  ip: string;
  port: number;
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const DEFAULT_AFFINITY_SECONDS = 10800;

function serviceKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function portKey(name: string, protocol: string): string {
  return `${name}/${protocol}`;
}

function isIPv4(value: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(value);
}

/** Reduces a Service object; undefined when it has no name. */
export function toServiceEntry(service: V1Service): ServiceEntry | undefined {
  const name = service.metadata?.name;
  if (!name) return undefined;
  const spec = service.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  const headless = type !== 'ExternalName' && (spec.clusterIP === 'None' || ips[0] === 'None');
  return {
    namespace: service.metadata?.namespace ?? 'default',
    name,
    type,
    clusterIPs: type === 'ExternalName' ? [] : ips.filter(isIPv4),
    headless,
    externalName: type === 'ExternalName' ? spec.externalName : undefined,
    ports: (spec.ports ?? []).map((p) => ({
      name: p.name ?? '',
      port: p.port,
      protocol: (p.protocol ?? 'TCP') as ServicePort['protocol'],
    })),
    affinitySeconds:
      spec.sessionAffinity === 'ClientIP'
        ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS)
        : undefined,
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
  };
}

/**
 * Services and their EndpointSlices, indexed for DNS answers and proxy decisions. Updated
 * from watch events; readers always see the latest state (no snapshot is kept elsewhere).
 */
export class ServiceTable {
  private readonly services = new Map<string, ServiceEntry>();
  /** EndpointSlices by "namespace/sliceName". */
  private readonly slices = new Map<string, { service: string; endpoints: EndpointEntry[] }>();
  private readonly listeners = new Set<() => void>();

  /** Calls `listener` after every change. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Replaces all Services (after a list). */
  resetServices(services: V1Service[]): void {
    this.services.clear();
    for (const s of services) this.putServiceQuiet(s);
    this.changed();
  }

  putService(service: V1Service): void {
    this.putServiceQuiet(service);
    this.changed();
  }

  deleteService(service: V1Service): void {
    this.services.delete(serviceKey(service.metadata?.namespace ?? 'default', service.metadata?.name ?? ''));
    this.changed();
  }

  /** Replaces all EndpointSlices (after a list). */
  resetSlices(slices: V1EndpointSlice[]): void {
    this.slices.clear();
    for (const s of slices) this.putSliceQuiet(s);
    this.changed();
  }

  putSlice(slice: V1EndpointSlice): void {
    this.putSliceQuiet(slice);
    this.changed();
  }

  deleteSlice(slice: V1EndpointSlice): void {
    this.slices.delete(serviceKey(slice.metadata?.namespace ?? 'default', slice.metadata?.name ?? ''));
    this.changed();
  }

  getService(namespace: string, name: string): ServiceEntry | undefined {
    return this.services.get(serviceKey(namespace, name));
  }

  allServices(): ServiceEntry[] {
    return [...this.services.values()];
  }

  hasNamespace(namespace: string): boolean {
    for (const s of this.services.values()) if (s.namespace === namespace) return true;
    return false;
  }

  /** The Service owning a ClusterIP, if any. */
  serviceByClusterIP(ip: string): ServiceEntry | undefined {
    for (const s of this.services.values()) if (s.clusterIPs.includes(ip)) return s;
    return undefined;
  }

  /** Endpoint addresses of a Service, de-duplicated by IP; ready ones unless `includeNotReady`. */
  endpoints(namespace: string, name: string, includeNotReady = false): EndpointEntry[] {
    const key = serviceKey(namespace, name);
    const byIp = new Map<string, EndpointEntry>();
    for (const [sliceKey, slice] of this.slices) {
      if (slice.service !== key || !sliceKey.startsWith(`${namespace}/`)) continue;
      for (const e of slice.endpoints) {
        if (!e.ready && !includeNotReady) continue;
        const seen = byIp.get(e.ip);
        if (!seen) byIp.set(e.ip, { ...e, ports: new Map(e.ports) });
        else for (const [k, v] of e.ports) seen.ports.set(k, v);
      }
    }
    return [...byIp.values()];
  }

  /** Where connections to one Service port may go: ready endpoints with that port. */
  backends(service: ServiceEntry, port: ServicePort): Backend[] {
    const result: Backend[] = [];
    for (const e of this.endpoints(service.namespace, service.name, service.publishNotReadyAddresses)) {
      const target = e.ports.get(portKey(port.name, port.protocol));
      if (target !== undefined) result.push({ ip: e.ip, port: target });
    }
    return result;
  }

  private putServiceQuiet(service: V1Service): void {
    const entry = toServiceEntry(service);
    if (entry) this.services.set(serviceKey(entry.namespace, entry.name), entry);
  }

  private putSliceQuiet(slice: V1EndpointSlice): void {
    const namespace = slice.metadata?.namespace ?? 'default';
    const owner = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    const key = serviceKey(namespace, slice.metadata?.name ?? '');
    if (!owner || slice.addressType !== 'IPv4') {
      this.slices.delete(key);
      return;
    }
    const ports = new Map<string, number>();
    for (const p of slice.ports ?? []) {
      if (typeof p.port === 'number') ports.set(portKey(p.name ?? '', p.protocol ?? 'TCP'), p.port);
    }
    const endpoints: EndpointEntry[] = [];
    for (const e of slice.endpoints ?? []) {
      // Kubernetes: a nil `ready` condition is to be read as ready.
      const ready = e.conditions?.ready !== false;
      for (const ip of e.addresses ?? []) endpoints.push({ ip, ready, hostname: e.hostname, ports });
    }
    this.slices.set(key, { service: serviceKey(namespace, owner), endpoints });
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
