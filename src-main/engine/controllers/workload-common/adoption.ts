import type { ObjectApi } from '../../apiserver/object-api';
import { ApiError } from '../../apiserver/status';
import { selectorFromSpec } from '../../apiserver/selectors';
import type { LabelSelectorSpec } from '../../apiserver/selectors';
import type { KubeObject } from '../../k8s-object';
import { isControlledBy, rec } from './pods';
import { PODS } from '../shared/resources';
import { controllerRef } from '../shared/owners';

/**
 * client-go's ControllerRefManager.ClaimPods: pods in the owner's namespace that match its
 * selector (and `belongs`) and have no controller are adopted; owned pods whose labels no
 * longer match are released. Returns the pods the owner controls afterwards. Being deleted,
 * an owner adopts nothing.
 */
export function claimPods(
  api: ObjectApi,
  owner: KubeObject,
  apiVersion: string,
  kind: string,
  candidates: KubeObject[],
  belongs: (pod: KubeObject) => boolean = () => true,
): KubeObject[] {
  const selector = selectorFromSpec(rec(owner.spec).selector as LabelSelectorSpec | undefined);
  const namespace = owner.metadata.namespace;
  const owned: KubeObject[] = [];
  for (const pod of candidates) {
    if (pod.metadata.namespace !== namespace) continue;
    const matches = selector.matches(pod.metadata.labels ?? {}) && belongs(pod);
    if (isControlledBy(pod, owner)) {
      if (matches || pod.metadata.deletionTimestamp) owned.push(pod);
      else release(api, owner, pod);
      continue;
    }
    const hasController = pod.metadata.ownerReferences?.some((r) => r.controller);
    if (hasController || !matches || pod.metadata.deletionTimestamp || owner.metadata.deletionTimestamp)
      continue;
    const adopted = update(api, {
      ...pod,
      metadata: {
        ...pod.metadata,
        ownerReferences: [...(pod.metadata.ownerReferences ?? []), controllerRef(owner, apiVersion, kind)],
      },
    });
    if (adopted) owned.push(adopted);
  }
  return owned;
}

function release(api: ObjectApi, owner: KubeObject, pod: KubeObject): void {
  const ownerReferences = (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
  update(api, { ...pod, metadata: { ...pod.metadata, ownerReferences } });
}

function update(api: ObjectApi, pod: KubeObject): KubeObject | undefined {
  try {
    return api.update(PODS, pod.metadata.namespace, pod);
  } catch (error) {
    // Changed or gone meanwhile: the next reconcile looks again.
    if (error instanceof ApiError && (error.code === 409 || error.code === 404)) return undefined;
    throw error;
  }
}
