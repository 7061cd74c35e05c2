import type { KubeObject } from '../../k8s-object';
import type { FieldError } from '../status';

/** One column of a `meta.k8s.io/v1` Table, as Kubernetes' printers define it. */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  /** 0: always shown; 1: only with `-o wide`. */
  priority: 0 | 1;
}

export interface TableContext {
  /** "Now", for ages and "(5m ago)" suffixes. */
  now: Date;
}

export interface SubresourceDefinition {
  /** e.g. "status", "scale", "log", "exec", "attach", "portforward", "binding", "eviction", "proxy" */
  name: string;
  /** The kind the subresource returns (e.g. Scale in group autoscaling, v1). */
  kind: string;
  group: string;
  version: string;
  verbs: string[];
}

/**
 * Everything the apiserver knows about one resource type (one file per kind under
 * `registry/`). The generic storage layer does CRUD, watch, selectors, patching and
 * metadata; these hooks add the kind's own semantics.
 */
export interface ResourceDefinition {
  /** "" for the core group. */
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Plural resource name, e.g. "deployments". */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Verbs on the main resource, e.g. create, delete, deletecollection, get, list, patch, update, watch. */
  verbs: string[];
  subresources: SubresourceDefinition[];
  /**
   * True when the kind has a `status` subresource: writes to the main resource keep the
   * stored status, writes to `/status` keep everything but status (and metadata labels/annotations may change).
   * `metadata.generation` starts at 1 and is bumped when anything but metadata and status changes.
   */
  hasStatusSubresource: boolean;
  /** Defaulting like Kubernetes' SetDefaults_* functions. Mutates `obj`. */
  applyDefaults?(obj: KubeObject): void;
  /**
   * Validation like Kubernetes' Validate* functions (name rules included). `old` is set on
   * update, for immutability checks. An empty array means valid.
   */
  validate?(obj: KubeObject, old?: KubeObject): FieldError[];
  /** Kind-specific work on create (e.g. clear status, allocate a ClusterIP). Mutates `obj`. */
  prepareForCreate?(obj: KubeObject): void;
  /** Kind-specific work on update (e.g. keep immutable allocations). Mutates `obj`. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** `kubectl get` columns. The generic layer adds nothing: include Name and Age yourself. */
  table: {
    columns: TableColumn[];
    cells(obj: KubeObject, context: TableContext): unknown[];
  };
  /**
   * Field selectors beyond `metadata.name` and `metadata.namespace` (which every kind has),
   * e.g. `spec.nodeName`, `status.phase`, `involvedObject.kind`.
   */
  fieldSelectors?: Record<string, (obj: KubeObject) => string | undefined>;
  /** Where the scale subresource reads and writes, for kinds that have one. */
  scale?: {
    specReplicasPath: string[];
    statusReplicasPath: string[];
    /** Path of the label selector used to fill Scale.status.selector. */
    selectorPath?: string[];
  };
}

/** Group/version/resource identity of a request. */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export function apiVersionOf(def: Pick<ResourceDefinition, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}
