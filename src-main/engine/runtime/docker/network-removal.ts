import type Docker from 'dockerode';
import { dockerStatusCode } from './docker-errors';

/**
 * Removes a Docker network, first force-disconnecting endpoints that outlived their containers.
 * Docker (seen with 20.10) sometimes keeps such stale endpoints after many containers were
 * removed at once, and then refuses the removal with "has active endpoints"; `disconnect --force`
 * by the endpoint's container name clears them. A network already gone is not an error.
 */
export async function removeNetwork(docker: Docker, idOrName: string): Promise<void> {
  const network = docker.getNetwork(idOrName);
  try {
    await network.remove();
    return;
  } catch (error) {
    if (dockerStatusCode(error) === 404) return;
    if (!/active endpoints/i.test(String(error))) throw error;
  }
  const info = (await network.inspect()) as { Containers?: Record<string, { Name?: string }> };
  for (const [id, endpoint] of Object.entries(info.Containers ?? {})) {
    await network
      .disconnect({ Container: endpoint.Name ?? id, Force: true })
      .catch(() => network.disconnect({ Container: id, Force: true }))
      .catch(() => undefined);
  }
  try {
    await network.remove();
  } catch (error) {
    if (dockerStatusCode(error) === 404) return;
    if (/active endpoints/i.test(String(error)))
      throw new Error(
        `${String(error instanceof Error ? error.message : error)}; the Docker engine kept endpoints of removed ` +
          'containers: restart it (sudo systemctl restart docker, or restart Docker Desktop) and delete again',
      );
    throw error;
  }
}
