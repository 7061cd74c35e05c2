import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import { apiVersionOf } from '../registry/types';
import type { ResourceDefinition } from '../registry/types';
import { badRequest } from '../status';
import { clone } from './object-utils';

/** 400 when the body names another kind, namespace or object than the URL. */
export function checkBodyIdentity(
  def: ResourceDefinition,
  obj: KubeObject,
  namespace: string | undefined,
  name: string | undefined,
): void {
  const apiVersion = apiVersionOf(def);
  if (obj.apiVersion !== undefined && obj.apiVersion !== '') {
    const sameGroup =
      typeof obj.apiVersion === 'string' &&
      (obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '') === def.group;
    if (!sameGroup) {
      throw badRequest(
        `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${apiVersion})`,
      );
    }
  }
  if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== def.kind) {
    throw badRequest(
      `the kind in the data (${String(obj.kind)}) does not match the expected kind (${def.kind})`,
    );
  }
  const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
  if (def.namespaced && namespace && meta.namespace && meta.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (name !== undefined && meta.name && meta.name !== name) {
    throw badRequest(
      'the name of the object (' + String(meta.name) + ') does not match the name on the URL (' + name + ')',
    );
  }
}

/** The stored object after an update of the main resource or a subresource. */
export function mergeForUpdate(
  def: ResourceDefinition,
  old: KubeObject,
  incoming: KubeObject,
  subresource: string | undefined,
): KubeObject {
  let obj: KubeObject;
  if (subresource === 'status') {
    obj = clone(old);
    obj.status = incoming.status;
    if (incoming.metadata.labels !== undefined) obj.metadata.labels = incoming.metadata.labels;
    if (incoming.metadata.annotations !== undefined) obj.metadata.annotations = incoming.metadata.annotations;
  } else if (subresource === 'ephemeralcontainers') {
    obj = clone(old);
    const spec = isPlainObject(obj.spec) ? obj.spec : {};
    obj.spec = {
      ...spec,
      ephemeralContainers: isPlainObject(incoming.spec) ? incoming.spec.ephemeralContainers : undefined,
    };
  } else if (subresource === 'finalize') {
    obj = clone(old);
    const spec = isPlainObject(obj.spec) ? obj.spec : {};
    obj.spec = { ...spec, finalizers: isPlainObject(incoming.spec) ? incoming.spec.finalizers : undefined };
  } else {
    obj = incoming;
    if (def.hasStatusSubresource) obj.status = clone(old.status);
    if (def.kind === 'Namespace' && def.group === '' && isPlainObject(old.spec)) {
      // Namespace finalizers change only through /finalize.
      obj.spec = { ...(isPlainObject(obj.spec) ? obj.spec : {}), finalizers: old.spec.finalizers };
      obj.status = clone(old.status);
    }
  }
  obj.metadata.uid = obj.metadata.uid ?? old.metadata.uid;
  obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
  obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
  obj.metadata.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
  if (obj.metadata.deletionTimestamp === undefined) delete obj.metadata.deletionTimestamp;
  if (obj.metadata.deletionGracePeriodSeconds === undefined) delete obj.metadata.deletionGracePeriodSeconds;
  obj.metadata.generateName = old.metadata.generateName;
  if (obj.metadata.generateName === undefined) delete obj.metadata.generateName;
  if (old.metadata.generation !== undefined) obj.metadata.generation = old.metadata.generation;
  if (obj.metadata.managedFields === undefined && old.metadata.managedFields !== undefined) {
    obj.metadata.managedFields = old.metadata.managedFields;
  }
  return obj;
}

/** Kubernetes removes an object whose last finalizer goes while it is being deleted. */
export function shouldDeleteDuringUpdate(def: ResourceDefinition, obj: KubeObject, old: KubeObject): boolean {
  if (!obj.metadata.deletionTimestamp) return false;
  if ((obj.metadata.finalizers ?? []).length > 0) return false;
  const specFinalizers = (o: KubeObject): unknown[] =>
    isPlainObject(o.spec) && Array.isArray(o.spec.finalizers) ? o.spec.finalizers : [];
  if (def.kind === 'Namespace' && def.group === '') {
    if (specFinalizers(obj).length > 0) return false;
    return (old.metadata.finalizers ?? []).length > 0 || specFinalizers(old).length > 0;
  }
  return (old.metadata.finalizers ?? []).length > 0;
}

const STRING_FIELDS = ['name', 'generateName', 'namespace', 'resourceVersion', 'uid', 'selfLink'] as const;
const STRING_MAPS = ['labels', 'annotations'] as const;

/**
 * 400 when `metadata` does not have ObjectMeta's shape (a number as name, a string as
 * labels…), worded like Kubernetes' JSON decoder, so nothing downstream sees it.
 */
export function checkMetadataShape(def: ResourceDefinition, obj: Record<string, unknown>): void {
  const fail = (detail: string): never => {
    throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${detail}`);
  };
  const jsonType = (v: unknown): string =>
    Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v;
  const meta = obj.metadata;
  if (meta === undefined || meta === null) return;
  if (!isPlainObject(meta)) {
    return fail(
      `json: cannot unmarshal ${jsonType(meta)} into Go struct field ${def.kind}.metadata of type v1.ObjectMeta`,
    );
  }
  for (const field of STRING_FIELDS) {
    const v = meta[field];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      fail(
        `json: cannot unmarshal ${jsonType(v)} into Go struct field ObjectMeta.metadata.${field} of type string`,
      );
    }
  }
  for (const field of STRING_MAPS) {
    const v = meta[field];
    if (v === undefined || v === null) continue;
    if (!isPlainObject(v)) {
      fail(
        `json: cannot unmarshal ${jsonType(v)} into Go struct field ObjectMeta.metadata.${field} of type map[string]string`,
      );
    } else {
      for (const value of Object.values(v)) {
        if (typeof value !== 'string') {
          fail(
            `json: cannot unmarshal ${jsonType(value)} into Go struct field ObjectMeta.metadata.${field} of type string`,
          );
        }
      }
    }
  }
  const finalizers = meta.finalizers;
  if (finalizers !== undefined && finalizers !== null) {
    if (!Array.isArray(finalizers) || finalizers.some((f) => typeof f !== 'string')) {
      fail('json: cannot unmarshal into Go struct field ObjectMeta.metadata.finalizers of type []string');
    }
  }
  for (const field of ['ownerReferences', 'managedFields'] as const) {
    const v = meta[field];
    if (v !== undefined && v !== null && (!Array.isArray(v) || v.some((e) => !isPlainObject(e)))) {
      fail(`json: cannot unmarshal ${jsonType(v)} into Go struct field ObjectMeta.metadata.${field}`);
    }
  }
}
