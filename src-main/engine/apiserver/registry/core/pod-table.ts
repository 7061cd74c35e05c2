import type { KubeObject } from '../../../k8s-object';
import type { TableColumn, TableContext } from '../types';
import {
  NONE,
  ageCell,
  column,
  nameColumn,
  ageColumn,
  swaggerDoc,
  timestampMillis,
  translateTimestampSince,
} from '../printers';
import { rec, records, str } from './common';

/** `kubectl get pods` columns, as Kubernetes' printers define them. */
export const podColumns: TableColumn[] = [
  nameColumn(),
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column(
    'Restarts',
    'string',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  ageColumn(),
  column('IP', 'string', swaggerDoc('V1PodStatus', 'podIP'), { wide: true }),
  column('Node', 'string', swaggerDoc('V1PodSpec', 'nodeName'), { wide: true }),
  column('Nominated Node', 'string', swaggerDoc('V1PodStatus', 'nominatedNodeName'), { wide: true }),
  column('Readiness Gates', 'string', swaggerDoc('V1PodSpec', 'readinessGates'), { wide: true }),
];

function conditionStatus(status: Record<string, unknown>, type: string): string | undefined {
  const condition = records(status.conditions).find((c) => c.type === type);
  return condition ? str(condition.status) : undefined;
}

function terminatedReason(terminated: Record<string, unknown>, prefix: string): string {
  const reason = str(terminated.reason);
  if (reason) return `${prefix}${reason}`;
  const signal = Number(terminated.signal ?? 0);
  if (signal !== 0) return `${prefix}Signal:${signal}`;
  return `${prefix}ExitCode:${Number(terminated.exitCode ?? 0)}`;
}

function lastTerminationMillis(containerStatus: Record<string, unknown>): number | undefined {
  const terminated = rec(rec(containerStatus.lastState).terminated);
  return timestampMillis(terminated.finishedAt);
}

export interface PodSummary {
  ready: string;
  status: string;
  restarts: number;
  /** When the most recent restart's previous instance finished, if any. */
  lastRestart?: number;
}

/**
 * The READY, STATUS and RESTARTS values kubectl prints for a pod (printPod in
 * pkg/printers/internalversion): Init:N/M, Init:CrashLoopBackOff, PodInitializing,
 * ContainerCreating, CrashLoopBackOff, Completed, NotReady, Terminating, SchedulingGated…
 */
export function summarizePod(pod: KubeObject): PodSummary {
  const spec = rec(pod.spec);
  const status = rec(pod.status);
  const containers = records(spec.containers);
  const initContainers = records(spec.initContainers);
  let total = containers.length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  const phase = str(status.phase);
  let reason = str(status.reason) || phase;

  for (const condition of records(status.conditions)) {
    if (condition.type === 'PodScheduled' && condition.reason === 'SchedulingGated')
      reason = 'SchedulingGated';
  }

  const sidecars = new Set<string>();
  for (const init of initContainers) {
    if (init.restartPolicy === 'Always') {
      sidecars.add(str(init.name));
      total++;
    }
  }

  let initializing = false;
  const initStatuses = records(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    restarts += Number(cs.restartCount ?? 0);
    const finished = lastTerminationMillis(cs);
    if (finished !== undefined && (lastRestart === undefined || finished > lastRestart))
      lastRestart = finished;
    const isSidecar = sidecars.has(str(cs.name));
    if (isSidecar) {
      sidecarRestarts += Number(cs.restartCount ?? 0);
      if (finished !== undefined && (lastSidecarRestart === undefined || finished > lastSidecarRestart)) {
        lastSidecarRestart = finished;
      }
    }
    const state = rec(cs.state);
    const terminated = state.terminated === undefined ? undefined : rec(state.terminated);
    const waiting = state.waiting === undefined ? undefined : rec(state.waiting);
    if (terminated && Number(terminated.exitCode ?? 0) === 0) continue;
    if (isSidecar && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated) {
      reason = terminatedReason(terminated, 'Init:');
    } else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionStatus(status, 'Initialized') === 'True') {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = records(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += Number(cs.restartCount ?? 0);
      const finished = lastTerminationMillis(cs);
      if (finished !== undefined && (lastRestart === undefined || finished > lastRestart))
        lastRestart = finished;
      const state = rec(cs.state);
      const waiting = state.waiting === undefined ? undefined : rec(state.waiting);
      const terminated = state.terminated === undefined ? undefined : rec(state.terminated);
      if (waiting && str(waiting.reason)) {
        reason = str(waiting.reason);
      } else if (terminated) {
        reason = terminatedReason(terminated, '');
      } else if (cs.ready === true && state.running !== undefined) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditionStatus(status, 'Ready') === 'True' ? 'Running' : 'NotReady';
    }
  }

  const deleting = Boolean(pod.metadata?.deletionTimestamp);
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  return { ready: `${ready}/${total}`, status: reason, restarts, lastRestart };
}

/** Table cells for one pod, in `podColumns` order (wide columns included). */
export function podCells(pod: KubeObject, context: TableContext): unknown[] {
  const summary = summarizePod(pod);
  const restarts =
    summary.restarts !== 0 && summary.lastRestart !== undefined
      ? `${summary.restarts} (${translateTimestampSince(new Date(summary.lastRestart), context.now)} ago)`
      : String(summary.restarts);
  const spec = rec(pod.spec);
  const status = rec(pod.status);
  const podIPs = records(status.podIPs);
  const ip = str(podIPs[0]?.ip) || NONE;
  const gates = records(spec.readinessGates);
  let readinessGates = NONE;
  if (gates.length > 0) {
    const conditions = records(status.conditions);
    const trueCount = gates.filter((gate) => {
      const condition = conditions.find((c) => c.type === gate.conditionType);
      return condition?.status === 'True';
    }).length;
    readinessGates = `${trueCount}/${gates.length}`;
  }
  return [
    pod.metadata?.name ?? '',
    summary.ready,
    summary.status,
    restarts,
    ageCell(pod, context.now),
    ip,
    str(spec.nodeName) || NONE,
    str(status.nominatedNodeName) || NONE,
    readinessGates,
  ];
}
