import type { KubeObject } from '../../k8s-object';
import { isPlainObject } from '../../k8s-object';
import { rec } from '../workload-common/pods';

export interface PolicyVerdict {
  action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex';
  /** For FailJob: the condition message Kubernetes writes. */
  message?: string;
}

function terminatedCodes(pod: KubeObject): Array<{ name: string; code: number }> {
  const status = rec(pod.status);
  const out: Array<{ name: string; code: number }> = [];
  for (const list of [status.initContainerStatuses, status.containerStatuses]) {
    for (const s of Array.isArray(list) ? list : []) {
      const code = rec(rec(rec(s).state).terminated).exitCode;
      // Exit code 0 never matches a rule, as upstream.
      if (typeof code === 'number' && code !== 0) out.push({ name: String(rec(s).name), code });
    }
  }
  return out;
}

/**
 * Applies `spec.podFailurePolicy` to a failed pod: the action of the first rule that
 * matches (by exit codes or pod conditions), or undefined when none does (the failure
 * counts as usual).
 */
export function evaluatePodFailurePolicy(job: KubeObject, pod: KubeObject): PolicyVerdict | undefined {
  const rules = rec(rec(job.spec).podFailurePolicy).rules;
  if (!Array.isArray(rules)) return undefined;
  const ref = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (const [index, raw] of rules.entries()) {
    if (!isPlainObject(raw)) continue;
    const action = String(raw.action) as PolicyVerdict['action'];
    const onExitCodes = isPlainObject(raw.onExitCodes) ? raw.onExitCodes : undefined;
    if (onExitCodes) {
      const values = Array.isArray(onExitCodes.values) ? (onExitCodes.values as number[]) : [];
      const containerName =
        typeof onExitCodes.containerName === 'string' ? onExitCodes.containerName : undefined;
      const hit = terminatedCodes(pod).find(
        (c) =>
          (!containerName || containerName === c.name) &&
          (onExitCodes.operator === 'NotIn' ? !values.includes(c.code) : values.includes(c.code)),
      );
      if (hit) {
        return {
          action,
          message: `Container ${hit.name} for pod ${ref} failed with exit code ${hit.code} matching ${action} rule at index ${index}`,
        };
      }
      continue;
    }
    const onConditions = Array.isArray(raw.onPodConditions) ? raw.onPodConditions.filter(isPlainObject) : [];
    const podConditions = rec(pod.status).conditions;
    for (const pattern of onConditions) {
      const found = (Array.isArray(podConditions) ? podConditions : []).find(
        (c) => isPlainObject(c) && c.type === pattern.type && c.status === (pattern.status ?? 'True'),
      );
      if (found) {
        return {
          action,
          message: `Pod ${ref} has condition ${String(pattern.type)} matching ${action} rule at index ${index}`,
        };
      }
    }
  }
  return undefined;
}
