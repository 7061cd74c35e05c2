import type {
  V1Container,
  V1ContainerStatus,
  V1Pod,
  V1PodCondition,
  V1PodStatus,
} from '@kubernetes/client-node';
import type { ManagedContainer } from '../runtime/types';

/** Why a container is not running right now (ContainerCreating, CrashLoopBackOff, ErrImagePull…). */
export interface WaitingReason {
  reason: string;
  message?: string;
}

/** What the kubelet knows about one container of a pod, the input of `containerStatus`. */
export interface ContainerView {
  spec: V1Container;
  /** The newest instance, whatever its state. */
  current?: ManagedContainer;
  /** The instance before it (for lastState), when kept. */
  previous?: ManagedContainer;
  /** Set while the kubelet waits to (re)start the container. */
  waiting?: WaitingReason;
  /** Readiness probe result (true when there is no readiness probe). */
  ready: boolean;
  /** Startup probe result (true when there is no startup probe). */
  started: boolean;
  /** An entry of initContainerStatuses. */
  isInit?: boolean;
}

export interface PodView {
  pod: V1Pod;
  sandbox?: ManagedContainer;
  hostIP?: string;
  init: ContainerView[];
  app: ContainerView[];
  /** Debug containers added with `kubectl debug`. */
  ephemeral?: ContainerView[];
  now: Date;
  /** `imageID` values by Docker image id (see `imageRef`). */
  imageRefs?: Map<string, string>;
  /** Termination messages by container id (terminationMessagePath or the log tail). */
  terminationMessages?: Map<string, string>;
  /** Set when the pod failed as a whole, e.g. activeDeadlineSeconds. */
  failure?: { reason: string; message: string };
}

/** JSON as written to the API: timestamps are RFC 3339 strings, not Dates. */
export type PodStatusJson = Omit<
  V1PodStatus,
  'startTime' | 'conditions' | 'containerStatuses' | 'initContainerStatuses' | 'ephemeralContainerStatuses'
> & {
  ephemeralContainerStatuses?: unknown[];
  startTime?: string;
  conditions?: ConditionJson[];
  containerStatuses?: unknown[];
  initContainerStatuses?: unknown[];
};
type ConditionJson = Omit<V1PodCondition, 'lastTransitionTime' | 'lastProbeTime'> & {
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
};

/** RFC 3339 with second precision, as Kubernetes serializes metav1.Time. */
export function rfc3339(date: Date | string | undefined): string | undefined {
  if (date === undefined) return undefined;
  const parsed = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(parsed.getTime())) return undefined;
  return parsed.toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * The `imageID` Kubernetes reports with Docker: `docker-pullable://repo@sha256:…` for an
 * image that came from a registry (it has a digest for the image's repository), else
 * `docker://sha256:…` (built or loaded locally).
 */
export function imageRef(image: string, imageId: string, repoDigests: string[] = []): string {
  if (!imageId || /^docker(-pullable)?:[/][/]/.test(imageId)) return imageId;
  const repository = image.split('@')[0].replace(/:[^/:]+$/, '');
  const digest = repoDigests.find((d) => d.split('@')[0] === repository) ?? repoDigests[0];
  return digest ? `docker-pullable://${digest}` : `docker://${imageId}`;
}

/**
 * Set on instances the kubelet reconstructs from an earlier status when the container itself
 * is gone (`ContainerStatusUnknown`), to report that reason instead of one derived from the
 * exit code.
 */
export const REASON_LABEL = 'io.kubedesk.kubelet-reason';

function terminatedState(c: ManagedContainer, messages?: Map<string, string>): Record<string, unknown> {
  const failedToStart = Boolean(c.error) && !c.startedAt;
  const message = c.error || messages?.get(c.id);
  const reason = c.labels[REASON_LABEL]
    ? c.labels[REASON_LABEL]
    : c.oomKilled
      ? 'OOMKilled'
      : failedToStart
        ? 'StartError'
        : c.exitCode === 0
          ? 'Completed'
          : 'Error';
  return {
    terminated: {
      exitCode: c.exitCode,
      reason,
      ...(message ? { message } : {}),
      startedAt: rfc3339(c.startedAt ?? c.createdAt),
      finishedAt: rfc3339(c.finishedAt ?? c.createdAt),
      containerID: `docker://${c.id}`,
    },
  };
}

/** An init container with `restartPolicy: Always` is a sidecar: it keeps running. */
export function isSidecar(container: V1Container): boolean {
  return container.restartPolicy === 'Always';
}

function isCompleted(c: ManagedContainer | undefined): boolean {
  return isFinished(c) && c.exitCode === 0;
}

function isFinished(c: ManagedContainer | undefined): c is ManagedContainer {
  return c !== undefined && (c.state === 'exited' || c.state === 'dead');
}

/** One entry of containerStatuses/initContainerStatuses. */
export function containerStatus(
  view: ContainerView,
  defaultWaiting: string,
  messages?: Map<string, string>,
  imageRefs?: Map<string, string>,
): Record<string, unknown> {
  const c = view.current;
  let state: Record<string, unknown>;
  let lastState: Record<string, unknown> = {};
  if (view.waiting) {
    state = {
      waiting: {
        reason: view.waiting.reason,
        ...(view.waiting.message ? { message: view.waiting.message } : {}),
      },
    };
    if (isFinished(c)) lastState = terminatedState(c, messages);
    else if (isFinished(view.previous)) lastState = terminatedState(view.previous, messages);
  } else {
    if (!c) state = { waiting: { reason: defaultWaiting } };
    else if (c.state === 'running' || c.state === 'paused' || c.state === 'restarting')
      state = { running: { startedAt: rfc3339(c.startedAt ?? c.createdAt) } };
    else if (isFinished(c)) state = terminatedState(c, messages);
    else state = { waiting: { reason: defaultWaiting } };
    if (isFinished(view.previous)) lastState = terminatedState(view.previous, messages);
  }
  const running = 'running' in state;
  return {
    name: view.spec.name,
    state,
    lastState,
    // A regular init container counts as ready once it completed; sidecars like app containers.
    ready:
      view.isInit && !isSidecar(view.spec)
        ? isCompleted(c) && !view.waiting
        : running && view.started && view.ready,
    restartCount: c?.restartCount ?? (view.previous ? view.previous.restartCount : 0),
    image: view.spec.image ?? '',
    imageID: c ? (imageRefs?.get(c.imageId) ?? imageRef(c.image, c.imageId)) : '',
    ...(c ? { containerID: `docker://${c.id}` } : {}),
    started: running && view.started,
  };
}

type StatusLike = Pick<V1ContainerStatus, 'name' | 'started' | 'ready'> & {
  state?: { running?: unknown; terminated?: { exitCode: number }; waiting?: unknown };
  lastState?: { terminated?: { exitCode: number } };
};

/** The pod phase from container statuses, as the kubelet's getPhase computes it. */
export function podPhase(
  pod: V1Pod,
  init: StatusLike[],
  app: StatusLike[],
): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  const restartPolicy = pod.spec?.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  const appStarted = app.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated);
  for (const container of pod.spec?.initContainers ?? []) {
    const status = init.find((s) => s.name === container.name);
    if (isSidecar(container)) {
      // A sidecar has done its init part once started; after that its restarts do not matter.
      if (!((status?.state?.running && status.started) || appStarted)) pendingInit++;
      continue;
    }
    if (!status?.state) pendingInit++;
    else if (status.state.running) pendingInit++;
    else if (status.state.terminated) {
      if (status.state.terminated.exitCode !== 0) failedInit++;
    } else if (status.lastState?.terminated) {
      if (status.lastState.terminated.exitCode !== 0) failedInit++;
    } else pendingInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const container of pod.spec?.containers ?? []) {
    const status = app.find((s) => s.name === container.name);
    if (!status?.state) unknown++;
    else if (status.state.running) running++;
    else if (status.state.terminated) {
      stopped++;
      if (status.state.terminated.exitCode === 0) succeeded++;
    } else if (status.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (failedInit > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingInit > 0 || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function condition(
  type: string,
  ok: boolean,
  previous: ConditionJson[],
  now: string,
  reason?: string,
  message?: string,
): ConditionJson {
  const status = ok ? 'True' : 'False';
  const before = previous.find((c) => c.type === type);
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime:
      before && before.status === status && before.lastTransitionTime ? before.lastTransitionTime : now,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

const KUBELET_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);

/**
 * The pod status the kubelet reports: phase, conditions (keeping transition times that did
 * not change and conditions others own), addresses, start time and container statuses.
 */
export function computePodStatus(view: PodView): PodStatusJson {
  const { pod } = view;
  const previous = (pod.status ?? {}) as PodStatusJson;
  const previousConditions = previous.conditions ?? [];
  const now = rfc3339(view.now) ?? '';
  const hasInit = (pod.spec?.initContainers ?? []).length > 0;
  const defaultWaiting = hasInit ? 'PodInitializing' : 'ContainerCreating';

  const initStatuses = view.init.map((c) =>
    containerStatus({ ...c, isInit: true }, 'PodInitializing', view.terminationMessages, view.imageRefs),
  );
  const appStatuses = view.app.map((c) =>
    containerStatus(c, defaultWaiting, view.terminationMessages, view.imageRefs),
  );
  const phase = view.failure
    ? 'Failed'
    : previous.phase === 'Succeeded' || previous.phase === 'Failed'
      ? previous.phase
      : podPhase(pod, initStatuses as StatusLike[], appStatuses as StatusLike[]);

  const podIP = view.sandbox?.state === 'running' ? view.sandbox.ipAddress : undefined;
  const sidecarNames = new Set((pod.spec?.initContainers ?? []).filter(isSidecar).map((c) => c.name));
  const appStarted = (appStatuses as StatusLike[]).some(
    (s) => s.state?.running || s.state?.terminated || s.lastState?.terminated,
  );
  const incompleteInit = (initStatuses as StatusLike[])
    .filter((s) =>
      sidecarNames.has(s.name)
        ? !(s.state?.running && s.started) && !appStarted
        : !(s.state?.terminated && s.state.terminated.exitCode === 0),
    )
    .map((s) => s.name);
  const unready = [
    ...(initStatuses as StatusLike[]).filter((s) => sidecarNames.has(s.name) && !s.ready),
    ...(appStatuses as StatusLike[]).filter((s) => !s.ready),
  ].map((s) => s.name);

  const conditions: ConditionJson[] = [];
  conditions.push(condition('PodReadyToStartContainers', podIP !== undefined, previousConditions, now));
  if (phase === 'Succeeded') {
    conditions.push(condition('Initialized', true, previousConditions, now, 'PodCompleted'));
  } else {
    conditions.push(
      incompleteInit.length === 0
        ? condition('Initialized', true, previousConditions, now)
        : condition(
            'Initialized',
            false,
            previousConditions,
            now,
            'ContainersNotInitialized',
            `containers with incomplete status: [${incompleteInit.join(' ')}]`,
          ),
    );
  }
  let containersReady: ConditionJson;
  if (phase === 'Succeeded' || phase === 'Failed') {
    containersReady = condition('ContainersReady', false, previousConditions, now, 'PodCompleted');
  } else if (incompleteInit.length > 0) {
    containersReady = condition(
      'ContainersReady',
      false,
      previousConditions,
      now,
      'ContainersNotReady',
      `containers with incomplete status: [${incompleteInit.join(' ')}]`,
    );
  } else if (unready.length > 0) {
    containersReady = condition(
      'ContainersReady',
      false,
      previousConditions,
      now,
      'ContainersNotReady',
      `containers with unready status: [${unready.join(' ')}]`,
    );
  } else {
    containersReady = condition('ContainersReady', true, previousConditions, now);
  }
  let ready: ConditionJson = { ...containersReady, type: 'Ready' };
  ready = condition(
    'Ready',
    containersReady.status === 'True',
    previousConditions,
    now,
    ready.reason,
    ready.message,
  );
  if (ready.status === 'True') {
    const unmet: string[] = [];
    for (const gate of pod.spec?.readinessGates ?? []) {
      const found = previousConditions.find((c) => c.type === gate.conditionType);
      if (!found)
        unmet.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
      else if (found.status !== 'True')
        unmet.push(
          `the status of pod readiness gate "${gate.conditionType}" is not "True", but ${found.status}`,
        );
    }
    if (unmet.length > 0)
      ready = condition('Ready', false, previousConditions, now, 'ReadinessGatesNotReady', unmet.join(', '));
  }
  conditions.push(ready, containersReady);
  for (const other of previousConditions) if (!KUBELET_CONDITIONS.has(other.type)) conditions.push(other);
  // A pod bound by its manifest (nodeName set) never saw the scheduler: the kubelet adds
  // PodScheduled itself, as Kubernetes' does.
  if (!conditions.some((c) => c.type === 'PodScheduled'))
    conditions.push(condition('PodScheduled', true, previousConditions, now));

  const status: PodStatusJson = {
    ...previous,
    phase,
    conditions,
    ...(view.hostIP ? { hostIP: view.hostIP, hostIPs: [{ ip: view.hostIP }] } : {}),
    startTime: previous.startTime ?? now,
    containerStatuses: appStatuses,
  };
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  } else if (phase !== 'Succeeded' && phase !== 'Failed') {
    delete status.podIP;
    delete status.podIPs;
  }
  if (view.failure) {
    status.reason = view.failure.reason;
    status.message = view.failure.message;
  }
  if (view.ephemeral?.length)
    status.ephemeralContainerStatuses = view.ephemeral.map((c) =>
      containerStatus(c, 'ContainerCreating', view.terminationMessages, view.imageRefs),
    );
  if (hasInit) status.initContainerStatuses = initStatuses;
  else delete status.initContainerStatuses;
  return status;
}
