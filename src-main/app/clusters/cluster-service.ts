import { KubeConfig } from '@kubernetes/client-node';
import { access } from 'node:fs/promises';
import { runCli } from '../../cli/program';
import { viewProfile } from '../../cli/profile-view';
import { kubeconfigPath } from '../../engine/profiles/kubeconfig';
import { kubedeskHome, profilePaths } from '../../engine/profiles/paths';
import { pkiFilePaths } from '../../engine/profiles/pki-files';
import {
  listProfiles,
  profileNameProblem,
  readProfileConfig,
  readProfileStatus,
} from '../../engine/profiles/profile-store';
import type { ClusterInfo, ClusterOperation, PushMap } from '../../ipc/contract';
import { kubedeskError } from '../../ipc/errors';
import { ProgressCapture } from './cli-progress';

const PROFILE_PREFIX = 'profile:';
const CONTEXT_PREFIX = 'context:';

export interface ClusterServiceOptions {
  env: NodeJS.ProcessEnv;
  /** Receives the steps of operations and change notices, for every connected renderer. */
  broadcast: <C extends 'clusters.progress' | 'clusters.changed'>(channel: C, payload: PushMap[C]) => void;
}

/** `profile:<name>` for a profile, `context:<name>` for a kubeconfig context. */
export function clusterId(source: 'profile' | 'kubeconfig', name: string): string {
  return `${source === 'profile' ? PROFILE_PREFIX : CONTEXT_PREFIX}${name}`;
}

/** Splits a cluster id; unknown prefixes are a BadRequest. */
export function parseClusterId(id: string): { source: 'profile' | 'kubeconfig'; name: string } {
  if (id.startsWith(PROFILE_PREFIX)) return { source: 'profile', name: id.slice(PROFILE_PREFIX.length) };
  if (id.startsWith(CONTEXT_PREFIX)) return { source: 'kubeconfig', name: id.slice(CONTEXT_PREFIX.length) };
  throw kubedeskError('BadRequest', `unknown cluster "${id}"`);
}

/**
 * Local profiles and kubeconfig contexts: listing them, credentials to reach them, and the
 * lifecycle of profiles. Lifecycle operations run the same code as the `kubedesk` commands (the
 * engine is the same detached process `kubedesk start` runs), with their progress relayed.
 */
export class ClusterService {
  private readonly busy = new Map<string, ClusterOperation>();

  constructor(private readonly options: ClusterServiceOptions) {}

  get home(): string {
    return kubedeskHome(this.options.env);
  }

  get kubeconfig(): string {
    return kubeconfigPath(this.options.env);
  }

  async list(): Promise<ClusterInfo[]> {
    const profiles = await listProfiles(this.home);
    const profileNames = new Set(profiles.map((p) => p.name));
    const views = await Promise.all(
      profiles.map((config) => viewProfile(config, this.home, this.kubeconfig)),
    );
    const clusters: ClusterInfo[] = views.map((view, i) => {
      const config = profiles[i];
      const busy = this.busy.get(view.name);
      return {
        id: clusterId('profile', view.name),
        source: 'profile',
        name: view.name,
        state: busy === 'stop' ? 'Stopping' : busy === 'delete' ? 'Deleting' : view.state,
        server: view.apiServerUrl,
        nodes: view.nodes,
        ...(view.nodesReady !== undefined ? { nodesReady: view.nodesReady } : {}),
        ...(view.problems?.length ? { problems: view.problems } : {}),
        kubernetesVersion: view.kubernetesVersion,
        ...(config.cpus !== undefined ? { cpus: config.cpus } : {}),
        ...(config.memoryMiB !== undefined ? { memoryMiB: config.memoryMiB } : {}),
        current: view.currentContext,
        ...(busy ? { busy } : {}),
      };
    });
    // Profiles that are being created have no config yet for a moment.
    for (const [name, operation] of this.busy) {
      if (!profileNames.has(name) && operation === 'create') {
        clusters.push({
          id: clusterId('profile', name),
          source: 'profile',
          name,
          state: 'Starting',
          current: false,
          busy: operation,
        });
      }
    }
    const kc = await this.loadKubeconfig();
    for (const context of kc?.getContexts() ?? []) {
      // A profile's own context is the profile itself.
      if (profileNames.has(context.name)) continue;
      const cluster = kc?.getCluster(context.cluster);
      clusters.push({
        id: clusterId('kubeconfig', context.name),
        source: 'kubeconfig',
        name: context.name,
        state: 'Unknown',
        ...(cluster?.server ? { server: cluster.server } : {}),
        current: kc?.getCurrentContext() === context.name,
        ...(context.namespace ? { namespace: context.namespace } : {}),
      });
    }
    return clusters;
  }

  /**
   * Credentials for a cluster. A profile's come from its own PKI and running engine (so they are
   * right even if its kubeconfig entry was edited away); a context's from the kubeconfig.
   */
  async kubeConfigFor(id: string): Promise<KubeConfig> {
    const { source, name } = parseClusterId(id);
    if (source === 'kubeconfig') {
      const kc = await this.loadKubeconfig();
      if (!kc?.getContextObject(name))
        throw kubedeskError('NotFound', `context "${name}" is not in ${this.kubeconfig}`);
      kc.setCurrentContext(name);
      return kc;
    }
    const status = await readProfileStatus(name, this.home);
    if (status.state !== 'Running' || !status.engine) {
      throw kubedeskError(
        'Unavailable',
        `profile "${name}" is ${status.state.toLowerCase()}; start it first`,
      );
    }
    const files = pkiFilePaths(profilePaths(name, this.home).dir);
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name,
          server: `https://127.0.0.1:${status.engine.apiServerPort}`,
          caFile: files.caCert,
          skipTLSVerify: false,
        },
      ],
      users: [{ name, certFile: files.adminCert, keyFile: files.adminKey }],
      contexts: [{ name, cluster: name, user: name, namespace: 'default' }],
      currentContext: name,
    });
    return kc;
  }

  create(request: { name: string; nodes?: number; cpus?: number; memoryMiB?: number }): Promise<void> {
    const problem = profileNameProblem(request.name);
    if (problem)
      throw kubedeskError('Invalid', `invalid profile name: ${problem}`, {
        causes: [{ field: 'name', message: problem }],
      });
    return (async () => {
      if (await readProfileConfig(request.name, this.home)) {
        throw kubedeskError('AlreadyExists', `profile "${request.name}" already exists`);
      }
      const args = ['start'];
      if (request.nodes !== undefined) args.push('--nodes', String(request.nodes));
      if (request.cpus !== undefined) args.push('--cpus', String(request.cpus));
      if (request.memoryMiB !== undefined) args.push('--memory', String(request.memoryMiB));
      await this.run(request.name, 'create', args);
    })();
  }

  start(name: string): Promise<void> {
    return this.run(name, 'start', ['start']);
  }

  stop(name: string): Promise<void> {
    return this.run(name, 'stop', ['stop']);
  }

  delete(name: string): Promise<void> {
    return this.run(name, 'delete', ['delete']);
  }

  /** Runs a `kubedesk` command for profile `name`, one operation per profile at a time. */
  private async run(name: string, operation: ClusterOperation, args: string[]): Promise<void> {
    const running = this.busy.get(name);
    if (running) throw kubedeskError('Conflict', `profile "${name}" is busy (${running} under way)`);
    this.busy.set(name, operation);
    this.options.broadcast('clusters.changed', {});
    const capture = new ProgressCapture(this.options.env, (step) =>
      this.options.broadcast('clusters.progress', { name, operation, ...step }),
    );
    try {
      const code = await runCli([...args, '-p', name], capture.io);
      if (code !== 0) {
        const message = capture.errorMessage();
        this.options.broadcast('clusters.progress', { name, operation, step: message, state: 'failed' });
        throw kubedeskError(/not found/i.test(message) ? 'NotFound' : 'Internal', message);
      }
    } finally {
      this.busy.delete(name);
      this.options.broadcast('clusters.changed', {});
    }
  }

  private async loadKubeconfig(): Promise<KubeConfig | undefined> {
    try {
      await access(this.kubeconfig);
    } catch {
      return undefined;
    }
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(this.kubeconfig);
    } catch (err) {
      throw kubedeskError(
        'Invalid',
        `cannot read ${this.kubeconfig}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return kc;
  }
}
