import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parseQuantity } from '../apiserver/registry/validation/quantity';
import type { ContainerSpec, Mount, PodIdentity, SandboxSpec } from '../runtime/types';
import { envMap, expandArgs } from './env';
import { expand } from './expansion';
import { MountError } from './volumes';

/**
 * A short hash of what a running pod's container spec may change (the image), stored as a
 * label to restart the container when it does. Other fields are immutable on a pod, and
 * hashing them would restart adopted containers whenever defaulting of the stored pod changes.
 */
export function containerSpecHash(container: V1Container): string {
  return createHash('sha256')
    .update(JSON.stringify({ image: container.image ?? '' }))
    .digest('hex')
    .slice(0, 16);
}

/** Kubernetes' default terminationGracePeriodSeconds. */
const DEFAULT_GRACE_SECONDS = 30;

export interface ContainerSpecInput {
  identity: PodIdentity;
  pod: V1Pod;
  container: V1Container;
  role: 'init' | 'app' | 'ephemeral';
  /** Container id whose PID namespace to join. */
  pidNamespaceOf?: string;
  restartCount: number;
  env: string[];
  volumePaths: Map<string, string>;
}

/** The runtime's container spec for one Kubernetes container. */
export function buildContainerSpec(input: ContainerSpecInput): ContainerSpec {
  const { pod, container, env } = input;
  const podSecurity = pod.spec?.securityContext ?? {};
  const security = container.securityContext ?? {};
  const runAsUser = security.runAsUser ?? podSecurity.runAsUser;
  const runAsGroup = security.runAsGroup ?? podSecurity.runAsGroup;
  const user =
    runAsUser !== undefined
      ? runAsGroup !== undefined
        ? `${runAsUser}:${runAsGroup}`
        : String(runAsUser)
      : undefined;
  const limits = container.resources?.limits ?? {};
  const cpu = parseQuantity(limits.cpu);
  // The kubelet's cpu.shares: the CPU request (or limit) in milli-CPUs × 1024 / 1000, at least 2.
  const cpuRequest = parseQuantity(container.resources?.requests?.cpu ?? limits.cpu);
  const groups = [
    ...(podSecurity.fsGroup !== undefined ? [podSecurity.fsGroup] : []),
    ...(podSecurity.supplementalGroups ?? []),
  ].map(String);
  const memory = parseQuantity(limits.memory);
  return {
    ...input.identity,
    name: container.name,
    role: input.role,
    restartCount: input.restartCount,
    image: container.image ?? '',
    command: expandArgs(container.command, env),
    args: expandArgs(container.args, env),
    env,
    workingDir: container.workingDir || undefined,
    mounts: containerMounts(container, input.volumePaths, env),
    user,
    privileged: security.privileged ?? false,
    capAdd: security.capabilities?.add,
    capDrop: security.capabilities?.drop,
    readOnlyRootFilesystem: security.readOnlyRootFilesystem ?? false,
    nanoCpus: cpu ? Math.round(cpu * 1e9) : undefined,
    cpuShares: cpuRequest ? Math.max(2, Math.floor(cpuRequest * 1024)) : undefined,
    groupAdd: groups.length ? groups : undefined,
    noNewPrivileges: security.allowPrivilegeEscalation === false || undefined,
    memoryBytes: memory ? Math.round(memory) : undefined,
    tty: container.tty ?? false,
    stdin: container.stdin ?? false,
    stdinOnce: container.stdinOnce ?? false,
    specHash: containerSpecHash(container),
    stopGraceSeconds: pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS,
    pidNamespaceOf: input.pidNamespaceOf,
  };
}

/** Bind mounts for the container's volumeMounts, with subPath/subPathExpr resolved. */
export function containerMounts(
  container: V1Container,
  volumePaths: Map<string, string>,
  env: string[],
): Mount[] {
  const vars = envMap(env);
  const mounts: Mount[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const base = volumePaths.get(mount.name);
    if (base === undefined) throw new MountError(`volume "${mount.name}" not found in the pod's volumes`);
    let sub = mount.subPath ?? '';
    if (mount.subPathExpr) sub = expand(mount.subPathExpr, (name) => vars.get(name));
    if (sub && (path.isAbsolute(sub) || sub.split('/').includes('..')))
      throw new MountError(`subPath "${sub}" must be a relative path without ".."`);
    mounts.push({
      source: sub ? path.join(base, sub) : base,
      target: mount.mountPath,
      readOnly: mount.readOnly ?? false,
    });
  }
  return mounts;
}

/** The sandbox (pause container) spec: hostname, DNS, /etc/hosts entries and host ports. */
export function buildSandboxSpec(options: {
  identity: PodIdentity;
  pod: V1Pod;
  image: string;
  network: string;
  clusterDns?: string[];
  clusterDomain: string;
}): SandboxSpec {
  const { pod } = options;
  const spec = pod.spec ?? { containers: [] };
  const namespace = pod.metadata?.namespace ?? 'default';
  const hostname = (spec.hostname || pod.metadata?.name || 'pod').slice(0, 63).replace(/\.+$/, '');
  const domainname = spec.subdomain
    ? `${spec.subdomain}.${namespace}.svc.${options.clusterDomain}`
    : undefined;
  const hostPorts: NonNullable<SandboxSpec['hostPorts']> = [];
  for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
    for (const port of container.ports ?? []) {
      if (!port.hostPort) continue;
      hostPorts.push({
        containerPort: port.containerPort,
        hostPort: port.hostPort,
        protocol: (port.protocol ?? 'TCP').toLowerCase() === 'udp' ? 'udp' : 'tcp',
        hostIp: port.hostIP,
      });
    }
  }
  const extraHosts: string[] = [];
  for (const alias of spec.hostAliases ?? [])
    for (const name of alias.hostnames ?? []) extraHosts.push(`${name}:${alias.ip}`);
  const sysctls: Record<string, string> = {};
  for (const sysctl of spec.securityContext?.sysctls ?? []) sysctls[sysctl.name] = sysctl.value;
  return {
    ...options.identity,
    image: options.image,
    network: options.network,
    hostname,
    domainname,
    dns: dnsSettings(pod, options.clusterDns, options.clusterDomain),
    extraHosts: extraHosts.length ? extraHosts : undefined,
    hostPorts: hostPorts.length ? hostPorts : undefined,
    sysctls: Object.keys(sysctls).length ? sysctls : undefined,
  };
}

/** resolv.conf settings per dnsPolicy and dnsConfig, as the kubelet's DNS configurer builds them. */
export function dnsSettings(
  pod: V1Pod,
  clusterDns: string[] | undefined,
  clusterDomain: string,
): SandboxSpec['dns'] | undefined {
  const spec = pod.spec ?? { containers: [] };
  const policy = spec.dnsPolicy ?? 'ClusterFirst';
  const namespace = pod.metadata?.namespace ?? 'default';
  let servers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  if ((policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') && clusterDns?.length) {
    servers = [...clusterDns];
    searches = [`${namespace}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain];
    options = ['ndots:5'];
  }
  const config = spec.dnsConfig;
  if (config) {
    servers = [...servers, ...(config.nameservers ?? [])].filter((s, i, all) => all.indexOf(s) === i);
    searches = [...searches, ...(config.searches ?? [])].filter((s, i, all) => all.indexOf(s) === i);
    const merged = new Map<string, string | undefined>();
    for (const option of options) {
      const [name, value] = option.split(':');
      merged.set(name, value);
    }
    for (const option of config.options ?? []) merged.set(option.name ?? '', option.value);
    options = [...merged]
      .filter(([name]) => name)
      .map(([name, value]) => (value !== undefined ? `${name}:${value}` : name));
  }
  if (servers.length === 0 && searches.length === 0 && options.length === 0) return undefined;
  return { servers, searches, options };
}
