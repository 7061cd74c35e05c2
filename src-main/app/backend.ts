import { createRequire } from 'node:module';
import type {
  InvokeChannel,
  InvokeHandlers,
  InvokeOutcome,
  PushChannel,
  PushMap,
  Session,
} from '../ipc/contract';
import { isInvokeChannel } from '../ipc/contract';
import { kubedeskError, toEnvelope } from '../ipc/errors';
import { parseInvokeRequest } from '../ipc/request-schemas';
import { ClusterService } from './clusters/cluster-service';
import { ClusterAccessCache } from './kube/cluster-access';
import { WatchRelay } from './kube/watch-relay';
import { SettingsStore } from './settings-store';
import { createImageHandlers } from './images/handlers';
import { createStreamHandlers } from './streams/handlers';

export interface BackendOptions {
  env: NodeJS.ProcessEnv;
  mode: 'desktop' | 'browser';
}

/**
 * The dashboard's backend, independent of transport: handlers for every invoke channel of the
 * contract, and the set of connected sessions that broadcasts reach. A transport calls `connect`
 * for each renderer and `invoke` for each request.
 */
export class Backend {
  readonly clusters: ClusterService;
  readonly settings: SettingsStore;
  readonly watches = new WatchRelay();
  private readonly access: ClusterAccessCache;
  private readonly sessions = new Set<Session>();
  readonly handlers: InvokeHandlers;

  constructor(private readonly options: BackendOptions) {
    this.clusters = new ClusterService({
      env: options.env,
      broadcast: (channel, payload) => this.broadcast(channel, payload),
    });
    this.settings = new SettingsStore(this.clusters.home);
    this.access = new ClusterAccessCache(this.clusters);
    this.handlers = this.createHandlers();
  }

  /** Adds a session to broadcasts until it closes. */
  connect(session: Session): void {
    this.sessions.add(session);
    session.onClose(() => this.sessions.delete(session));
  }

  /** Sends a push to every connected session. */
  broadcast<C extends PushChannel>(channel: C, payload: PushMap[C]): void {
    for (const session of this.sessions) session.push(channel, payload);
  }

  /** Runs one request; never throws: failures come back as an error envelope. */
  async invoke(channel: unknown, request: unknown, session: Session): Promise<InvokeOutcome<unknown>> {
    try {
      if (!isInvokeChannel(channel)) throw kubedeskError('BadRequest', `unknown channel ${String(channel)}`);
      // Parsed before any handler runs: handlers trust their contract type, the sender may not.
      const parsed = parseInvokeRequest(channel, request);
      const handler = this.handlers[channel] as (request: unknown, session: Session) => Promise<unknown>;
      const result = await handler(parsed, session);
      return { ok: true, result };
    } catch (err) {
      return { ok: false, error: toEnvelope(err) };
    }
  }

  private createHandlers(): InvokeHandlers {
    const ops = async (cluster: string) => (await this.access.get(cluster)).ops;
    const handlers: InvokeHandlers = {
      'app.info': async () => ({
        version: packageVersion(),
        mode: this.options.mode,
        kubeconfig: this.clusters.kubeconfig,
        home: this.clusters.home,
      }),
      'settings.get': () => this.settings.get(),
      'settings.set': (change) => this.settings.set(change),
      'clusters.list': () => this.clusters.list(),
      'clusters.create': (request) => this.clusters.create(request),
      'clusters.start': ({ name }) => this.clusters.start(name),
      'clusters.stop': ({ name }) => this.clusters.stop(name),
      'clusters.delete': ({ name }) => this.clusters.delete(name),
      'kube.discover': async ({ cluster }) => (await this.access.get(cluster)).types(),
      'kube.list': async ({ cluster, type, namespace, labelSelector, fieldSelector }) =>
        (await ops(cluster)).list(type, namespace, labelSelector, fieldSelector),
      'kube.get': async (ref) => (await ops(ref.cluster)).get(ref),
      'kube.watch': async ({ cluster, type, namespace, resourceVersion }, session) => {
        const { rest } = await this.access.get(cluster);
        return { watchId: await this.watches.start(session, rest, type, namespace, resourceVersion) };
      },
      'kube.unwatch': async ({ watchId }) => this.watches.stop(watchId),
      'kube.apply': async ({ cluster, yaml, namespace, mode, original, dryRun }) => {
        const kube = await ops(cluster);
        if (mode !== 'edit') return kube.apply(yaml, mode, namespace, dryRun);
        if (original === undefined) throw kubedeskError('BadRequest', 'an edit needs the original YAML');
        return [await kube.edit(original, yaml, namespace, dryRun)];
      },
      'kube.delete': async (ref) => (await ops(ref.cluster)).delete(ref, ref.propagationPolicy),
      'kube.scale': async (ref) => (await ops(ref.cluster)).scale(ref, ref.replicas),
      'kube.rolloutRestart': async (ref) => (await ops(ref.cluster)).rolloutRestart(ref),
      'kube.rolloutHistory': async (ref) => (await ops(ref.cluster)).rolloutHistory(ref),
      'kube.rolloutUndo': async (ref) => (await ops(ref.cluster)).rolloutUndo(ref, ref.toRevision),
      'kube.cordon': async ({ cluster, name, unschedulable }) =>
        (await ops(cluster)).cordon(name, unschedulable),
      'kube.drain': async ({ cluster, name }) => (await ops(cluster)).drain(name),
      ...createStreamHandlers({ kubeConfigFor: (cluster) => this.clusters.kubeConfigFor(cluster) }),
      ...createImageHandlers({
        apply: async (cluster, yaml, namespace) => (await ops(cluster)).apply(yaml, 'apply', namespace),
        home: this.clusters.home,
        env: this.options.env,
      }),
    };
    return handlers;
  }
}

/** Channels whose handlers can run for minutes (cluster lifecycle); transports should not time them out. */
export const LONG_CHANNELS: ReadonlySet<InvokeChannel> = new Set([
  'clusters.create',
  'clusters.start',
  'clusters.stop',
  'clusters.delete',
  'kube.drain',
  'images.build',
  'images.push',
]);

let cachedVersion: string | undefined;

function packageVersion(): string {
  if (cachedVersion) return cachedVersion;
  try {
    const require = createRequire(import.meta.url);
    cachedVersion = (require('../../package.json') as { version: string }).version;
  } catch {
    cachedVersion = '0.0.0';
  }
  return cachedVersion;
}
