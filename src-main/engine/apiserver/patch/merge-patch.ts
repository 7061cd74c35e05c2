import type { KubeObject } from '../../k8s-object';
import { isPlainObject } from '../../k8s-object';
import { patchBadRequest } from './patch-errors';

/**
 * Applies an RFC 7386 JSON merge patch to a copy of `doc`: objects merge key by key, `null`
 * deletes, anything else (lists included) replaces. A body that is not a JSON object is a 400
 * BadRequest, as Kubernetes answers (`Invalid JSON Patch`).
 */
export function applyMergePatch(doc: KubeObject, patch: unknown): KubeObject {
  if (!isPlainObject(patch)) throw patchBadRequest('Invalid JSON Patch');
  return mergeObjects(doc, patch) as KubeObject;
}

function mergeObjects(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(target);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
    } else if (isPlainObject(value)) {
      const existing = out[key];
      out[key] = mergeObjects(isPlainObject(existing) ? existing : {}, value);
    } else {
      out[key] = structuredClone(value);
    }
  }
  return out;
}
