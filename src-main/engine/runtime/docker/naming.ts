import type { ContainerSpec, PodIdentity } from '../types';

/**
 * Docker container names for pods. They contain underscores, which are not valid in DNS
 * names, so Docker's embedded resolver can never answer one of them in place of a Service.
 * The uid prefix keeps names unique across a pod deleted and re-created with the same name.
 */
export function sandboxName(pod: PodIdentity): string {
  return `kd_${pod.profile}_${pod.podNamespace}_${pod.podName}_${pod.podUid.slice(0, 8)}_POD`;
}

export function containerName(spec: ContainerSpec): string {
  return `kd_${spec.profile}_${spec.podNamespace}_${spec.podName}_${spec.podUid.slice(0, 8)}_${spec.name}_${spec.restartCount}`;
}
