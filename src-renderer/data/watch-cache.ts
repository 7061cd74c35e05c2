import type { KubeObject, WatchEventType } from '../../src-main/ipc/contract';

/** A list as cached: items by uid-less identity (namespace/name) and the list's resourceVersion. */
export interface ListData {
  items: KubeObject[];
  resourceVersion: string;
}

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

/** `namespace/name`: unique within one list of one type. */
export function objectIdentity(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

/**
 * Orders two resourceVersions; undefined when either is not a plain integer. Kubernetes calls them
 * opaque, but etcd-backed servers and ours use revision numbers, and that is what lets stale events
 * (older than what is cached) be recognised and dropped.
 */
export function compareResourceVersions(a: string | undefined, b: string | undefined): number | undefined {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return undefined;
  const x = BigInt(a);
  const y = BigInt(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

function isStale(candidate: string | undefined, known: string | undefined): boolean {
  const order = compareResourceVersions(candidate, known);
  return order !== undefined && order <= 0;
}

/**
 * Applies watch events to a cached list and returns the new list (the input is not changed; when
 * nothing changes the same object comes back, so React Query sees no update). An event not newer than
 * the list (or the cached object) is dropped; BOOKMARKs only move the list's resourceVersion.
 */
export function applyWatchEvents(list: ListData, events: WatchEvent[]): ListData {
  let items: KubeObject[] | undefined;
  let index: Map<string, number> | undefined;
  let resourceVersion = list.resourceVersion;
  for (const event of events) {
    const eventVersion = event.object.metadata?.resourceVersion;
    // Within one watch events come in order, so anything not newer than what was already seen is a
    // replay (a restarted watch) or out of date.
    if (isStale(eventVersion, resourceVersion)) continue;
    if (eventVersion) resourceVersion = eventVersion;
    if (event.type === 'BOOKMARK') continue;
    if (!items || !index) {
      items = list.items.slice();
      index = new Map(items.map((item, i) => [objectIdentity(item), i]));
    }
    const id = objectIdentity(event.object);
    const at = index.get(id);
    const cached = at === undefined ? undefined : items[at];
    if (cached && isStale(eventVersion, cached.metadata.resourceVersion)) continue;
    if (event.type === 'DELETED') {
      if (at === undefined) continue;
      items.splice(at, 1);
      index = new Map(items.map((item, i) => [objectIdentity(item), i]));
    } else if (at === undefined) {
      index.set(id, items.length);
      items.push(event.object);
    } else {
      items[at] = event.object;
    }
  }
  if (!items && resourceVersion === list.resourceVersion) return list;
  return { items: items ?? list.items, resourceVersion };
}
