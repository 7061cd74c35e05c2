import type { KubeObject } from '../k8s-object';
import type { GroupVersionResource } from './registry/types';

/**
 * The transport-agnostic API the HTTP layer and the in-process controllers/kubelet share.
 * Every method applies the same semantics as the REST API (defaulting, validation,
 * resourceVersion preconditions, finalizers, graceful deletion) and throws `ApiError`.
 */
export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  /** "0" or undefined: serve from the latest state. */
  resourceVersion?: string;
}

export interface ObjectList {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

export interface WatchOptions extends ListOptions {
  /** Resume after this revision; undefined or "0" sends synthetic ADDED events for the current state first. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** Send an initial-events-end bookmark after synthetic ADDEDs (sendInitialEvents). */
  sendInitialEvents?: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** Strict | Warn | Ignore; warnings are returned through `onWarning`. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  onWarning?: (message: string) => void;
  /** Target a subresource: "status" or "scale". */
  subresource?: string;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface PatchOptions extends WriteOptions {
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
}

export interface DeleteOptions {
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ObjectApi {
  get(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    name: string,
    subresource?: string,
  ): KubeObject;
  list(gvr: GroupVersionResource, options?: ListOptions): ObjectList;
  /** Events are delivered in revision order; the returned function stops the watch. */
  watch(gvr: GroupVersionResource, options: WatchOptions, onEvent: (event: WatchEvent) => void): () => void;
  create(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    obj: KubeObject,
    options?: WriteOptions,
  ): KubeObject;
  update(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    obj: KubeObject,
    options?: WriteOptions,
  ): KubeObject;
  patch(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options?: PatchOptions,
  ): KubeObject;
  /** Returns the object as deleted, or (graceful/finalizers) as marked for deletion. */
  delete(
    gvr: GroupVersionResource,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): KubeObject;
}
