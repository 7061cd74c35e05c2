import type { ContainerRuntime } from '../runtime/types';

/**
 * Removes every container of a profile (all nodes, running or not) and then its network,
 * for `kubedesk delete`: nothing of a deleted profile lingers on the Docker engine.
 * Kubelets of the profile must be stopped first, or they would start pods again.
 */
export async function removeProfileContainers(
  runtime: ContainerRuntime,
  profile: string,
  network?: string,
): Promise<number> {
  const containers = await runtime.listManaged(profile);
  // Sandboxes last: the containers joined to them go first.
  const ordered = [
    ...containers.filter((c) => c.role !== 'sandbox'),
    ...containers.filter((c) => c.role === 'sandbox'),
  ];
  for (const c of ordered) await runtime.remove(c.id);
  if (network) await runtime.removeNetwork(network);
  return containers.length;
}
