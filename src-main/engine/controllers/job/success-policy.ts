import { isPlainObject } from '../../k8s-object';
import { parseIndexes } from './job-status';

/**
 * `spec.successPolicy` of an Indexed Job: the index of the first rule the completed
 * indexes satisfy (all of `succeededIndexes`, or at least `succeededCount` of them, or of
 * all indexes when no set is given), or undefined.
 */
export function matchSuccessPolicy(policy: unknown, completed: Set<number>): number | undefined {
  const rules = isPlainObject(policy) ? policy.rules : undefined;
  if (!Array.isArray(rules)) return undefined;
  for (const [index, rule] of rules.entries()) {
    if (!isPlainObject(rule)) continue;
    const count = typeof rule.succeededCount === 'number' ? rule.succeededCount : undefined;
    if (typeof rule.succeededIndexes === 'string') {
      const wanted = parseIndexes(rule.succeededIndexes);
      const done = [...wanted].filter((i) => completed.has(i)).length;
      if (count !== undefined ? done >= count : done === wanted.size) return index;
    } else if (count !== undefined && completed.size >= count) {
      return index;
    }
  }
  return undefined;
}
