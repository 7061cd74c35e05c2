import type { UseQueryResult } from '@tanstack/react-query';
import type { AppliedObject } from '../../src-main/ipc/contract';
import { ErrorView } from '../ui/error-view';

/** The server's verdict on a draft: accepted, or its error with field causes. */
export function ServerCheck({ check }: { check: UseQueryResult<AppliedObject[]> }) {
  if (check.fetchStatus === 'idle' && check.status === 'pending') return null;
  if (check.isFetching) return <div className="server-check muted small">Checking with the server…</div>;
  if (check.error) return <ErrorView error={check.error} title="The server would refuse this" />;
  if (check.data)
    return <div className="server-check ok small">✓ The server accepts this (checked with a dry run)</div>;
  return null;
}
