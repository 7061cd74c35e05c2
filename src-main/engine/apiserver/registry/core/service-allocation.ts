import type { KubeObject } from '../../../k8s-object';
import { fieldErrors, invalid } from '../../status';
import type { FieldError } from '../../status';
import { formatIPv4, goStringSlice, invalidRendered, parseIPv4 } from '../validation';
import { num, rec, records, specOf, str } from './common';

/** The Service CIDR every profile uses unless configured otherwise. */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
/** The NodePort range Kubernetes uses by default. */
export const DEFAULT_NODE_PORT_RANGE: [number, number] = [30000, 32767];
/** Reserved for the `default/kubernetes` Service. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** Reserved for the cluster DNS Service. */
export const DNS_SERVICE_IP = '10.96.0.10';

export interface ServiceAllocationOptions {
  serviceCidr?: string;
  nodePortRange?: [number, number];
}

interface Cidr {
  text: string;
  /** First and last usable addresses (network and broadcast excluded). */
  first: number;
  last: number;
}

function parseCidr(text: string): Cidr {
  const [ip, bits] = text.split('/');
  const base = parseIPv4(ip);
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 1 || prefix > 30) {
    throw new Error(`invalid service CIDR ${text}`);
  }
  const size = 2 ** (32 - prefix);
  const network = base - (base % size);
  return { text, first: network + 1, last: network + size - 2 };
}

/** True when the service gets a cluster IP (every type but ExternalName). */
export function needsClusterIP(spec: Record<string, unknown>): boolean {
  return str(spec.type) !== 'ExternalName';
}

/** True when ports get NodePorts: NodePort, or LoadBalancer unless allocateLoadBalancerNodePorts is false. */
export function needsNodePorts(spec: Record<string, unknown>): boolean {
  const type = str(spec.type);
  return type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

/** True for a LoadBalancer with `externalTrafficPolicy: Local`. */
export function needsHealthCheckNodePort(spec: Record<string, unknown>): boolean {
  return str(spec.type) === 'LoadBalancer' && str(spec.externalTrafficPolicy) === 'Local';
}

/**
 * Fills ipFamilies/ipFamilyPolicy like the allocator does in a single-stack IPv4 cluster:
 * `SingleStack` + `[IPv4]`, except `RequireDualStack` for selector-less headless Services.
 */
export function initIPFamilyFields(service: KubeObject): void {
  const spec = specOf(service);
  if (!needsClusterIP(spec)) return;
  const headless = spec.clusterIP === 'None';
  const selectorless = Object.keys(rec(spec.selector)).length === 0;
  if (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null || spec.ipFamilyPolicy === '') {
    spec.ipFamilyPolicy = headless && selectorless ? 'RequireDualStack' : 'SingleStack';
  }
  if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
}

function sameObject(a: KubeObject, b: KubeObject): boolean {
  if (a.metadata.uid && b.metadata.uid) return a.metadata.uid === b.metadata.uid;
  return a.metadata.name === b.metadata.name && (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '');
}

/** A stable spread of start positions, so allocations look random but tests are reproducible. */
function hashOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/**
 * Picks a free value in [lo, hi], preferring the band above `staticEnd` (Kubernetes keeps the
 * low band for explicitly requested values), starting from a per-object position.
 */
function pickFree(
  lo: number,
  hi: number,
  staticEnd: number,
  seed: number,
  taken: Set<number>,
): number | undefined {
  const bands: [number, number][] =
    staticEnd < hi
      ? [
          [staticEnd + 1, hi],
          [lo, staticEnd],
        ]
      : [[lo, hi]];
  for (const [a, b] of bands) {
    const size = b - a + 1;
    for (let i = 0; i < size; i++) {
      const candidate = a + ((seed + i) % size);
      if (!taken.has(candidate)) return candidate;
    }
  }
  return undefined;
}

function takenClusterIPs(existing: KubeObject[], self: KubeObject): Set<number> {
  const taken = new Set<number>();
  for (const other of existing) {
    if (sameObject(other, self)) continue;
    const spec = rec(other.spec);
    const ips =
      Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0 ? spec.clusterIPs : [spec.clusterIP];
    for (const ip of ips) {
      const n = parseIPv4(str(ip));
      if (n !== undefined) taken.add(n);
    }
  }
  return taken;
}

function takenNodePorts(existing: KubeObject[], self: KubeObject): Set<number> {
  const taken = new Set<number>();
  for (const other of existing) {
    if (sameObject(other, self)) continue;
    const spec = rec(other.spec);
    for (const port of records(spec.ports)) {
      const n = num(port.nodePort);
      if (n) taken.add(n);
    }
    const hc = num(spec.healthCheckNodePort);
    if (hc) taken.add(hc);
  }
  return taken;
}

function allocateClusterIP(
  service: KubeObject,
  spec: Record<string, unknown>,
  existing: KubeObject[],
  cidr: Cidr,
  errors: FieldError[],
): void {
  const requested = str(spec.clusterIP) || (Array.isArray(spec.clusterIPs) ? str(spec.clusterIPs[0]) : '');
  if (requested === 'None') {
    spec.clusterIP = 'None';
    spec.clusterIPs = ['None'];
    return;
  }
  const taken = takenClusterIPs(existing, service);
  if (requested) {
    const n = parseIPv4(requested);
    // Malformed addresses are reported by validation with the "must be a valid IP address" wording.
    if (n === undefined) return;
    const reject = (why: string): void => {
      errors.push(
        invalidRendered(
          'spec.clusterIPs',
          goStringSlice([requested]),
          `failed to allocate IP ${requested}: ${why}`,
        ),
      );
    };
    if (n < cidr.first || n > cidr.last) {
      reject(
        `the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${cidr.text}`,
      );
    } else if (taken.has(n)) {
      reject('provided IP is already allocated');
    } else {
      spec.clusterIP = requested;
      spec.clusterIPs = [requested];
    }
    return;
  }
  // Like Kubernetes, the CIDR's first host address belongs to the `kubernetes` Service and
  // the tenth is kept for cluster DNS (10.96.0.1 and 10.96.0.10 in the default CIDR).
  taken.add(cidr.first + 1);
  taken.add(cidr.first + 10);
  const size = cidr.last - cidr.first + 1;
  const staticBand = Math.min(Math.max(16, Math.floor(size / 16)), 256);
  const key = `${service.metadata.namespace ?? ''}/${service.metadata.name ?? service.metadata.generateName ?? ''}`;
  const picked = pickFree(cidr.first, cidr.last, cidr.first + staticBand - 1, hashOf(key), taken);
  if (picked === undefined) {
    errors.push(fieldErrors.invalid('spec.clusterIPs', [], 'failed to allocate a serviceIP: range is full'));
    return;
  }
  spec.clusterIP = formatIPv4(picked);
  spec.clusterIPs = [spec.clusterIP];
}

function allocateNodePorts(
  service: KubeObject,
  spec: Record<string, unknown>,
  existing: KubeObject[],
  range: [number, number],
  errors: FieldError[],
  seedPrefix: string,
): void {
  const [lo, hi] = range;
  const taken = takenNodePorts(existing, service);
  const mine = new Set<number>();
  const outOfRange = `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}`;
  const type = str(spec.type);
  if (type !== 'NodePort' && type !== 'LoadBalancer') return;
  const ports = records(spec.ports);
  const wantAll = needsNodePorts(spec);
  // Requested ports first, so automatic picks never steal them.
  ports.forEach((port, i) => {
    const requested = num(port.nodePort) ?? 0;
    if (requested === 0) return;
    if (requested < lo || requested > hi) {
      errors.push(fieldErrors.invalid(`spec.ports[${i}].nodePort`, requested, outOfRange));
    } else if (taken.has(requested)) {
      errors.push(
        fieldErrors.invalid(`spec.ports[${i}].nodePort`, requested, 'provided port is already allocated'),
      );
    } else {
      mine.add(requested);
    }
  });
  const size = hi - lo + 1;
  const staticBand = Math.min(Math.max(16, Math.floor(size / 32)), 128);
  const seed = hashOf(`${seedPrefix}${service.metadata.namespace ?? ''}/${service.metadata.name ?? ''}`);
  if (wantAll) {
    ports.forEach((port, i) => {
      if ((num(port.nodePort) ?? 0) !== 0) return;
      const picked = pickFree(lo, hi, lo + staticBand - 1, seed + i, new Set([...taken, ...mine]));
      if (picked === undefined) {
        errors.push(fieldErrors.invalid(`spec.ports[${i}].nodePort`, 0, 'range is full'));
        return;
      }
      port.nodePort = picked;
      mine.add(picked);
    });
  }
  if (needsHealthCheckNodePort(spec)) {
    const requested = num(spec.healthCheckNodePort) ?? 0;
    if (requested !== 0) {
      if (requested < lo || requested > hi) {
        errors.push(fieldErrors.invalid('spec.healthCheckNodePort', requested, outOfRange));
      } else if (taken.has(requested) || mine.has(requested)) {
        errors.push(
          fieldErrors.invalid('spec.healthCheckNodePort', requested, 'provided port is already allocated'),
        );
      }
    } else {
      const picked = pickFree(lo, hi, lo + staticBand - 1, seed + ports.length, new Set([...taken, ...mine]));
      if (picked === undefined)
        errors.push(fieldErrors.invalid('spec.healthCheckNodePort', 0, 'range is full'));
      else spec.healthCheckNodePort = picked;
    }
  }
}

/**
 * Assigns what a Service needs from the cluster's pools, like Kubernetes' service allocator:
 * `spec.clusterIP`/`clusterIPs` from the Service CIDR (a requested address is honoured,
 * `None` makes a headless Service, 10.96.0.1 and 10.96.0.10 are never picked automatically),
 * `nodePort`s for NodePort/LoadBalancer ports and `healthCheckNodePort` for LoadBalancers with
 * `externalTrafficPolicy: Local`. Values already set are kept (after checking they are free
 * and in range), so it is safe to call on every create and update. `existing` is every other
 * Service in the cluster (the Service itself, matched by uid or namespace/name, is ignored).
 * Throws a 422 Invalid ApiError with Kubernetes' wording when a requested value is taken or
 * out of range.
 */
export function allocateServiceAddresses(
  service: KubeObject,
  existing: KubeObject[],
  options: ServiceAllocationOptions = {},
): void {
  const spec = specOf(service);
  const cidr = parseCidr(options.serviceCidr ?? DEFAULT_SERVICE_CIDR);
  const range = options.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
  const errors: FieldError[] = [];
  if (needsClusterIP(spec)) {
    allocateClusterIP(service, spec, existing, cidr, errors);
    initIPFamilyFields(service);
  }
  // The CIDR differs per cluster, so two clusters on one host pick different ports for
  // Services of the same name (their NodePorts share the host's port space).
  allocateNodePorts(service, spec, existing, range, errors, options.serviceCidr ?? '');
  if (errors.length > 0) throw invalid('Service', service.metadata.name ?? '', '', errors);
}
