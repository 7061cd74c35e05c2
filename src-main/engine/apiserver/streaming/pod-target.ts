import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import { LABELS } from '../../runtime/types';
import type { ContainerRuntime, ManagedContainer } from '../../runtime/types';
import type { ObjectApi } from '../object-api';
import { badRequest } from '../status';

/** Where the streams of a pod are served from. */
export interface StreamBackend {
  runtime: ContainerRuntime;
  /** The cluster profile whose containers carry the `io.kubedesk.profile` label. */
  profile: string;
}

const PODS = { group: '', version: 'v1', resource: 'pods' };

/** Reads the pod (404 `pods "x" not found` when missing). */
export function getPod(objectApi: ObjectApi, namespace: string | undefined, name: string): KubeObject {
  return objectApi.get(PODS, namespace, name);
}

interface NamedContainer {
  name: string;
}

function containerNames(pod: KubeObject, field: string): string[] {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const list = Array.isArray(spec[field]) ? (spec[field] as unknown[]) : [];
  return list
    .filter((c): c is NamedContainer => isPlainObject(c) && typeof c.name === 'string')
    .map((c) => c.name);
}

/**
 * The container a stream request is about: the one named, or the pod's only container.
 * Fails as Kubernetes' validateContainer does (400): `a container name must be specified
 * for pod x, choose one of: [init a b]` (every container, init ones first), or `container x
 * is not valid for pod y`.
 */
export function resolveContainerName(pod: KubeObject, requested: string | undefined | null): string {
  const name = pod.metadata.name ?? '';
  const app = containerNames(pod, 'containers');
  const all = [
    ...containerNames(pod, 'initContainers'),
    ...app,
    ...containerNames(pod, 'ephemeralContainers'),
  ];
  if (requested) {
    if (all.includes(requested)) return requested;
    throw badRequest(`container ${requested} is not valid for pod ${name}`);
  }
  if (app.length === 1) return app[0];
  if (app.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
  throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`);
}

/** The node the pod is bound to, if any. */
export function podNodeName(pod: KubeObject): string | undefined {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  return typeof spec.nodeName === 'string' && spec.nodeName ? spec.nodeName : undefined;
}

/** exec, attach and port-forward need a node: 400 `pod x does not have a host assigned` otherwise. */
export function requireNode(pod: KubeObject): void {
  if (!podNodeName(pod)) throw badRequest(`pod ${pod.metadata.name ?? ''} does not have a host assigned`);
}

/** Every attempt of one container of the pod, newest (highest restart count) first. */
export async function containerAttempts(
  backend: StreamBackend,
  pod: KubeObject,
  container: string,
): Promise<ManagedContainer[]> {
  const list = await backend.runtime.listManaged(backend.profile, {
    [LABELS.podUid]: pod.metadata.uid ?? '',
    [LABELS.container]: container,
  });
  return list
    .filter((c) => c.role !== 'sandbox')
    .sort((a, b) => b.restartCount - a.restartCount || Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

interface ContainerStatusView {
  name?: string;
  state?: { waiting?: { reason?: string } };
}

function containerStatus(pod: KubeObject, container: string): ContainerStatusView | undefined {
  const status = isPlainObject(pod.status) ? pod.status : {};
  for (const field of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    const list = Array.isArray(status[field]) ? (status[field] as unknown[]) : [];
    const found = list.find((s) => isPlainObject(s) && s.name === container);
    if (found) return found as ContainerStatusView;
  }
  return undefined;
}

/** Kubernetes' words for a container that has no logs yet, by its waiting reason. */
export function waitingError(pod: KubeObject, container: string): Error {
  const podName = pod.metadata.name ?? '';
  const reason = containerStatus(pod, container)?.state?.waiting?.reason ?? 'ContainerCreating';
  const what =
    reason === 'ErrImagePull'
      ? "image can't be pulled"
      : reason === 'ImagePullBackOff'
        ? 'trying and failing to pull image'
        : reason;
  return badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${what}`);
}

/**
 * The container attempt to read logs from: the current one, or with `previous` the one
 * before it. Throws 400 with Kubernetes' wording when there is none.
 */
export async function logContainer(
  backend: StreamBackend,
  pod: KubeObject,
  container: string,
  previous: boolean,
): Promise<ManagedContainer> {
  const attempts = await containerAttempts(backend, pod, container);
  if (previous) {
    const before = attempts[1];
    if (!before) {
      throw badRequest(
        `previous terminated container "${container}" in pod "${pod.metadata.name ?? ''}" not found`,
      );
    }
    return before;
  }
  const current = attempts[0];
  if (!current) throw waitingError(pod, container);
  return current;
}

/**
 * The running container an exec or attach goes to. Otherwise 400 with the kubelet's words,
 * `container not found ("x")`, whether it has not started yet or has stopped.
 */
export async function runningContainer(
  backend: StreamBackend,
  pod: KubeObject,
  container: string,
): Promise<ManagedContainer> {
  const current = (await containerAttempts(backend, pod, container))[0];
  if (current?.state !== 'running') throw badRequest(`container not found ("${container}")`);
  return current;
}

/** The pod's sandbox (its network namespace), for port-forwarding. */
export async function podSandbox(backend: StreamBackend, pod: KubeObject): Promise<ManagedContainer> {
  const phase = isPlainObject(pod.status) ? pod.status.phase : undefined;
  const name = pod.metadata.name ?? '';
  if (phase !== 'Running') {
    throw badRequest(
      `unable to forward port because pod is not running. Current status=${String(phase ?? 'Pending')}`,
    );
  }
  const list = await backend.runtime.listManaged(backend.profile, {
    [LABELS.podUid]: pod.metadata.uid ?? '',
    [LABELS.role]: 'sandbox',
  });
  const sandbox = list.find((c) => c.state === 'running');
  if (!sandbox) throw badRequest(`pod ${name} has no running sandbox`);
  return sandbox;
}
