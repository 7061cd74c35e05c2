import { isPlainObject } from '../../../k8s-object';
import { arr, rec, str } from '../core/common';

/**
 * Renderings of values as Kubernetes' field errors print them: Go's `%#v` of the internal
 * API types. Only shapes that appear in the workload validation messages are covered.
 */

/** `map[string]string{"a":"1", "b":"2"}` (keys sorted), or `map[string]string(nil)` when absent. */
export function goStringMap(value: unknown): string {
  if (!isPlainObject(value)) return 'map[string]string(nil)';
  const entries = Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(str(value[k]))}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** `[]string{"a", "b"}`, or `[]string(nil)` when absent. */
export function goStrings(value: unknown): string {
  if (!Array.isArray(value)) return '[]string(nil)';
  return `[]string{${value.map((v) => JSON.stringify(str(v))).join(', ')}}`;
}

/** A dereferenced `*metav1.LabelSelector`: `v1.LabelSelector{MatchLabels:…, MatchExpressions:…}`. */
export function goLabelSelector(value: unknown): string {
  const selector = rec(value);
  const expressions = Array.isArray(selector.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${arr(selector.matchExpressions)
        .map((e) => {
          const r = rec(e);
          return `v1.LabelSelectorRequirement{Key:${JSON.stringify(str(r.key))}, Operator:${JSON.stringify(
            str(r.operator),
          )}, Values:${goStrings(r.values)}}`;
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(selector.matchLabels)}, MatchExpressions:${expressions}}`;
}

/** `intstr.IntOrString{Type:0, IntVal:1, StrVal:""}` (Type 1 for strings). */
export function goIntOrString(value: unknown): string {
  if (typeof value === 'string')
    return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(value)}}`;
  const n = typeof value === 'number' ? Math.trunc(value) : 0;
  return `intstr.IntOrString{Type:0, IntVal:${n}, StrVal:""}`;
}
