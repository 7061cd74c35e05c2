import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { parseQuantity } from '../apiserver/registry/validation/quantity';
import type { KubeObject } from '../k8s-object';
import type { RuntimeInfo } from '../runtime/types';

export interface NodeFacts {
  nodeName: string;
  /** The first node of the cluster carries the control-plane role. */
  controlPlane: boolean;
  info: RuntimeInfo;
  internalIP: string;
  kubeletVersion: string;
  capacityCap?: { cpu?: string; memory?: string };
  /** Bytes of the filesystem holding the profile, for ephemeral-storage. */
  diskBytes?: number;
  /** Set while the container engine does not answer: the node is NotReady. */
  runtimeDown?: string;
}

/** The node's labels, as the kubelet and kubeadm/minikube set them. */
export function nodeLabels(facts: NodeFacts): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': facts.info.arch,
    'beta.kubernetes.io/os': facts.info.os,
    'kubernetes.io/arch': facts.info.arch,
    'kubernetes.io/hostname': facts.nodeName,
    'kubernetes.io/os': facts.info.os,
    ...(facts.controlPlane
      ? {
          'node-role.kubernetes.io/control-plane': '',
          'node.kubernetes.io/exclude-from-external-load-balancers': '',
        }
      : {}),
  };
}

/** Capacity from the engine's host, capped by the profile's --cpus/--memory. */
export function nodeCapacity(facts: NodeFacts): Record<string, string> {
  let cpus = facts.info.cpus;
  const cpuCap = parseQuantity(facts.capacityCap?.cpu);
  if (cpuCap && cpuCap > 0) cpus = Math.min(cpus, cpuCap);
  let memory = facts.info.memoryBytes;
  const memoryCap = parseQuantity(facts.capacityCap?.memory);
  if (memoryCap && memoryCap > 0) memory = Math.min(memory, memoryCap);
  const capacity: Record<string, string> = {
    cpu: Number.isInteger(cpus) ? String(cpus) : `${Math.floor(cpus * 1000)}m`,
    memory: `${Math.floor(memory / 1024)}Ki`,
    pods: '110',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
  };
  if (facts.diskBytes) capacity['ephemeral-storage'] = `${Math.floor(facts.diskBytes / 1024)}Ki`;
  return capacity;
}

function machineId(facts: NodeFacts): string {
  return createHash('sha256').update(`${facts.info.engineId}/${facts.nodeName}`).digest('hex').slice(0, 32);
}

/** The Node's status (conditions with `now` as heartbeat; transition times kept from `previous`). */
export function nodeStatus(
  facts: NodeFacts,
  previous: KubeObject | undefined,
  now: string,
  bootId: string,
): Record<string, unknown> {
  const capacity = nodeCapacity(facts);
  const oldConditions =
    (previous?.status as { conditions?: Array<Record<string, string>> } | undefined)?.conditions ?? [];
  const condition = (type: string, status: string, reason: string, message: string) => {
    const before = oldConditions.find((c) => c.type === type);
    return {
      type,
      status,
      lastHeartbeatTime: now,
      lastTransitionTime: before && before.status === status ? before.lastTransitionTime : now,
      reason,
      message,
    };
  };
  const id = machineId(facts);
  return {
    capacity,
    allocatable: { ...capacity },
    conditions: [
      condition(
        'MemoryPressure',
        'False',
        'KubeletHasSufficientMemory',
        'kubelet has sufficient memory available',
      ),
      condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      facts.runtimeDown
        ? condition('Ready', 'False', 'KubeletNotReady', `container runtime is down: ${facts.runtimeDown}`)
        : condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ],
    addresses: [
      { type: 'InternalIP', address: facts.internalIP },
      { type: 'Hostname', address: facts.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: id,
      systemUUID: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
      bootID: bootId,
      kernelVersion: facts.info.kernelVersion,
      osImage: facts.info.operatingSystem,
      containerRuntimeVersion: `docker://${facts.info.version}`,
      kubeletVersion: facts.kubeletVersion,
      kubeProxyVersion: facts.kubeletVersion,
      operatingSystem: facts.info.os,
      architecture: facts.info.arch,
    },
  };
}

/** Size of the filesystem holding `dir`, or undefined where statfs is unavailable. */
export async function diskSize(dir: string): Promise<number | undefined> {
  try {
    const stats = await fs.statfs(dir);
    return stats.blocks * stats.bsize;
  } catch {
    return undefined;
  }
}
