import type { V1Pod } from '@kubernetes/client-node';
import path from 'node:path';
import { LABELS, type ManagedContainer } from '../runtime/types';
import { fieldPath } from './pod-helpers';
import type { ProbedContainer } from './probe-manager';
import { REASON_LABEL, isSidecar } from './status';
import { podDirectory } from './volumes';

/** Where a container instance's termination message file lives on the host. */
export function terminationLogPath(
  profileDir: string,
  c: Pick<ManagedContainer, 'labels' | 'container' | 'restartCount'>,
): string {
  return path.join(
    podDirectory(profileDir, c.labels[LABELS.podUid] ?? ''),
    'containers',
    c.container,
    `${c.restartCount}.termination-log`,
  );
}

const LOST_MESSAGE = 'The container could not be located when the pod was terminated';

interface ReportedState {
  running?: { startedAt?: string };
  terminated?: {
    exitCode?: number;
    reason?: string;
    startedAt?: string;
    finishedAt?: string;
    containerID?: string;
  };
  waiting?: unknown;
}

/**
 * Containers the last status reported but the engine no longer has (removed behind our back)
 * come back as finished instances rebuilt from that status, so a completed init container is
 * not run again and a lost container counts as a restart (or stays lost with `Never`).
 */
export function withGhosts(
  pod: V1Pod,
  instances: Map<string, ManagedContainer[]>,
): Map<string, ManagedContainer[]> {
  const reported = [
    ...(pod.status?.initContainerStatuses ?? []).map((s) => ({ s, role: 'init' as const })),
    ...(pod.status?.containerStatuses ?? []).map((s) => ({ s, role: 'app' as const })),
    ...(pod.status?.ephemeralContainerStatuses ?? []).map((s) => ({ s, role: 'ephemeral' as const })),
  ];
  for (const { s, role } of reported) {
    if (instances.get(s.name)?.length || !s.containerID) continue;
    const state = (s.state ?? {}) as ReportedState;
    const last = ((s.lastState ?? {}) as ReportedState).terminated;
    const terminated = state.terminated ?? (state.waiting ? last : undefined);
    const base = {
      name: '',
      role,
      container: s.name,
      restartCount: s.restartCount ?? 0,
      oomKilled: false,
      image: s.image ?? '',
      // Kept as reported (with its scheme): imageRef passes it through unchanged.
      imageId: s.imageID ?? '',
    };
    if (terminated) {
      const id = (terminated.containerID ?? s.containerID).replace(/^docker:[/][/]/, '');
      instances.set(s.name, [
        {
          ...base,
          id,
          labels: { [REASON_LABEL]: terminated.reason ?? 'Error' },
          state: 'exited',
          exitCode: terminated.exitCode ?? 0,
          createdAt: String(terminated.startedAt ?? ''),
          startedAt: terminated.startedAt ? String(terminated.startedAt) : undefined,
          finishedAt: terminated.finishedAt ? String(terminated.finishedAt) : undefined,
        },
      ]);
    } else {
      const startedAt = state.running?.startedAt ? String(state.running.startedAt) : undefined;
      instances.set(s.name, [
        {
          ...base,
          id: s.containerID.replace(/^docker:[/][/]/, ''),
          labels: { [REASON_LABEL]: 'ContainerStatusUnknown' },
          state: 'exited',
          exitCode: 137,
          error: LOST_MESSAGE,
          createdAt: startedAt ?? '',
          startedAt,
          finishedAt: startedAt,
        },
      ]);
    }
  }
  return instances;
}

/** Instances per container name, newest (highest restart count) first. */
export function groupInstances(all: ManagedContainer[]): Map<string, ManagedContainer[]> {
  const map = new Map<string, ManagedContainer[]>();
  for (const c of all) {
    if (c.role === 'sandbox') continue;
    const list = map.get(c.container) ?? [];
    list.push(c);
    map.set(c.container, list);
  }
  for (const list of map.values())
    list.sort((a, b) => b.restartCount - a.restartCount || Date.parse(b.createdAt) - Date.parse(a.createdAt));
  return map;
}

/** The most recently created of `list`. */
export function newest(list: ManagedContainer[]): ManagedContainer | undefined {
  return [...list].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
}

export function isExited(c: ManagedContainer): boolean {
  return c.state === 'exited' || c.state === 'dead';
}

/** The running containers of the pod whose probes should run (app containers and sidecars). */
export function probeTargets(
  key: string,
  pod: V1Pod,
  instances: Map<string, ManagedContainer[]>,
  sandbox: ManagedContainer | undefined,
): ProbedContainer[] {
  const targets: ProbedContainer[] = [];
  if (sandbox?.state === 'running' && sandbox.ipAddress) {
    const probed = [...(pod.spec?.initContainers ?? []).filter(isSidecar), ...(pod.spec?.containers ?? [])];
    for (const container of probed) {
      const [current] = instances.get(container.name) ?? [];
      if (current?.state !== 'running') continue;
      targets.push({
        podKey: key,
        containerId: current.id,
        sandboxId: sandbox.id,
        podIP: sandbox.ipAddress,
        container,
        startedAt: new Date(current.startedAt ?? current.createdAt),
        fieldPath: fieldPath(pod, container.name, isSidecar(container) ? 'init' : 'app'),
      });
    }
  }
  return targets;
}
