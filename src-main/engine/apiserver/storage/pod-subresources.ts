import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import { StoreConflictError } from '../../store/types';
import type { DeleteOptions } from '../object-api';
import type { ResourceDefinition } from '../registry/types';
import { selectorFromSpec } from '../selectors/label-selector';
import type { LabelSelectorSpec } from '../selectors/label-selector';
import { ApiError, badRequest, conflict, fieldErrors, invalid, notFound } from '../status';
import { listPrefix, objectKey } from './keys';
import { decodeRecord } from './list';
import type { ObjectStorage } from './object-storage';
import { clone, formatTime } from './object-utils';

function successStatus(code: number): KubeObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code } as KubeObject;
}

/**
 * pods/binding: assigns a pending pod to a node (spec.nodeName + PodScheduled=True), as
 * the scheduler does through this subresource. 409 when the pod is already bound or
 * being deleted.
 */
export function bindPod(
  storage: ObjectStorage,
  def: ResourceDefinition,
  namespace: string | undefined,
  binding: KubeObject,
  dryRun: boolean | undefined,
): KubeObject {
  const name = binding.metadata?.name ?? '';
  const target = isPlainObject(binding.target) ? binding.target : {};
  const node = typeof target.name === 'string' ? target.name : '';
  if (!node) throw invalid('Binding', name, '', [fieldErrors.required('target.name')]);
  const key = objectKey(def, namespace, name);
  const record = storage.store.get(key);
  if (!record) throw notFound({ resource: 'pods', group: '', name });
  const pod = decodeRecord(record);
  const ref = { resource: 'pods/binding', group: '', name };
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  if (pod.metadata.deletionTimestamp) {
    throw conflict(ref, `pod ${name} is being deleted, cannot be assigned to a host`);
  }
  if (spec.nodeName)
    throw conflict(ref, `pod ${name} is already assigned to node "${String(spec.nodeName)}"`);
  if (binding.metadata.uid && binding.metadata.uid !== pod.metadata.uid) {
    throw conflict(
      ref,
      `Precondition failed: UID in precondition: ${binding.metadata.uid}, UID in object meta: ${pod.metadata.uid}`,
    );
  }
  const updated = clone(pod);
  updated.spec = { ...spec, nodeName: node };
  if (binding.metadata.annotations) {
    updated.metadata.annotations = {
      ...(updated.metadata.annotations ?? {}),
      ...binding.metadata.annotations,
    };
  }
  const status = isPlainObject(updated.status) ? updated.status : {};
  const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter(
    (c) => !(isPlainObject(c) && c.type === 'PodScheduled'),
  );
  conditions.push({
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: formatTime(storage.now()),
  });
  updated.status = { ...status, conditions };
  delete updated.metadata.resourceVersion;
  if (!dryRun) {
    try {
      storage.store.update(key, JSON.stringify(updated), record.modRevision);
    } catch (error) {
      if (error instanceof StoreConflictError) throw conflict(ref);
      throw error;
    }
  }
  return successStatus(201);
}

function podReady(pod: KubeObject): boolean {
  const status = isPlainObject(pod.status) ? pod.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  return conditions.some((c) => isPlainObject(c) && c.type === 'Ready' && c.status === 'True');
}

/**
 * pods/eviction: deletes the pod unless a PodDisruptionBudget covering it allows no more
 * disruptions (429 TooManyRequests, as Kubernetes answers).
 */
export function evictPod(
  storage: ObjectStorage,
  def: ResourceDefinition,
  namespace: string | undefined,
  eviction: KubeObject,
  dryRun: boolean | undefined,
): KubeObject {
  const name = eviction.metadata?.name ?? '';
  if (!name) throw badRequest('name is required');
  const record = storage.store.get(objectKey(def, namespace, name));
  if (!record) throw notFound({ resource: 'pods', group: '', name });
  const pod = decodeRecord(record);
  const phase = isPlainObject(pod.status) ? pod.status.phase : undefined;
  const terminal = phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !podReady(pod);
  const pdbDef = storage.resources.find('policy', 'v1', 'poddisruptionbudgets');
  if (pdbDef && !terminal && !pod.metadata.deletionTimestamp) {
    const budgets = storage.store.list(listPrefix(pdbDef, namespace)).records.map(decodeRecord);
    for (const pdb of budgets) {
      const spec = isPlainObject(pdb.spec) ? pdb.spec : {};
      if (!selectorFromSpec(spec.selector as LabelSelectorSpec | undefined).matches(pod.metadata.labels))
        continue;
      const status = isPlainObject(pdb.status) ? pdb.status : {};
      const allowed = typeof status.disruptionsAllowed === 'number' ? status.disruptionsAllowed : 0;
      if (allowed <= 0) {
        throw new ApiError(
          429,
          'TooManyRequests',
          "Cannot evict pod as it would violate the pod's disruption budget.",
          {
            causes: [
              {
                reason: 'DisruptionBudget',
                message: `The disruption budget ${pdb.metadata.name} needs ${String(status.desiredHealthy ?? 0)} healthy pods and has ${String(status.currentHealthy ?? 0)} currently`,
              },
            ],
          },
        );
      }
    }
  }
  const options: DeleteOptions = isPlainObject(eviction.deleteOptions)
    ? (eviction.deleteOptions as DeleteOptions)
    : {};
  storage.delete({ group: '', version: def.version, resource: 'pods' }, namespace, name, {
    ...options,
    dryRun,
  });
  return successStatus(201);
}
