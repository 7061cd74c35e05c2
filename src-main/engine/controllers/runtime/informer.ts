import type { KubeObject } from '../../k8s-object';
import type { ObjectApi, WatchEvent } from '../../apiserver/object-api';
import type { GroupVersionResource } from '../../apiserver/registry/types';
import { objectKey } from './keys';

export interface InformerHandlers {
  add?(obj: KubeObject): void;
  update?(oldObj: KubeObject, newObj: KubeObject): void;
  delete?(obj: KubeObject): void;
}

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * A list+watch cache of one resource, like client-go's shared informer: lists once, then
 * applies watch events; re-lists (and reconciles the cache, emitting the differences) when
 * the watch reports the resource version expired. Handlers must only enqueue keys: the cache
 * is the state reconcilers read.
 */
export class Informer {
  private readonly cache = new Map<string, KubeObject>();
  private readonly handlers: InformerHandlers[] = [];
  private stopWatch: (() => void) | undefined;
  private synced = false;
  private stopped = false;

  constructor(
    private readonly api: ObjectApi,
    readonly gvr: GroupVersionResource,
    private readonly options: InformerOptions = {},
  ) {}

  addHandlers(handlers: InformerHandlers): void {
    this.handlers.push(handlers);
    if (this.synced) for (const obj of this.cache.values()) handlers.add?.(obj);
  }

  /** Lists and starts watching. Synchronous with the in-process API: synced on return. */
  start(): void {
    this.stopped = false;
    this.relist();
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
    this.stopWatch = undefined;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  get(key: string): KubeObject | undefined {
    return this.cache.get(key);
  }

  list(filter?: (obj: KubeObject) => boolean): KubeObject[] {
    const all = [...this.cache.values()];
    return filter ? all.filter(filter) : all;
  }

  listInNamespace(namespace: string): KubeObject[] {
    return this.list((obj) => obj.metadata.namespace === namespace);
  }

  private relist(): void {
    this.stopWatch?.();
    const list = this.api.list(this.gvr, { ...this.options });
    const seen = new Set<string>();
    for (const obj of list.items) {
      const key = objectKey(obj);
      seen.add(key);
      this.upsert(obj);
    }
    for (const [key, obj] of [...this.cache]) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit((h) => h.delete?.(obj));
      }
    }
    this.synced = true;
    if (this.stopped) return;
    this.stopWatch = this.api.watch(
      this.gvr,
      { ...this.options, resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true },
      (event) => this.onEvent(event),
    );
  }

  private onEvent(event: WatchEvent): void {
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
        this.upsert(event.object);
        break;
      case 'DELETED': {
        const key = objectKey(event.object);
        const old = this.cache.get(key);
        this.cache.delete(key);
        this.emit((h) => h.delete?.(old ?? event.object));
        break;
      }
      case 'ERROR':
        // Expired resource version or a closed watch: start over from a fresh list, later
        // (never re-enter the API from inside its own event delivery).
        queueMicrotask(() => {
          if (!this.stopped) this.relist();
        });
        break;
      case 'BOOKMARK':
        break;
    }
  }

  private upsert(obj: KubeObject): void {
    const key = objectKey(obj);
    const old = this.cache.get(key);
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    this.cache.set(key, obj);
    if (old) this.emit((h) => h.update?.(old, obj));
    else this.emit((h) => h.add?.(obj));
  }

  private emit(call: (handlers: InformerHandlers) => void): void {
    for (const handlers of this.handlers) call(handlers);
  }
}
