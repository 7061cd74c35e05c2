import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { PullPolicy } from '../runtime/types';

/** Kubernetes' default: Always for `:latest` or untagged images, else IfNotPresent. */
export function pullPolicy(container: V1Container): PullPolicy {
  const policy = container.imagePullPolicy;
  if (policy === 'Always' || policy === 'IfNotPresent' || policy === 'Never') return policy;
  const image = container.image ?? '';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** The grace period to stop the pod's containers with. */
export function gracePeriod(pod: V1Pod, override: number | undefined): number {
  return override ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
}

/** The event `fieldPath` of a container: `spec.containers{name}` and friends. */
export function fieldPath(pod: V1Pod, name: string, role?: 'init' | 'app' | 'ephemeral'): string {
  if (role === 'ephemeral' || (pod.spec?.ephemeralContainers ?? []).some((c) => c.name === name))
    return `spec.ephemeralContainers{${name}}`;
  const isInit =
    role === 'init' || (role === undefined && (pod.spec?.initContainers ?? []).some((c) => c.name === name));
  return isInit ? `spec.initContainers{${name}}` : `spec.containers{${name}}`;
}

/** Go's time.Duration formatting for whole seconds: 10s, 1m20s, 5m0s. */
export function formatDelay(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Our conditions plus those others own (readiness gates), from the latest status. */
export function mergeForeignConditions(
  status: Record<string, unknown>,
  previous: Record<string, unknown>,
): Record<string, unknown> {
  const ours = (status.conditions as Array<{ type: string }> | undefined) ?? [];
  const theirs = (previous.conditions as Array<{ type: string }> | undefined) ?? [];
  const owned = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);
  const conditions = ours.filter((c) => owned.has(c.type));
  for (const c of theirs) if (!owned.has(c.type)) conditions.push(c);
  for (const c of ours)
    if (!owned.has(c.type) && !conditions.some((x) => x.type === c.type)) conditions.push(c);
  return { ...status, conditions };
}
