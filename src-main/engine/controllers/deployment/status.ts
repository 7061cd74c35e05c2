import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import { canonicalJson } from '../shared/hashing';
import {
  condition,
  deploymentComplete,
  deploymentProgressing,
  deploymentSpec,
  deploymentStatus,
  deploymentTimedOut,
  findCondition,
  hasProgressDeadline,
  maxUnavailable,
  removeCondition,
  rsAvailableReplicas,
  rsReadyReplicas,
  rsSpecReplicas,
  rsStatusReplicas,
  setCondition,
  sum,
} from './helpers';
import type { Condition, DeploymentStatus } from './helpers';

/** Kubernetes' calculateStatus: counts from the ReplicaSets plus the Available condition. */
export function calculateStatus(
  d: KubeObject,
  allRSs: KubeObject[],
  newRS: KubeObject | undefined,
  now: string,
): DeploymentStatus {
  const current = deploymentStatus(d);
  const availableReplicas = sum(allRSs, rsAvailableReplicas);
  const totalReplicas = sum(allRSs, rsSpecReplicas);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: sum(allRSs, rsStatusReplicas),
    updatedReplicas: newRS ? rsStatusReplicas(newRS) : 0,
    readyReplicas: sum(allRSs, rsReadyReplicas),
    availableReplicas,
    unavailableReplicas: Math.max(0, totalReplicas - availableReplicas),
    ...(current.collisionCount !== undefined ? { collisionCount: current.collisionCount } : {}),
    conditions: structuredClone(current.conditions ?? []),
  };
  const desired = deploymentSpec(d).replicas ?? 1;
  if (availableReplicas >= desired - maxUnavailable(d)) {
    setCondition(
      status,
      condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now),
    );
  } else {
    setCondition(
      status,
      condition(
        'Available',
        'False',
        'MinimumReplicasUnavailable',
        'Deployment does not have minimum availability.',
        now,
      ),
    );
  }
  return status;
}

/** The ReplicaFailure condition of the Deployment, from its ReplicaSets' own. */
function replicaFailure(allRSs: KubeObject[], newRS: KubeObject | undefined): Condition | undefined {
  const ordered = newRS ? [newRS, ...allRSs.filter((rs) => rs !== newRS)] : allRSs;
  for (const rs of ordered) {
    const status = isPlainObject(rs.status) ? rs.status : {};
    const conditions = Array.isArray(status.conditions) ? (status.conditions as Condition[]) : [];
    const failure = conditions.find((c) => c.type === 'ReplicaFailure');
    if (failure) {
      return {
        type: 'ReplicaFailure',
        status: failure.status,
        lastUpdateTime: failure.lastTransitionTime,
        lastTransitionTime: failure.lastTransitionTime,
        reason: failure.reason,
        message: failure.message,
      };
    }
  }
  return undefined;
}

/**
 * Kubernetes' syncRolloutStatus without the write: the new status with the Progressing
 * condition moved (NewReplicaSetAvailable, ReplicaSetUpdated, ProgressDeadlineExceeded)
 * and ReplicaFailure mirrored from the ReplicaSets.
 */
export function rolloutStatus(
  d: KubeObject,
  allRSs: KubeObject[],
  newRS: KubeObject | undefined,
  nowDate: Date,
  now: string,
): DeploymentStatus {
  const status = calculateStatus(d, allRSs, newRS, now);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = findCondition(status, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
  if (hasProgressDeadline(d) && !complete) {
    const rsName = newRS?.metadata.name;
    if (deploymentComplete(d, status)) {
      const message = rsName
        ? `ReplicaSet "${rsName}" has successfully progressed.`
        : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setCondition(status, condition('Progressing', 'True', 'NewReplicaSetAvailable', message, now));
    } else if (deploymentProgressing(d, status)) {
      const message = rsName
        ? `ReplicaSet "${rsName}" is progressing.`
        : `Deployment "${d.metadata.name}" is progressing.`;
      const next = condition('Progressing', 'True', 'ReplicaSetUpdated', message, now);
      if (current && current.status === 'True') next.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, 'Progressing');
      setCondition(status, next);
    } else if (deploymentTimedOut(d, status, nowDate)) {
      const message = rsName
        ? `ReplicaSet "${rsName}" has timed out progressing.`
        : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setCondition(status, condition('Progressing', 'False', 'ProgressDeadlineExceeded', message, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, failure);
  else removeCondition(status, 'ReplicaFailure');
  return status;
}

/** The status as stored: zero counts and empty lists omitted, as Go's omitempty does. */
export function compactStatus(status: DeploymentStatus): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(status)) {
    if (value === undefined || value === 0 || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = value;
  }
  return out;
}

export function sameStatus(a: DeploymentStatus, b: DeploymentStatus): boolean {
  return canonicalJson(compactStatus(a)) === canonicalJson(compactStatus(b));
}

/**
 * Kubernetes' requeueStuckDeployment: when a rollout is still in progress, the time after
 * which the progress deadline must be checked again (undefined when nothing to wait for).
 */
export function msUntilDeadlineCheck(d: KubeObject, status: DeploymentStatus, now: Date): number | undefined {
  const current = findCondition(status, 'Progressing');
  if (!hasProgressDeadline(d) || !current) return undefined;
  if (deploymentComplete(d, status) || current.reason === 'ProgressDeadlineExceeded') return undefined;
  const from = Date.parse(current.lastUpdateTime ?? '');
  if (!Number.isFinite(from)) return undefined;
  const after = from + (deploymentSpec(d).progressDeadlineSeconds ?? 600) * 1000 - now.getTime();
  return after < 1000 ? 1000 : after + 1000;
}
