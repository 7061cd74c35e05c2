import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import type { ResourceDefinition } from '../registry/types';
import { formatSelectorSpec } from '../selectors/label-selector';
import type { LabelSelectorSpec } from '../selectors/label-selector';
import { ApiError, fieldErrors, invalid } from '../status';
import type { ResourceRef } from '../status';
import { clone, getPath, setPath } from './object-utils';

export function scaleRef(name: string): ResourceRef {
  return { resource: 'scale', group: 'autoscaling', kind: 'Scale', name };
}

function requireScale(def: ResourceDefinition): NonNullable<ResourceDefinition['scale']> {
  if (!def.scale) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  return def.scale;
}

/** The autoscaling/v1 Scale view of an object with a scale subresource. */
export function readScale(def: ResourceDefinition, obj: KubeObject): KubeObject {
  const scale = requireScale(def);
  const specReplicas = getPath(obj, scale.specReplicasPath);
  const statusReplicas = getPath(obj, scale.statusReplicasPath);
  const rawSelector = scale.selectorPath ? getPath(obj, scale.selectorPath) : undefined;
  const selector =
    typeof rawSelector === 'string'
      ? rawSelector
      : isPlainObject(rawSelector)
        ? formatSelectorSpec(rawSelector as LabelSelectorSpec)
        : undefined;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name: obj.metadata.name,
      ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: typeof specReplicas === 'number' ? specReplicas : 0 },
    status: {
      replicas: typeof statusReplicas === 'number' ? statusReplicas : 0,
      ...(selector ? { selector } : {}),
    },
  };
}

/**
 * The object after writing a Scale into it. The Scale's resourceVersion (when set) becomes
 * the update's precondition; a negative or non-integer replica count is 422 Invalid.
 */
export function writeScale(def: ResourceDefinition, current: KubeObject, input: KubeObject): KubeObject {
  const scale = requireScale(def);
  const replicas = isPlainObject(input.spec) ? input.spec.replicas : undefined;
  const name = current.metadata.name ?? '';
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('Scale', name, 'autoscaling', [
      typeof replicas === 'number'
        ? fieldErrors.invalid('spec.replicas', replicas, 'must be greater than or equal to 0')
        : fieldErrors.required('spec.replicas'),
    ]);
  }
  const updated = clone(current) as KubeObject & Record<string, unknown>;
  setPath(updated, scale.specReplicasPath, replicas);
  updated.metadata.resourceVersion = input.metadata?.resourceVersion || undefined;
  if (updated.metadata.resourceVersion === undefined) delete updated.metadata.resourceVersion;
  return updated;
}
