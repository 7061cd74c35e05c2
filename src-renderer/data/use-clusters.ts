import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ClusterOperation, PushMap } from '../../src-main/ipc/contract';
import { useApi } from './api-context';
import { queryKeys } from './query-keys';

/** Every cluster (profiles and contexts), re-read when the backend says they changed and every few seconds. */
export function useClusters() {
  const api = useApi();
  const queryClient = useQueryClient();
  useEffect(
    () =>
      api.on(
        'clusters.changed',
        () => void queryClient.invalidateQueries({ queryKey: queryKeys.clusters() }),
      ),
    [api, queryClient],
  );
  return useQuery({
    queryKey: queryKeys.clusters(),
    queryFn: () => api.invoke('clusters.list', {}),
    refetchInterval: 4_000,
  });
}

export function useDiscovery(cluster: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.discovery(cluster ?? ''),
    queryFn: () => api.invoke('kube.discover', { cluster: cluster ?? '' }),
    enabled: Boolean(cluster),
    staleTime: 60_000,
  });
}

export interface ProgressLog {
  operation: ClusterOperation;
  steps: { step: string; state: 'running' | 'done' | 'failed' }[];
  /** The operation reported its last line. */
  finished: boolean;
}

/** The steps of cluster operations as they happen, per profile name (kept after they end). */
export function useClusterProgress(): Record<string, ProgressLog> {
  const api = useApi();
  const [logs, setLogs] = useState<Record<string, ProgressLog>>({});
  useEffect(
    () =>
      api.on('clusters.progress', (event: PushMap['clusters.progress']) =>
        setLogs((all) => {
          const previous = all[event.name];
          const fresh = !previous || previous.operation !== event.operation || previous.finished;
          const steps = fresh ? [] : previous.steps.slice();
          const last = steps.at(-1);
          const step = { step: event.step, state: event.state };
          // A running step is followed by its own end line (maybe reworded): that line replaces it.
          if (last?.state === 'running') {
            if (event.state === 'running') steps[steps.length - 1] = { ...last, state: 'done' };
            else steps.pop();
          }
          steps.push(step);
          const finished =
            event.state === 'failed' ||
            event.step.startsWith('Done') ||
            event.step.startsWith('Stopped') ||
            event.step.startsWith('Deleted');
          return { ...all, [event.name]: { operation: event.operation, steps, finished } };
        }),
      ),
    [api],
  );
  return logs;
}
