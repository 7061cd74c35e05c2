import type Docker from 'dockerode';
import { LABELS, type ContainerRole, type ContainerState, type ManagedContainer } from '../types';

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Converts Docker's inspect document to the runtime's view of a managed container. */
export function toManagedContainer(info: Docker.ContainerInspectInfo): ManagedContainer {
  const labels = info.Config.Labels ?? {};
  const networks = Object.values(info.NetworkSettings?.Networks ?? {});
  const ipAddress = networks.find((n) => n.IPAddress)?.IPAddress || undefined;
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    labels,
    role: (labels[LABELS.role] as ContainerRole | undefined) ?? 'app',
    container: labels[LABELS.container] ?? '',
    restartCount: Number(labels[LABELS.restartCount] ?? 0),
    state: info.State.Status as ContainerState,
    exitCode: info.State.ExitCode,
    oomKilled: info.State.OOMKilled,
    error: info.State.Error || undefined,
    image: info.Config.Image,
    imageId: info.Image,
    createdAt: info.Created,
    startedAt: validTime(info.State.StartedAt),
    finishedAt: validTime(info.State.FinishedAt),
    ipAddress,
  };
}

function validTime(value: string | undefined): string | undefined {
  return value && !value.startsWith(ZERO_TIME.slice(0, 4)) ? value : undefined;
}
