import type { KubeConfig } from '@kubernetes/client-node';
import type { InvokeHandlers } from '../../ipc/contract';
import { ExecSessions } from './exec-sessions';
import { downloadLog, LogStreams } from './log-streams';
import { accessLinks } from './service-links';
import { Tunnels } from './tunnels';
import { currentUsage } from './usage';

export type StreamChannel =
  | 'logs.start'
  | 'logs.stop'
  | 'logs.download'
  | 'exec.start'
  | 'exec.input'
  | 'exec.resize'
  | 'exec.stop'
  | 'access.links'
  | 'tunnels.list'
  | 'tunnels.start'
  | 'tunnels.stop'
  | 'metrics.usage';

export interface StreamHandlerDeps {
  /** Credentials for a cluster id (`profile:…` or `context:…`). */
  kubeConfigFor(cluster: string): Promise<KubeConfig>;
}

/** Backend handlers of the stream channels (logs, exec, links, tunnels, usage); the backend spreads them into its handlers. */
export function createStreamHandlers(deps: StreamHandlerDeps): Pick<InvokeHandlers, StreamChannel> {
  const logs = new LogStreams();
  const shells = new ExecSessions();
  const tunnels = new Tunnels();
  return {
    'logs.start': async (request, session) => ({
      streamId: logs.start(session, await deps.kubeConfigFor(request.cluster), request),
    }),
    'logs.stop': async ({ streamId }) => logs.stop(streamId),
    'logs.download': async (request) => ({
      text: await downloadLog(await deps.kubeConfigFor(request.cluster), request),
    }),
    'exec.start': async (request, session) =>
      shells.start(session, await deps.kubeConfigFor(request.cluster), request),
    'exec.input': async ({ sessionId, data }) => shells.input(sessionId, data),
    'exec.resize': async ({ sessionId, cols, rows }) => shells.resize(sessionId, cols, rows),
    'exec.stop': async ({ sessionId }) => shells.stop(sessionId),
    'access.links': async ({ cluster, kind, namespace, name }) =>
      accessLinks(await deps.kubeConfigFor(cluster), cluster, kind, namespace, name),
    'tunnels.list': async () => tunnels.list(),
    'tunnels.start': async (request) => tunnels.start(await deps.kubeConfigFor(request.cluster), request),
    'tunnels.stop': async ({ id }) => tunnels.stop(id),
    'metrics.usage': async (request) => currentUsage(await deps.kubeConfigFor(request.cluster), request),
  };
}
