import { selectorFromSpec } from '../../apiserver/selectors';
import type { LabelSelector, LabelSelectorSpec } from '../../apiserver/selectors';
import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';

const cache = new WeakMap<object, LabelSelector>();

/** The parsed `spec.selector` of a workload (memoised per selector object). */
export function specSelector(obj: KubeObject): LabelSelector {
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  const raw = spec.selector;
  if (!isPlainObject(raw)) return selectorFromSpec(undefined);
  let parsed = cache.get(raw);
  if (!parsed) {
    parsed = selectorFromSpec(raw as LabelSelectorSpec);
    cache.set(raw, parsed);
  }
  return parsed;
}

/** True when the workload's selector selects `target` (an empty selector selects nothing, as controllers treat it). */
export function selects(owner: KubeObject, target: KubeObject): boolean {
  const selector = specSelector(owner);
  if (selector.empty) return false;
  return selector.matches(target.metadata.labels ?? {});
}
