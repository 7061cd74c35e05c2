import { randomUUID } from 'node:crypto';
import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import { StoreConflictError } from '../../store/types';
import type { KeyValueStore } from '../../store/types';
import type {
  DeleteOptions,
  ListOptions,
  ObjectApi,
  ObjectList,
  PatchOptions,
  PatchType,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from '../object-api';
import { apiVersionOf } from '../registry/types';
import type { GroupVersionResource, ResourceDefinition } from '../registry/types';
import { ApiError, alreadyExists, badRequest, conflict, fieldErrors, invalid, notFound } from '../status';
import type { FieldError, ResourceRef } from '../status';
import { deleteObject } from './deletion';
import type { Patcher, ResourceResolver, StorageOptions } from './dependencies';
import { objectKey } from './keys';
import { decodeRecord, listObjects } from './list';
import { clone, jsonEqual, metaTime, randomNameSuffix, removeFieldPath, specPart } from './object-utils';
import { bindPod, evictPod } from './pod-subresources';
import { checkNamespaceWritable } from './namespace-guard';
import { readScale, scaleRef, writeScale } from './scale';
import {
  checkBodyIdentity,
  checkMetadataShape,
  mergeForUpdate,
  shouldDeleteDuringUpdate,
} from './update-rules';
import { watchObjects } from './watch';
import type { WatchTuning } from './watch';

/** Kinds whose PUT creates a missing object, as in Kubernetes. */
const CREATE_ON_UPDATE = new Set([
  '/endpoints',
  '/events',
  'coordination.k8s.io/leases',
  'events.k8s.io/events',
]);

/** Write-time flags the public API does not expose. */
interface InternalWrite extends WriteOptions {
  /** managedFields were already computed (server-side apply). */
  managedFieldsDone?: boolean;
  /** The subresource managedFields record when it differs from the one written (scale). */
  recordSubresource?: string;
  /** The object is the result of a patch (changes the wording of decoding errors). */
  patched?: boolean;
}

/**
 * The generic object storage: every ObjectApi verb over a KeyValueStore, with the
 * semantics of Kubernetes' generic registry (see object-api.ts). Synchronous: a read and
 * the write that follows it cannot interleave with another request.
 */
export class ObjectStorage implements ObjectApi {
  readonly store: KeyValueStore;
  readonly resources: ResourceResolver;
  readonly patcher: Patcher;
  readonly now: () => Date;
  private readonly newUid: () => string;
  private readonly randomSuffix: () => string;
  private readonly findUnknownFields?: StorageOptions['findUnknownFields'];
  private readonly findTypeError?: StorageOptions['findTypeError'];
  private readonly allocateServiceAddresses?: StorageOptions['allocateServiceAddresses'];
  private readonly admitCreate?: StorageOptions['admitCreate'];
  watchTuning: WatchTuning = {};

  constructor(options: StorageOptions) {
    this.store = options.store;
    this.resources = options.resources;
    this.patcher = options.patcher;
    this.now = options.now ?? (() => new Date());
    this.newUid = options.newUid ?? randomUUID;
    this.randomSuffix = options.randomSuffix ?? randomNameSuffix;
    this.findUnknownFields = options.findUnknownFields;
    this.findTypeError = options.findTypeError;
    this.allocateServiceAddresses = options.allocateServiceAddresses;
    this.admitCreate = options.admitCreate;
  }

  /** The definition for a request, or 404 like an unknown URL. */
  definition(gvr: GroupVersionResource): ResourceDefinition {
    const def = this.resources.find(gvr.group, gvr.version, gvr.resource);
    if (!def) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    return def;
  }

  get(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    name: string,
    subresource?: string,
  ): KubeObject {
    const def = this.definition(gvr);
    const obj = this.readExisting(def, namespace, name);
    if (subresource === 'scale') return readScale(def, obj);
    this.checkSubresource(def, subresource);
    return this.present(def, obj);
  }

  list(gvr: GroupVersionResource, options: ListOptions = {}): ObjectList {
    const def = this.definition(gvr);
    return listObjects(this.store, def, options, (obj) => this.present(def, obj));
  }

  watch(gvr: GroupVersionResource, options: WatchOptions, onEvent: (event: WatchEvent) => void): () => void {
    const def = this.definition(gvr);
    return watchObjects(this.store, def, options, onEvent, this.watchTuning, (obj) => this.present(def, obj));
  }

  create(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    input: KubeObject,
    options: InternalWrite = {},
  ): KubeObject {
    const def = this.definition(gvr);
    if (
      def.kind === 'Pod' &&
      def.group === '' &&
      (options.subresource === 'binding' || options.subresource === 'eviction')
    ) {
      const body = isPlainObject(input) ? clone(input) : ({ metadata: {} } as KubeObject);
      if (!isPlainObject(body.metadata)) body.metadata = {};
      const ns = namespace || body.metadata.namespace;
      return options.subresource === 'binding'
        ? bindPod(this, def, ns, body, options.dryRun)
        : evictPod(this, def, ns, body, options.dryRun);
    }
    if (options.subresource) this.checkSubresource(def, options.subresource);
    let obj = this.normalizeIncoming(def, namespace, input, options);
    const ns = obj.metadata.namespace;
    if (obj.metadata.resourceVersion) {
      throw badRequest('resourceVersion should not be set on objects to be created');
    }
    const generated = !obj.metadata.name && !!obj.metadata.generateName;
    if (!obj.metadata.name && !obj.metadata.generateName) {
      throw invalid(def.kind, '', def.group, [
        fieldErrors.required('metadata.name', 'name or generateName is required'),
      ]);
    }
    if (generated) obj.metadata.name = `${obj.metadata.generateName}${this.randomSuffix()}`;
    if (def.namespaced) checkNamespaceWritable(this.store, def, ns, obj.metadata.name);
    // An existing object answers AlreadyExists before any allocation (ClusterIP, NodePort)
    // could fail on its own addresses.
    if (!generated && this.store.get(objectKey(def, ns, obj.metadata.name ?? ''))) {
      throw alreadyExists(this.ref(def, obj.metadata.name));
    }

    const now = this.now();
    obj.metadata.uid = this.newUid();
    obj.metadata.creationTimestamp = metaTime(now);
    delete obj.metadata.deletionTimestamp;
    delete obj.metadata.deletionGracePeriodSeconds;
    delete obj.metadata.resourceVersion;
    if (this.tracksGeneration(def)) obj.metadata.generation = 1;
    else delete obj.metadata.generation;

    def.applyDefaults?.(obj);
    def.prepareForCreate?.(obj);
    this.admitCreate?.(def, obj, (gvr) => this.list(gvr).items);
    if (def.kind === 'Service' && def.group === '' && this.allocateServiceAddresses) {
      this.allocateServiceAddresses(obj, this.siblings(def), undefined);
    }
    this.validate(def, obj, undefined);
    if (!options.managedFieldsDone) {
      obj = this.patcher.recordUpdate({
        old: undefined,
        updated: obj,
        manager: options.fieldManager ?? 'unknown',
        apiVersion: apiVersionOf(def),
        now,
      });
    }
    if (options.dryRun) return this.present(def, obj);

    for (let attempt = 0; ; attempt++) {
      try {
        const rev = this.store.create(objectKey(def, ns, obj.metadata.name ?? ''), JSON.stringify(obj));
        return this.present(def, { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } });
      } catch (error) {
        if (!(error instanceof StoreConflictError)) throw error;
        if (!generated || attempt >= 8) throw alreadyExists(this.ref(def, obj.metadata.name));
        obj.metadata.name = `${obj.metadata.generateName}${this.randomSuffix()}`;
      }
    }
  }

  update(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    input: KubeObject,
    options: InternalWrite = {},
  ): KubeObject {
    const def = this.definition(gvr);
    const subresource = options.subresource;
    if (subresource === 'scale') return this.updateScale(def, namespace, input, options);
    this.checkSubresource(def, subresource);
    const incoming = this.normalizeIncoming(def, namespace, input, options);
    const name = incoming.metadata.name;
    if (!name) throw badRequest('name is required');
    const ns = incoming.metadata.namespace;
    const key = objectKey(def, ns, name);
    const record = this.store.get(key);
    if (!record) {
      if (!subresource && CREATE_ON_UPDATE.has(`${def.group}/${def.plural}`)) {
        const { resourceVersion: _rv, ...metadata } = incoming.metadata;
        return this.create(gvr, namespace, { ...incoming, metadata }, options);
      }
      throw notFound(this.ref(def, name));
    }
    const old = decodeRecord(record);
    const rv = incoming.metadata.resourceVersion;
    if (rv && rv !== String(record.modRevision)) throw conflict(this.ref(def, name));
    if (incoming.metadata.uid && incoming.metadata.uid !== old.metadata.uid) {
      throw conflict(
        this.ref(def, name),
        `Precondition failed: UID in precondition: ${incoming.metadata.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }

    let obj = mergeForUpdate(def, old, incoming, subresource);
    if (subresource !== 'status') {
      def.applyDefaults?.(obj);
      def.prepareForUpdate?.(obj, old);
    }
    if (
      def.kind === 'Service' &&
      def.group === '' &&
      this.allocateServiceAddresses &&
      subresource !== 'status'
    ) {
      this.allocateServiceAddresses(obj, this.siblings(def), old);
    }
    if (this.tracksGeneration(def) || old.metadata.generation !== undefined) {
      const generation = old.metadata.generation ?? 1;
      obj.metadata.generation = jsonEqual(specPart(obj), specPart(old)) ? generation : generation + 1;
    }
    // Ephemeral containers are checked by the kubelet that runs them; the pod update rules
    // (immutable spec) do not apply to this subresource.
    if (subresource !== 'ephemeralcontainers') this.validate(def, obj, old);
    const errors: FieldError[] = [];
    if (old.metadata.deletionTimestamp) {
      const added = (obj.metadata.finalizers ?? []).filter(
        (f) => !(old.metadata.finalizers ?? []).includes(f),
      );
      if (added.length > 0) {
        errors.push(
          fieldErrors.forbidden(
            'metadata.finalizers',
            'no new finalizers can be added if the object is being deleted, found new finalizers []string{' +
              added.map((f) => JSON.stringify(f)).join(', ') +
              '}',
          ),
        );
      }
    }
    if (errors.length) throw invalid(def.kind, name, def.group, errors);

    // A write that changes nothing keeps its resourceVersion, so controllers don't wake each other.
    const comparable = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
    if (jsonEqual(comparable(obj), comparable(old))) return this.present(def, old);

    if (!options.managedFieldsDone) {
      obj = this.patcher.recordUpdate({
        old,
        updated: obj,
        manager: options.fieldManager ?? 'unknown',
        apiVersion: apiVersionOf(def),
        now: this.now(),
        subresource: options.recordSubresource ?? subresource,
        ignoredFields: def.hasStatusSubresource && !subresource ? ['status'] : undefined,
      });
    }
    delete obj.metadata.resourceVersion;
    if (shouldDeleteDuringUpdate(def, obj, old)) {
      if (options.dryRun) return this.present(def, obj);
      const rev = this.store.delete(key, record.modRevision);
      return this.present(def, { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } });
    }
    if (options.dryRun) {
      return this.present(def, {
        ...obj,
        metadata: { ...obj.metadata, resourceVersion: old.metadata.resourceVersion },
      });
    }
    try {
      const rev = this.store.update(key, JSON.stringify(obj), record.modRevision);
      return this.present(def, { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } });
    } catch (error) {
      if (error instanceof StoreConflictError) throw conflict(this.ref(def, name));
      throw error;
    }
  }

  patch(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options: PatchOptions = {},
  ): KubeObject {
    const def = this.definition(gvr);
    const ns = def.namespaced ? namespace : undefined;
    const apiVersion = apiVersionOf(def);
    const subresource = options.subresource;
    if (subresource === 'scale') {
      const current = this.get(gvr, ns, name, 'scale');
      const patched = this.applyPatch(current, type, patch, 'autoscaling/v1', 'Scale');
      return this.updateScale(def, ns, patched, options);
    }
    this.checkSubresource(def, subresource);
    const record = this.store.get(objectKey(def, ns, name));

    if (type === 'apply') {
      if (!isPlainObject(patch)) throw badRequest('apply patches must be an object');
      const applied = patch as KubeObject;
      this.checkBodyIdentity(def, applied, ns, name);
      const live = record ? this.present(def, decodeRecord(record)) : undefined;
      if (!live && subresource) throw notFound(this.ref(def, name));
      const merged = this.patcher.apply({
        live,
        applied,
        manager: options.fieldManager ?? 'unknown',
        force: options.force ?? false,
        apiVersion,
        now: this.now(),
      });
      const withName = {
        ...merged,
        metadata: { ...merged.metadata, name, ...(ns ? { namespace: ns } : {}) },
      };
      if (!live) {
        const { resourceVersion: _rv, ...metadata } = withName.metadata;
        return this.create(
          gvr,
          ns,
          { ...withName, metadata },
          { ...options, managedFieldsDone: true, patched: true },
        );
      }
      return this.update(gvr, ns, withName, { ...options, managedFieldsDone: true, patched: true });
    }

    if (!record) throw notFound(this.ref(def, name));
    const current = this.present(def, decodeRecord(record));
    const patched = this.applyPatch(current, type, patch, apiVersion, def.kind);
    if (!isPlainObject(patched.metadata)) throw badRequest('metadata must be an object');
    if (patched.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${String(patched.metadata.name)}) does not match the name on the URL (${name})`,
      );
    }
    return this.update(gvr, ns, patched, { ...options, patched: true });
  }

  delete(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): KubeObject {
    const def = this.definition(gvr);
    const ns = def.namespaced ? namespace : undefined;
    const key = objectKey(def, ns, name);
    const record = this.store.get(key);
    if (!record) throw notFound(this.ref(def, name));
    return this.present(def, deleteObject(this, def, key, record, options));
  }

  /** Deletes every object a list with these options returns; answers the deleted objects. */
  deleteCollection(
    gvr: GroupVersionResource,
    listOptions: ListOptions,
    options: DeleteOptions = {},
  ): ObjectList {
    const def = this.definition(gvr);
    const { limit: _l, continue: _c, ...rest } = listOptions;
    const list = this.list(gvr, rest);
    const items: KubeObject[] = [];
    for (const item of list.items) {
      try {
        items.push(this.delete(gvr, item.metadata.namespace, item.metadata.name ?? '', options));
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 404)) throw error;
      }
    }
    return { ...list, kind: def.listKind, items };
  }

  /** The stored object as the requested version serves it, apiVersion and kind included. */
  present(def: ResourceDefinition, obj: KubeObject): KubeObject {
    const converted = this.resources.convert ? this.resources.convert(def, obj) : obj;
    return { ...converted, apiVersion: apiVersionOf(def), kind: def.kind };
  }

  ref(def: ResourceDefinition, name: string | undefined): ResourceRef {
    return { resource: def.plural, group: def.group, kind: def.kind, name };
  }

  private readExisting(def: ResourceDefinition, namespace: string | undefined, name: string): KubeObject {
    const record = this.store.get(objectKey(def, def.namespaced ? namespace : undefined, name));
    if (!record) throw notFound(this.ref(def, name));
    return { ...decodeRecord(record), apiVersion: apiVersionOf(def), kind: def.kind };
  }

  private checkSubresource(def: ResourceDefinition, subresource: string | undefined): void {
    if (!subresource) return;
    if (subresource === 'status' && def.hasStatusSubresource) return;
    if (subresource === 'finalize' && def.kind === 'Namespace') return;
    if (subresource === 'ephemeralcontainers' && def.kind === 'Pod' && def.group === '') return;
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  }

  /**
   * Kinds whose controllers report status.observedGeneration. Core kinds keep no
   * generation in Kubernetes 1.32 (pods, services, namespaces, nodes…), except
   * ReplicationControllers.
   */
  private tracksGeneration(def: ResourceDefinition): boolean {
    if (def.group === '' && def.kind !== 'ReplicationController') return false;
    return def.hasStatusSubresource;
  }

  /** Copies the body, fixes apiVersion/kind/namespace against the URL, handles unknown fields. */
  private normalizeIncoming(
    def: ResourceDefinition,
    namespace: string | undefined,
    input: KubeObject,
    options: InternalWrite,
  ): KubeObject {
    if (!isPlainObject(input)) throw badRequest('the body of the request must be an object');
    checkMetadataShape(def, input);
    const obj = clone(input);
    if (!isPlainObject(obj.metadata)) obj.metadata = {};
    const apiVersion = apiVersionOf(def);
    if (!options.subresource || options.subresource === 'status') {
      this.checkBodyIdentity(def, obj, namespace, undefined);
    }
    obj.apiVersion = apiVersion;
    obj.kind = def.kind;
    if (def.namespaced) {
      const ns = namespace || obj.metadata.namespace;
      if (!ns) throw badRequest('the server could not find the requested resource: a namespace is required');
      obj.metadata.namespace = ns;
    } else {
      delete obj.metadata.namespace;
    }
    const typeError = this.findTypeError?.(apiVersion, def.kind, obj);
    if (typeError) {
      throw badRequest(
        options.patched
          ? typeError
          : `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${typeError}`,
      );
    }
    this.checkUnknownFields(def, obj, options);
    return obj;
  }

  /** 400 when the body names another kind, namespace or object than the URL. */
  checkBodyIdentity(
    def: ResourceDefinition,
    obj: KubeObject,
    namespace: string | undefined,
    name: string | undefined,
  ): void {
    checkBodyIdentity(def, obj, namespace, name);
  }

  private checkUnknownFields(def: ResourceDefinition, obj: KubeObject, options: InternalWrite): void {
    const mode = options.fieldValidation ?? 'Warn';
    if (mode === 'Ignore' || !this.findUnknownFields) {
      return;
    }
    const unknown = this.findUnknownFields(apiVersionOf(def), def.kind, obj);
    if (unknown.length === 0) return;
    if (mode === 'Strict') {
      const detail = `strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`;
      // Bodies fail while being decoded into the kind, patches after being applied.
      throw badRequest(
        options.patched
          ? detail
          : `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${detail}`,
      );
    }
    for (const field of unknown) {
      options.onWarning?.(`unknown field "${field}"`);
      removeFieldPath(obj, field);
    }
  }

  private siblings(def: ResourceDefinition): KubeObject[] {
    return this.store.list(`/registry/${def.group || 'core'}/${def.plural}/`).records.map(decodeRecord);
  }

  private validate(def: ResourceDefinition, obj: KubeObject, old: KubeObject | undefined): void {
    const errors: FieldError[] = [];
    const name = obj.metadata.name ?? '';
    if (name === '.' || name === '..') {
      errors.push(fieldErrors.invalid('metadata.name', name, `may not be '${name}'`));
    } else if (name.includes('/') || name.includes('%')) {
      errors.push(
        fieldErrors.invalid('metadata.name', name, `may not contain '${name.includes('/') ? '/' : '%'}'`),
      );
    }
    if (old) {
      if (obj.metadata.uid !== old.metadata.uid) {
        errors.push(fieldErrors.invalid('metadata.uid', obj.metadata.uid, 'field is immutable'));
      }
    }
    errors.push(...(def.validate?.(obj, old) ?? []));
    if (errors.length > 0) throw invalid(def.kind, name, def.group, errors);
  }

  private applyPatch(
    current: KubeObject,
    type: PatchType,
    patch: unknown,
    apiVersion: string,
    kind: string,
  ): KubeObject {
    try {
      switch (type) {
        case 'json':
          return this.patcher.json(current, patch);
        case 'merge':
          return this.patcher.merge(current, patch);
        case 'strategic':
          return this.patcher.strategic(current, patch, apiVersion, kind);
        default:
          throw badRequest(`unsupported patch type ${type}`);
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError(
        422,
        'Invalid',
        `the server rejected our request due to an error in our request: ${(error as Error).message}`,
      );
    }
  }

  private updateScale(
    def: ResourceDefinition,
    namespace: string | undefined,
    input: KubeObject,
    options: WriteOptions,
  ): KubeObject {
    if (!def.scale) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    const ns = def.namespaced ? namespace || input.metadata?.namespace : undefined;
    const name = input.metadata?.name ?? '';
    const current = this.readExisting(def, ns, name);
    const updatedObj = writeScale(def, current, input);
    const result = this.update(
      { group: def.group, version: def.version, resource: def.plural },
      ns,
      updatedObj,
      { ...options, subresource: undefined, recordSubresource: 'scale' },
    );
    return readScale(def, result);
  }
}

export { scaleRef };
