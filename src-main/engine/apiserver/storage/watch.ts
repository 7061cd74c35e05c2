import type { KubeObject } from '../../k8s-object';
import { StoreCompactedError } from '../../store/types';
import type { KeyValueStore, StoreWatchEvent } from '../../store/types';
import type { WatchEvent, WatchOptions } from '../object-api';
import { apiVersionOf } from '../registry/types';
import type { ResourceDefinition } from '../registry/types';
import { ApiError, badRequest } from '../status';
import { listPrefix } from './keys';
import { decodeRecord, parseSelectors, selectorsMatch } from './list';

/** How often a watch that allows bookmarks gets one. */
export const BOOKMARK_INTERVAL_MS = 30_000;

export interface WatchTuning {
  bookmarkIntervalMs?: number;
}

/**
 * Watches a resource like the Kubernetes watch cache: replay from a resourceVersion, or
 * synthetic ADDED events for the current state when it is unset or "0"; selectors are
 * applied to both the old and the new object so objects entering or leaving the selection
 * appear as ADDED and DELETED. A compacted resourceVersion yields one ERROR event
 * (410 Expired) and no more.
 */
export function watchObjects(
  store: KeyValueStore,
  def: ResourceDefinition,
  options: WatchOptions,
  onEvent: (event: WatchEvent) => void,
  tuning: WatchTuning = {},
  present: (obj: KubeObject) => KubeObject = (obj) => obj,
): () => void {
  const namespace = def.namespaced ? options.namespace || undefined : undefined;
  const prefix = listPrefix(def, namespace);
  const selectors = parseSelectors(def, options);
  const apiVersion = apiVersionOf(def);
  const stamp = (obj: KubeObject, revision: number): KubeObject => ({
    ...present(obj),
    apiVersion,
    kind: def.kind,
    metadata: { ...obj.metadata, resourceVersion: String(revision) },
  });
  const bookmark = (revision: number, annotations?: Record<string, string>): WatchEvent => ({
    type: 'BOOKMARK',
    object: {
      apiVersion,
      kind: def.kind,
      metadata: { resourceVersion: String(revision), ...(annotations ? { annotations } : {}) },
    },
  });

  let stopped = false;
  let lastRevision: number;
  const emit = (event: WatchEvent): void => {
    if (!stopped) onEvent(event);
  };

  const rvText = options.resourceVersion;
  let startAfter: number;
  if (rvText === undefined || rvText === '' || rvText === '0') {
    const list = store.list(prefix);
    startAfter = list.revision;
    for (const record of list.records) {
      const obj = decodeRecord(record);
      if (selectorsMatch(selectors, obj)) emit({ type: 'ADDED', object: stamp(obj, record.modRevision) });
    }
    if (options.sendInitialEvents && options.allowWatchBookmarks) {
      emit(bookmark(startAfter, { 'k8s.io/initial-events-end': 'true' }));
    }
  } else {
    if (!/^\d+$/.test(rvText))
      throw badRequest(`resourceVersion: Invalid value: "${rvText}": must be a number`);
    startAfter = Number(rvText);
  }
  lastRevision = startAfter;

  const handle = (event: StoreWatchEvent): void => {
    lastRevision = event.revision;
    const next =
      event.type === 'delete' ? undefined : decodeRecord({ value: event.value, modRevision: event.revision });
    const prevText = event.type === 'delete' ? event.value : event.prevValue;
    const prev =
      prevText === undefined ? undefined : decodeRecord({ value: prevText, modRevision: event.revision });
    const nowMatches = next !== undefined && selectorsMatch(selectors, next);
    const wasMatching = prev !== undefined && selectorsMatch(selectors, prev);
    if (next && nowMatches) {
      emit({ type: wasMatching ? 'MODIFIED' : 'ADDED', object: stamp(next, event.revision) });
    } else if (wasMatching && prev) {
      // An object leaving the selection is DELETED with its new state, as the watch cache does.
      emit({ type: 'DELETED', object: stamp(next ?? prev, event.revision) });
    }
  };

  let unsubscribe: () => void;
  try {
    unsubscribe = store.watch(prefix, startAfter, handle);
  } catch (error) {
    if (error instanceof StoreCompactedError) {
      const status = new ApiError(
        410,
        'Expired',
        `too old resource version: ${error.requested} (${error.compacted})`,
      ).toStatus();
      emit({ type: 'ERROR', object: status as unknown as KubeObject });
      return () => {
        stopped = true;
      };
    }
    throw error;
  }

  let timer: NodeJS.Timeout | undefined;
  if (options.allowWatchBookmarks) {
    timer = setInterval(
      () => emit(bookmark(lastRevision)),
      tuning.bookmarkIntervalMs ?? BOOKMARK_INTERVAL_MS,
    );
    timer.unref();
  }
  return () => {
    stopped = true;
    if (timer) clearInterval(timer);
    unsubscribe();
  };
}
