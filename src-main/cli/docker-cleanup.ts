import Docker from 'dockerode';
import { removeProfileContainers } from '../engine/kubelet/profile-cleanup';
import { DockerRuntime } from '../engine/runtime/docker/docker-runtime';
import { removeNetwork } from '../engine/runtime/docker/network-removal';
import { profileNetworkName } from '../engine/network/network-plan';
import { otherOwner } from '../engine/network/network-owner';
import { LABELS } from '../engine/runtime/types';
import { dockerStatusCode, errorLine } from '../engine/runtime/docker/docker-errors';

/** Label that marks every Docker object of a profile (containers, networks, volumes). */
export const PROFILE_LABEL = LABELS.profile;

const PING_TIMEOUT_MS = 5_000;

/** What removing a profile's Docker objects came to. */
export interface DockerCleanup {
  /** False when no Docker engine answered; nothing was removed then. */
  reachable: boolean;
  containers: number;
  networks: number;
  volumes: number;
  /** Objects that could not be removed, one line each. */
  failures: string[];
  /**
   * The profile folder of another Kubedesk home whose profile of the same name owns these Docker
   * objects; nothing was removed then.
   */
  ownedBy?: string;
}

/**
 * Removes the profile's pod containers through the node runtime (joined containers before their
 * sandboxes), then sweeps every remaining container (forcibly, with anonymous volumes), network
 * and volume labelled `io.kubedesk.profile=<name>` (agent, routers, addons). An absent or stopped Docker engine is not an error: the result says
 * `reachable: false`, since then there is nothing of the profile to remove from it.
 * With `profileDir`, objects whose network another existing home's profile owns are left alone.
 */
export async function removeProfileDockerObjects(
  name: string,
  docker: Docker = new Docker(),
  profileDir?: string,
): Promise<DockerCleanup> {
  const result: DockerCleanup = { reachable: true, containers: 0, networks: 0, volumes: 0, failures: [] };
  const filters = { label: [`${PROFILE_LABEL}=${name}`] };
  if (!(await dockerAnswers(docker))) return { ...result, reachable: false };
  if (profileDir) {
    const network = await docker
      .getNetwork(profileNetworkName(name))
      .inspect()
      .catch(() => undefined as { Labels?: Record<string, string> } | undefined);
    const other = otherOwner(network?.Labels, profileDir);
    // A home that no longer exists owns nothing any more: its objects are leftovers to remove.
    if (other?.exists) return { ...result, ownedBy: other.profileDir };
  }

  try {
    result.containers += await removeProfileContainers(new DockerRuntime({ docker }), name);
  } catch {
    // The sweep below removes what the runtime could not; only what survives it is reported.
  }

  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers.map(async (info) => {
      try {
        await docker.getContainer(info.Id).remove({ force: true, v: true });
        result.containers++;
      } catch (err) {
        if (dockerStatusCode(err) === 404) return;
        result.failures.push(`container ${info.Names?.[0] ?? info.Id}: ${errorLine(err)}`);
      }
    }),
  );

  // Networks after containers: Docker refuses to remove a network with endpoints.
  for (const info of await docker.listNetworks({ filters })) {
    try {
      await removeNetwork(docker, info.Id);
      result.networks++;
    } catch (err) {
      result.failures.push(`network ${info.Name}: ${errorLine(err)}`);
    }
  }

  const { Volumes } = await docker.listVolumes({ filters });
  for (const info of Volumes ?? []) {
    try {
      await docker.getVolume(info.Name).remove();
      result.volumes++;
    } catch (err) {
      if (dockerStatusCode(err) !== 404) result.failures.push(`volume ${info.Name}: ${errorLine(err)}`);
    }
  }
  return result;
}

/** Whether the Docker engine answers a ping within a few seconds. */
export async function dockerAnswers(docker: Docker): Promise<boolean> {
  try {
    // A socket that accepts but never answers (an engine still booting) must not hang a command.
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}
