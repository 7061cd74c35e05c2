import type { V1Container, V1EnvVar, V1Pod, V1Service } from '@kubernetes/client-node';
import type { KubeObject } from '../k8s-object';
import { parseQuantity } from '../apiserver/registry/validation/quantity';
import { expand } from './expansion';

/** Where env and volume sources come from (the in-process API, or maps in tests). */
export interface ObjectLookup {
  configMap(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
}

/** A container cannot be configured; shown as `CreateContainerConfigError` with this message. */
export class ContainerConfigError extends Error {}

export interface EnvContext {
  pod: V1Pod;
  container: V1Container;
  lookup: ObjectLookup;
  podIP?: string;
  hostIP?: string;
  /** Services of the pod's namespace plus `default/kubernetes`, for service links. */
  services?: V1Service[];
  /** Node allocatable, the default for resourceFieldRef limits that are not set. */
  nodeAllocatable?: { cpu?: string; memory?: string; 'ephemeral-storage'?: string };
}

/** The container's environment as `NAME=value` strings, in Kubernetes' order and precedence. */
export function resolveEnv(context: EnvContext): string[] {
  const values = new Map<string, string>();
  const { pod, container, lookup } = context;
  const namespace = pod.metadata?.namespace ?? 'default';

  for (const [name, value] of serviceEnv(
    context.services ?? [],
    namespace,
    pod.spec?.enableServiceLinks !== false,
  ))
    values.set(name, value);

  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? '';
    if (source.configMapRef) {
      const cm = lookup.configMap(namespace, source.configMapRef.name ?? '');
      if (!cm) {
        if (source.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${source.configMapRef.name}" not found`);
      }
      for (const [key, value] of Object.entries(stringMap(cm.data))) values.set(prefix + key, value);
    } else if (source.secretRef) {
      const secret = lookup.secret(namespace, source.secretRef.name ?? '');
      if (!secret) {
        if (source.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${source.secretRef.name}" not found`);
      }
      for (const [key, value] of Object.entries(stringMap(secret.data)))
        values.set(prefix + key, Buffer.from(value, 'base64').toString('utf8'));
    }
  }

  for (const variable of container.env ?? []) {
    const value = envValue(variable, context, values);
    if (value !== undefined) values.set(variable.name, value);
  }
  return [...values].map(([name, value]) => `${name}=${value}`);
}

/** `command`/`args` with `$(VAR)` expanded against the container's environment. */
export function expandArgs(args: string[] | undefined, env: string[]): string[] | undefined {
  if (!args) return undefined;
  const map = envMap(env);
  return args.map((arg) => expand(arg, (name) => map.get(name)));
}

export function envMap(env: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of env) {
    const eq = entry.indexOf('=');
    map.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return map;
}

function envValue(variable: V1EnvVar, context: EnvContext, defined: Map<string, string>): string | undefined {
  if (variable.valueFrom === undefined) {
    return expand(variable.value ?? '', (name) => defined.get(name));
  }
  const { pod, lookup } = context;
  const namespace = pod.metadata?.namespace ?? 'default';
  const from = variable.valueFrom;
  if (from.fieldRef) return podFieldValue(pod, from.fieldRef.fieldPath, context);
  if (from.resourceFieldRef) {
    const target = from.resourceFieldRef.containerName
      ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
          (c) => c.name === from.resourceFieldRef?.containerName,
        )
      : context.container;
    return resourceFieldValue(
      target ?? context.container,
      from.resourceFieldRef.resource,
      from.resourceFieldRef.divisor,
      context.nodeAllocatable,
    );
  }
  if (from.configMapKeyRef) {
    const ref = from.configMapKeyRef;
    const cm = lookup.configMap(namespace, ref.name ?? '');
    if (!cm) {
      if (ref.optional) return undefined;
      throw new ContainerConfigError(`configmap "${ref.name}" not found`);
    }
    const data = stringMap(cm.data);
    if (ref.key in data) return data[ref.key];
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`couldn't find key ${ref.key} in ConfigMap ${namespace}/${ref.name}`);
  }
  if (from.secretKeyRef) {
    const ref = from.secretKeyRef;
    const secret = lookup.secret(namespace, ref.name ?? '');
    if (!secret) {
      if (ref.optional) return undefined;
      throw new ContainerConfigError(`secret "${ref.name}" not found`);
    }
    const data = stringMap(secret.data);
    if (ref.key in data) return Buffer.from(data[ref.key], 'base64').toString('utf8');
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`couldn't find key ${ref.key} in Secret ${namespace}/${ref.name}`);
  }
  return '';
}

/** The downward API's pod fields (`fieldRef.fieldPath`). */
export function podFieldValue(
  pod: V1Pod,
  fieldPath: string,
  context: { podIP?: string; hostIP?: string } = {},
): string {
  const meta = pod.metadata ?? {};
  const subscript = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (subscript) {
    const map = (subscript[1] === 'labels' ? meta.labels : meta.annotations) ?? {};
    return map[subscript[2]] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.annotations':
      return formatMap(meta.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return context.hostIP ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return context.podIP ?? '';
    default:
      return '';
  }
}

/** `key="value"` lines, sorted, as the downward API writes labels and annotations. */
function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((key) => `${key}=${JSON.stringify(map?.[key] ?? '')}`)
    .join('\n');
}

/** A container's resource as the downward API exposes it: rounded up to a multiple of the divisor. */
export function resourceFieldValue(
  container: V1Container,
  resource: string,
  divisor: string | undefined,
  allocatable: EnvContext['nodeAllocatable'] = {},
): string {
  const [kind, name] = resource.split('.') as ['limits' | 'requests', 'cpu' | 'memory' | 'ephemeral-storage'];
  const set = kind === 'limits' ? container.resources?.limits : container.resources?.requests;
  let raw: unknown = set?.[name];
  if (raw === undefined && kind === 'limits') raw = allocatable[name];
  if (raw === undefined && kind === 'requests') raw = container.resources?.limits?.[name] ?? '0';
  const value = parseQuantity(raw) ?? 0;
  const by = parseQuantity(divisor ?? '1') || 1;
  return String(Math.ceil(value / by - 1e-9));
}

/**
 * Docker-links style variables for Services (`enableServiceLinks`): the namespace's Services
 * when enabled, and always the `kubernetes` Service of the default namespace.
 */
export function serviceEnv(
  services: V1Service[],
  namespace: string,
  links: boolean,
): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const chosen = services.filter((svc) => {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None') return false;
    if (svc.metadata?.namespace === 'default' && svc.metadata?.name === 'kubernetes') return true;
    return links && svc.metadata?.namespace === namespace;
  });
  for (const svc of chosen) {
    const base = (svc.metadata?.name ?? '').toUpperCase().replace(/-/g, '_');
    const ip = svc.spec?.clusterIP ?? '';
    const ports = svc.spec?.ports ?? [];
    if (ports.length === 0) continue;
    out.push([`${base}_SERVICE_HOST`, ip]);
    out.push([`${base}_SERVICE_PORT`, String(ports[0].port)]);
    for (const port of ports) {
      if (port.name)
        out.push([`${base}_SERVICE_PORT_${port.name.toUpperCase().replace(/-/g, '_')}`, String(port.port)]);
    }
    const first = ports[0];
    out.push([`${base}_PORT`, `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`]);
    for (const port of ports) {
      const protocol = port.protocol ?? 'TCP';
      const prefix = `${base}_PORT_${port.port}_${protocol.toUpperCase()}`;
      out.push([prefix, `${protocol.toLowerCase()}://${ip}:${port.port}`]);
      out.push([`${prefix}_PROTO`, protocol.toLowerCase()]);
      out.push([`${prefix}_PORT`, String(port.port)]);
      out.push([`${prefix}_ADDR`, ip]);
    }
  }
  return out;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  }
  return out;
}
