import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';

interface PodCondition {
  type?: string;
  status?: string;
  lastTransitionTime?: string;
}

function conditions(pod: KubeObject): PodCondition[] {
  const status = isPlainObject(pod.status) ? pod.status : {};
  return Array.isArray(status.conditions) ? (status.conditions as PodCondition[]) : [];
}

export function podPhase(pod: KubeObject): string | undefined {
  const status = isPlainObject(pod.status) ? pod.status : {};
  return typeof status.phase === 'string' ? status.phase : undefined;
}

export function podNodeName(pod: KubeObject): string | undefined {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  return typeof spec.nodeName === 'string' && spec.nodeName ? spec.nodeName : undefined;
}

/** Kubernetes' IsPodActive: not finished and not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** The pod's Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return conditions(pod).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** When the pod last became Ready, or undefined when it is not Ready. */
export function podReadySince(pod: KubeObject): Date | undefined {
  const ready = conditions(pod).find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return undefined;
  return ready.lastTransitionTime ? new Date(ready.lastTransitionTime) : new Date(0);
}

/** Kubernetes' IsPodAvailable: Ready for at least `minReadySeconds`. */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: Date): boolean {
  const since = podReadySince(pod);
  if (!since) return false;
  if (minReadySeconds <= 0) return true;
  return since.getTime() + minReadySeconds * 1000 <= now.getTime();
}

/** Milliseconds until a Ready pod becomes available, or undefined when not Ready / already available. */
export function msUntilAvailable(pod: KubeObject, minReadySeconds: number, now: Date): number | undefined {
  const since = podReadySince(pod);
  if (!since || minReadySeconds <= 0) return undefined;
  const left = since.getTime() + minReadySeconds * 1000 - now.getTime();
  return left > 0 ? left : undefined;
}

/** Sum of restart counts over the pod's containers. */
export function podRestarts(pod: KubeObject): number {
  const status = isPlainObject(pod.status) ? pod.status : {};
  const statuses = Array.isArray(status.containerStatuses) ? status.containerStatuses : [];
  let total = 0;
  for (const s of statuses)
    if (isPlainObject(s) && typeof s.restartCount === 'number') total += s.restartCount;
  return total;
}
