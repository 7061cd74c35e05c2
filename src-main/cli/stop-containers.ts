import Docker from 'dockerode';
import { dockerStatusCode, errorLine } from '../engine/runtime/docker/docker-errors';
import { LABELS } from '../engine/runtime/types';
import { dockerAnswers } from './docker-cleanup';

/** What stopping a profile's containers came to. */
export interface ContainerStop {
  /** False when no Docker engine answered (then nothing of the profile runs on it anyway). */
  reachable: boolean;
  stopped: number;
  /** Containers that could not be stopped, one line each. */
  failures: string[];
}

/** Docker's default wait before SIGKILL, for containers made without a grace period. */
const DOCKER_DEFAULT_STOP_SECONDS = 10;

/**
 * Stops every running container of a profile once its engine is gone, so a stopped cluster holds
 * no memory or CPU (as a stopped minikube or kind cluster does); the next start runs its pods
 * again, each with its restart count raised, as after a node reboot. Pod containers stop first,
 * each with its pod's termination grace period up to `maxGraceSeconds`, then the sandboxes
 * (which hold the pods' network), then the rest (the network agent).
 */
export async function stopProfileContainers(
  name: string,
  maxGraceSeconds: number,
  docker: Docker = new Docker(),
): Promise<ContainerStop> {
  const result: ContainerStop = { reachable: true, stopped: 0, failures: [] };
  if (!(await dockerAnswers(docker))) return { ...result, reachable: false };
  const running = await docker.listContainers({
    filters: { label: [`${LABELS.profile}=${name}`], status: ['running'] },
  });
  const role = (info: Docker.ContainerInfo) => info.Labels?.[LABELS.role];
  const isPodContainer = (info: Docker.ContainerInfo) =>
    role(info) === 'app' || role(info) === 'init' || role(info) === 'ephemeral';
  const waves = [
    running.filter(isPodContainer),
    running.filter((info) => role(info) === 'sandbox'),
    running.filter((info) => !isPodContainer(info) && role(info) !== 'sandbox'),
  ];
  for (const wave of waves) {
    await Promise.all(
      wave.map(async (info) => {
        const container = docker.getContainer(info.Id);
        try {
          // The Engine API returns Config.StopTimeout; dockerode's type leaves it out.
          const config = (await container.inspect()).Config as { StopTimeout?: number };
          const grace = config.StopTimeout ?? DOCKER_DEFAULT_STOP_SECONDS;
          await container.stop({ t: Math.ceil(Math.min(grace, maxGraceSeconds)) });
          result.stopped++;
        } catch (error) {
          const code = dockerStatusCode(error);
          // 304: stopped meanwhile; 404: removed meanwhile.
          if (code === 304 || code === 404) return;
          result.failures.push(`container ${info.Names?.[0] ?? info.Id}: ${errorLine(error)}`);
        }
      }),
    );
  }
  return result;
}
