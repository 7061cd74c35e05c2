import type { KubeObject } from '../../../src-main/ipc/contract';
import type { LogTargetKind } from '../../../src-main/ipc/streams';
import { LogViewer } from './log-viewer';

const LOG_KINDS: ReadonlySet<string> = new Set([
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
]);

/** Whether objects of `kind` have a Logs tab (pods, and workloads through their pods). */
export function hasLogs(kind: string): kind is LogTargetKind {
  return LOG_KINDS.has(kind);
}

/** The Logs tab of a detail page. */
export function LogsTab({ cluster, object, kind }: { cluster: string; object: KubeObject; kind: string }) {
  if (!hasLogs(kind)) return null;
  const spec = object.spec as
    | { containers?: Array<{ name: string }>; template?: { spec?: { containers?: Array<{ name: string }> } } }
    | undefined;
  const containers = (spec?.containers ?? spec?.template?.spec?.containers ?? []).map((c) => c.name);
  return (
    <LogViewer
      cluster={cluster}
      namespace={object.metadata.namespace ?? 'default'}
      kind={kind}
      name={object.metadata.name ?? ''}
      containers={containers}
    />
  );
}
