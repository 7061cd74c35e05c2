import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ResourceAddress } from '../../src-main/ipc/contract';
import type { Api } from '../transport/transport';
import { useApi, useWatchHub } from './api-context';
import { ALL_NAMESPACES, queryKeys, resourceKey } from './query-keys';
import type { ListData } from './watch-cache';
import { applyWatchEvents } from './watch-cache';

/** Delay before a watch that ended (server timeout, network) is started again. */
const REWATCH_MS = 1_000;

/**
 * The query of one list, shared by live lists and by code that only wants the items once (the
 * command palette): whoever watches later continues from the cached resourceVersion.
 */
export function listQueryOptions(api: Api, cluster: string, type: ResourceAddress, namespace: string) {
  const ns = type.namespaced ? namespace : ALL_NAMESPACES;
  return {
    queryKey: queryKeys.list(cluster, type, ns),
    queryFn: () => api.invoke('kube.list', { cluster, type, ...(ns ? { namespace: ns } : {}) }),
    staleTime: Infinity,
    retry: 1,
  };
}

/**
 * A live list: listed once, then kept current by a watch whose events are written into the query
 * cache with `setQueryData`. The list is fetched again only when the watch reports 410 Gone (its
 * resourceVersion was compacted away), never per event.
 */
export function useResourceList(
  cluster: string | undefined,
  type: ResourceAddress | undefined,
  namespace: string = ALL_NAMESPACES,
) {
  const api = useApi();
  const hub = useWatchHub();
  const queryClient = useQueryClient();
  const enabled = Boolean(cluster && type);
  const ns = type?.namespaced ? namespace : ALL_NAMESPACES;
  const key = cluster && type ? queryKeys.list(cluster, type, ns) : ['kubedesk', 'disabled'];
  const query = useQuery(
    cluster && type
      ? { ...listQueryOptions(api, cluster, type, ns), enabled }
      : { queryKey: key, queryFn: () => ({ items: [], resourceVersion: '' }), enabled: false },
  );
  const [epoch, setEpoch] = useState(0);
  const listed = query.isSuccess;
  const typeKey = type ? `${resourceKey(type)}/${type.version}` : '';
  // Which watch is up: live only while the one for the current inputs is.
  const watchKey = `${cluster}/${typeKey}/${ns}/${epoch}`;
  const [liveFor, setLiveFor] = useState<string | undefined>(undefined);

  useEffect(() => {
    if (!listed || !cluster || !type) return;
    let cancelled = false;
    let unregister: (() => void) | undefined;
    let watchId: string | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const restart = (relist: boolean, delay = REWATCH_MS) => {
      if (cancelled) return;
      retry = setTimeout(
        () => {
          if (relist)
            void queryClient
              .refetchQueries({ queryKey: key, exact: true })
              .then(() => setEpoch((e) => e + 1));
          else setEpoch((e) => e + 1);
        },
        relist ? 0 : delay,
      );
    };
    const from = queryClient.getQueryData<ListData>(key)?.resourceVersion ?? '';
    api
      .invoke('kube.watch', { cluster, type, ...(ns ? { namespace: ns } : {}), resourceVersion: from })
      .then(({ watchId: id }) => {
        watchId = id;
        if (cancelled) {
          void api.invoke('kube.unwatch', { watchId: id }).catch(() => undefined);
          return;
        }
        setLiveFor(watchKey);
        unregister = hub.register(id, {
          onEvents: (events) =>
            queryClient.setQueryData<ListData>(key, (old) => (old ? applyWatchEvents(old, events) : old)),
          onEnd: (error) => {
            setLiveFor(undefined);
            // A clean end is the server's timeout: carry on at once.
            restart(error?.kind === 'Gone', error ? REWATCH_MS : 0);
          },
        });
      })
      .catch(() => restart(false));
    return () => {
      cancelled = true;
      if (retry) clearTimeout(retry);
      unregister?.();
      if (watchId) void api.invoke('kube.unwatch', { watchId }).catch(() => undefined);
    };
    // `key` is derived from these; listing it would restart the watch on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, hub, queryClient, cluster, typeKey, ns, listed, epoch]);

  return { ...query, live: liveFor === watchKey && query.isSuccess };
}
