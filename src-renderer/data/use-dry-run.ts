import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { InvokeRequest } from '../../src-main/ipc/contract';
import { useApi } from './api-context';
import { queryKeys } from './query-keys';

const DEBOUNCE_MS = 500;

/**
 * Checks YAML against the server as it is typed (`dryRun=All`: the API server validates it with
 * its own schema and defaults, and stores nothing). Runs once typing pauses; `undefined` skips.
 */
export function useDryRun(request: Omit<InvokeRequest<'kube.apply'>, 'dryRun'> | undefined) {
  const api = useApi();
  const [settled, setSettled] = useState(request);
  const serialized = request ? JSON.stringify(request) : '';
  useEffect(() => {
    const timer = setTimeout(
      () => setSettled(serialized ? (JSON.parse(serialized) as typeof request) : undefined),
      DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [serialized]);
  return useQuery({
    queryKey: [...queryKeys.all, 'dry-run', settled ? JSON.stringify(settled) : ''],
    queryFn: () => api.invoke('kube.apply', { ...(settled as InvokeRequest<'kube.apply'>), dryRun: true }),
    enabled: Boolean(settled),
    retry: false,
    staleTime: 0,
    gcTime: 0,
  });
}
