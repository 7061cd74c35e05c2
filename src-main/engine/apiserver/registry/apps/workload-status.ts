import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { num, rec } from '../core/common';
import { validateNonnegative } from '../validation';

export interface ReplicaStatusRules {
  /** Status counters that must be non-negative, in Kubernetes' order. */
  nonNegative: string[];
  /** Counters that may not exceed `status.replicas`. */
  atMostReplicas?: string[];
  /** The message when availableReplicas exceeds readyReplicas (wording differs per kind). */
  availableOverReady?: string;
}

/**
 * The Validate*Status checks of the workload kinds, plus ValidateXStatusUpdate's
 * "collisionCount cannot be decremented". Checked on updates only: a create resets status.
 */
export function validateWorkloadStatus(
  obj: KubeObject,
  old: KubeObject | undefined,
  rules: ReplicaStatusRules,
): FieldError[] {
  if (!old) return [];
  const status = rec(obj.status);
  const errs: FieldError[] = [];
  for (const key of rules.nonNegative) errs.push(...validateNonnegative(num(status[key]), `status.${key}`));
  const replicas = num(status.replicas) ?? 0;
  for (const key of rules.atMostReplicas ?? []) {
    const value = num(status[key]) ?? 0;
    if (value > replicas)
      errs.push(fieldErrors.invalid(`status.${key}`, value, 'cannot be greater than status.replicas'));
  }
  const available = num(status.availableReplicas) ?? 0;
  if (rules.availableOverReady && available > (num(status.readyReplicas) ?? 0)) {
    errs.push(fieldErrors.invalid('status.availableReplicas', available, rules.availableOverReady));
  }
  const collisions = num(status.collisionCount);
  const oldCollisions = num(rec(old.status).collisionCount);
  if (oldCollisions !== undefined && (collisions ?? 0) < oldCollisions) {
    errs.push(fieldErrors.invalid('status.collisionCount', collisions ?? 0, 'cannot be decremented'));
  }
  return errs;
}
