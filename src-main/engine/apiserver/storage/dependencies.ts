import type { KubeObject } from '../../k8s-object';
import type { KeyValueStore } from '../../store/types';
import type { GroupVersionResource, ResourceDefinition } from '../registry/types';

/** How the storage finds resource definitions (the registry, or a fake in tests). */
export interface ResourceResolver {
  find(group: string, version: string, plural: string): ResourceDefinition | undefined;
  all(): readonly ResourceDefinition[];
  /**
   * The stored object in the shape of `def`'s version (for resources served in several
   * versions from one storage); absent or identity for single-version resources.
   */
  convert?(def: ResourceDefinition, obj: KubeObject): KubeObject;
}

export interface ServerSideApplyArgs {
  /** The live object, or undefined when apply creates it. */
  live: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  apiVersion: string;
  now: Date;
}

export interface RecordUpdateArgs {
  old: KubeObject | undefined;
  updated: KubeObject;
  manager: string;
  apiVersion: string;
  now: Date;
  subresource?: string;
  /** Top-level fields whose ownership this write does not track (status on the main resource). */
  ignoredFields?: readonly string[];
}

/**
 * The patch engine the storage uses. Each function returns a new object and throws
 * ApiError (400/409/422) for patches that cannot apply.
 */
export interface Patcher {
  json(doc: KubeObject, patch: unknown): KubeObject;
  merge(doc: KubeObject, patch: unknown): KubeObject;
  strategic(doc: KubeObject, patch: unknown, apiVersion: string, kind: string): KubeObject;
  /** Server-side apply; the result carries its managedFields. */
  apply(args: ServerSideApplyArgs): KubeObject;
  /** managedFields bookkeeping for a non-apply write; returns the object to store. */
  recordUpdate(args: RecordUpdateArgs): KubeObject;
}

export interface StorageOptions {
  store: KeyValueStore;
  resources: ResourceResolver;
  patcher: Patcher;
  now?: () => Date;
  /** Fresh uids (default: crypto.randomUUID). */
  newUid?: () => string;
  /** The 5-character generateName suffix (default: random from Kubernetes' alphabet). */
  randomSuffix?: () => string;
  /** Paths of fields the kind's schema does not know, e.g. `spec.foo` (for fieldValidation). */
  findUnknownFields?: (apiVersion: string, kind: string, obj: KubeObject) => string[];
  /** The first value whose JSON type the kind's schema rejects, as a decoder message (400). */
  findTypeError?: (apiVersion: string, kind: string, obj: KubeObject) => string | undefined;
  /**
   * Fills/validates a Service's ClusterIP(s) and NodePorts on create (old undefined) and on
   * every update (values already set are kept). Mutates `service`; throws ApiError when it
   * cannot allocate. `existing` may include the Service itself.
   */
  allocateServiceAddresses?: (service: KubeObject, existing: KubeObject[], old?: KubeObject) => void;
  /**
   * Mutating admission on create, after defaulting and before validation (e.g. the default
   * StorageClass and IngressClass). `list` reads current objects of another resource.
   */
  admitCreate?: (
    def: ResourceDefinition,
    obj: KubeObject,
    list: (gvr: GroupVersionResource) => KubeObject[],
  ) => void;
}
