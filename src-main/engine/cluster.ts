import { join } from 'node:path';
import { createApiServer } from './apiserver';
import { realClock } from './controllers/runtime/clock';
import { startRootCaPublisher } from './controllers/root-ca-publisher/controller';
import { nodeNameFor, startKubelet } from './kubelet';
import { DockerRuntime } from './runtime/docker/docker-runtime';
import { startAutoCompaction } from './store/auto-compaction';
import { openSqliteStore } from './store/sqlite-store';
import type { ProfileConfig, ProfilePki } from './profiles/types';

/**
 * Wires one local cluster: store, API server, controllers, scheduler, kubelets and network.
 * Everything a profile runs lives in the process that calls `startCluster`.
 */
export interface ClusterOptions {
  config: ProfileConfig;
  /** The profile's folder (state database, logs). */
  profileDir: string;
  pki: ProfilePki;
  /** Reports start phases as they happen ("store", "apiserver", …) for progress output. */
  onPhase?: (phase: string) => void;
  /** Log lines for the engine log. */
  log?: (message: string) => void;
}

export interface RunningCluster {
  /** The port the API server listens on (127.0.0.1). */
  port: number;
  /** Stops serving and closes the store; containers keep running (they are re-adopted). */
  stop(): Promise<void>;
}

/** Shut-down steps run in reverse order of start, each allowed to fail without stopping the rest. */
type StopStep = () => Promise<void> | void;

export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  const { config, profileDir, pki } = options;
  const log = options.log ?? ((message: string) => process.stdout.write(`${message}\n`));
  const stopSteps: StopStep[] = [];
  const stopAll = async () => {
    for (const step of stopSteps.reverse()) {
      try {
        await step();
      } catch (error) {
        log(`stop: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };

  try {
    options.onPhase?.('store');
    const store = openSqliteStore(join(profileDir, 'state.db'));
    stopSteps.push(() => store.close());
    stopSteps.push(startAutoCompaction(store, { onError: (error) => log(`compaction: ${String(error)}`) }));

    options.onPhase?.('apiserver');
    const apiServer = await createApiServer({
      store,
      pki,
      host: '127.0.0.1',
      port: config.apiServerPort,
      log,
    });
    stopSteps.push(() => apiServer.close());
    const api = apiServer.objectApi;
    const clock = realClock;

    options.onPhase?.('controllers');
    const rootCa = startRootCaPublisher({ api, clock, caCertificatePem: pki.caCertPem });
    stopSteps.push(() => rootCa.stop());

    options.onPhase?.('nodes');
    const runtime = new DockerRuntime();
    await runtime.ping();
    const network = networkName(config.name);
    for (let index = 0; index < config.nodes; index++) {
      const kubelet = await startKubelet({
        api,
        runtime,
        nodeName: nodeNameFor(config.name, index),
        profile: config.name,
        profileDir,
        network,
        clock,
        pauseImage: pauseImage(),
        capacity: {
          cpu: config.cpus !== undefined ? String(config.cpus) : undefined,
          memory: config.memoryMiB !== undefined ? `${config.memoryMiB}Mi` : undefined,
        },
        caCertificate: pki.caCertPem,
        onError: (message, error) =>
          log(`kubelet ${nodeNameFor(config.name, index)}: ${message}: ${String(error)}`),
      });
      stopSteps.push(() => kubelet.stop());
    }

    return { port: apiServer.port, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The profile's Docker bridge network. */
export function networkName(profile: string): string {
  return `kubedesk-${profile}`;
}

/** The pod sandbox image: its default command must block until SIGTERM. */
export function pauseImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBEDESK_PAUSE_IMAGE || 'registry.k8s.io/pause:3.10';
}
