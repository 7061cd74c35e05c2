import type { ClusterInfo } from '../../src-main/ipc/contract';
import type { Tone } from '../resources/object-helpers';
import { Status } from './status';

/**
 * The word and colour for a cluster's state. A running cluster with problems (Docker not
 * answering, nodes not Ready) reads "Degraded", so a glance at the card or the sidebar never says
 * all is well while the banner says otherwise; a kubeconfig context has no state of its own.
 */
export function clusterStateLabel(info: Pick<ClusterInfo, 'state' | 'problems'>): {
  text: string;
  tone: Tone;
} {
  switch (info.state) {
    case 'Running':
      return info.problems?.length ? { text: 'Degraded', tone: 'warn' } : { text: 'Running', tone: 'ok' };
    case 'Stopped':
      return { text: 'Stopped', tone: 'muted' };
    case 'Unknown':
      return { text: 'Context', tone: 'info' };
    default:
      return { text: info.state, tone: 'warn' };
  }
}

export function ClusterStateBadge({ info }: { info: Pick<ClusterInfo, 'state' | 'problems'> }) {
  const { text, tone } = clusterStateLabel(info);
  return <Status text={text} tone={tone} />;
}
