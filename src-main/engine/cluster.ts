import { join } from 'node:path';
import { applyEnabledAddons } from './addons';
import { createApiServer } from './apiserver';
import { createDeferredRbacAuthorizer } from './apiserver/rbac';
import { registerPodStreams } from './apiserver/streaming';
import { startCoreControllers, tokenRequestHandler, type ServiceAccountTokens } from './controllers';
import { startHostpathProvisioner } from './controllers/hostpath-provisioner/controller';
import { realClock } from './controllers/runtime/clock';
import { startRootCaPublisher } from './controllers/root-ca-publisher/controller';
import { workloadControllerStarters } from './controllers/workloads';
import { nodeNameFor, startKubelet } from './kubelet';
import { registerMetricsApi } from './metrics';
import { ensureProfileNetwork, startNetwork, type RunningNetwork } from './network';
import { ensureServingCertificate } from './profiles/pki';
import type { ProfileConfig, ProfilePki } from './profiles/types';
import { DockerRuntime } from './runtime/docker/docker-runtime';
import { startScheduler } from './scheduler';
import { startAutoCompaction } from './store/auto-compaction';
import { openSqliteStore } from './store/sqlite-store';

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
  const { config, profileDir } = options;
  const profile = config.name;
  const log = options.log ?? ((message: string) => process.stdout.write(`${message}\n`));
  const logError = (what: string) => (message: string, error: unknown) =>
    log(`${what}: ${message}: ${error instanceof Error ? error.message : String(error)}`);
  const stopSteps: StopStep[] = [];
  const stopAll = async () => {
    for (const step of stopSteps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        log(`stop: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };

  try {
    options.onPhase?.('docker');
    // Where the host cannot route to container addresses (Docker Desktop), connections to
    // pods go through the network agent's tunnel; on Linux a direct connection is shorter.
    // Parts that exist only later in the start, for callbacks wired before them.
    const late: { network?: RunningNetwork; tokens?: ServiceAccountTokens } = {};
    const runtime = new DockerRuntime(
      process.platform === 'linux' ? {} : { dial: (ip, port) => requireNetwork(late.network).dial(ip, port) },
    );
    await runtime.ping();
    const plan = await ensureProfileNetwork(runtime.docker, profile, profileDir);

    // In-cluster clients dial the API server by address: the `kubernetes` ClusterIP, the gateway.
    const pki = await ensureServingCertificate(profileDir, options.pki, [
      plan.kubernetesServiceIp,
      plan.gateway,
    ]);

    options.onPhase?.('store');
    const store = openSqliteStore(join(profileDir, 'state.db'));
    stopSteps.push(() => store.close());
    stopSteps.push(startAutoCompaction(store, { onError: (error) => log(`compaction: ${String(error)}`) }));

    options.onPhase?.('apiserver');
    const authorize = createDeferredRbacAuthorizer();
    const apiServer = await createApiServer({
      store,
      pki,
      host: '127.0.0.1',
      // Pods and the network agent reach the API server at the bridge's gateway address.
      extraHosts: [plan.gateway],
      port: config.apiServerPort,
      serviceCidr: plan.serviceCidr,
      kubernetesServiceIp: plan.kubernetesServiceIp,
      apiServerEndpoint: { ip: plan.gateway, port: config.apiServerPort },
      authenticate: (token) => late.tokens?.verifyServiceAccountToken(token),
      authorize,
      log,
    });
    stopSteps.push(() => apiServer.close());
    const api = apiServer.objectApi;
    authorize.start(api);
    stopSteps.push(() => authorize.stop());
    const clock = realClock;

    options.onPhase?.('controllers');
    // One set of informers for every controller and the scheduler: each resource is watched once.
    const core = startCoreControllers({
      api,
      clock,
      pki,
      onError: logError('controller'),
      extra: [
        ...workloadControllerStarters,
        (ctx) => startScheduler({ ...ctx, onError: logError('scheduler') }),
      ],
    });
    stopSteps.push(() => core.stop());
    const tokens = core.serviceAccountTokens;
    late.tokens = tokens;
    if (tokens)
      apiServer.registerSubresourceHandler('', 'serviceaccounts', 'token', tokenRequestHandler(tokens));
    const rootCa = startRootCaPublisher({ api, clock, caCertificatePem: pki.caCertPem });
    stopSteps.push(() => rootCa.stop());
    const provisioner = startHostpathProvisioner({
      api,
      clock,
      profileDir,
      onError: logError('provisioner'),
    });
    stopSteps.push(() => provisioner.stop());
    registerPodStreams(apiServer, { runtime, profile });
    const metrics = registerMetricsApi(apiServer, { runtime, profile, api });
    stopSteps.push(() => metrics.stop());

    // The agent's first start takes about a second; nodes start meanwhile, since pods only
    // need the agent's fixed address for DNS, and they wait for it before they report ready.
    options.onPhase?.('network');
    const networkStarting = startNetwork({
      api,
      runtime,
      profile,
      profileDir,
      pki,
      apiServerPort: apiServer.port,
      exposeOnAllInterfaces: config.exposeOnAllInterfaces,
      clock,
      log,
    });
    // Settled at once so a failure cannot go unhandled while the nodes start.
    const networkResult = networkStarting.then(
      (network) => ({ network }),
      (error: unknown) => ({ error }),
    );

    options.onPhase?.('nodes');
    const kubelets = await Promise.allSettled(
      Array.from({ length: config.nodes }, (_, index) => {
        const nodeName = nodeNameFor(profile, index);
        return startKubelet({
          api,
          runtime,
          nodeName,
          profile,
          profileDir,
          network: plan.name,
          clock,
          pauseImage: pauseImage(),
          clusterDns: [plan.agentIp],
          capacity: {
            cpu: config.cpus !== undefined ? String(config.cpus) : undefined,
            memory: config.memoryMiB !== undefined ? `${config.memoryMiB}Mi` : undefined,
          },
          serviceAccountToken: tokens
            ? (pod, audience, seconds) => tokens.tokenForPod(pod, audience, seconds)
            : undefined,
          caCertificate: pki.caCertPem,
          onError: logError(`kubelet ${nodeName}`),
        });
      }),
    );
    for (const kubelet of kubelets) {
      if (kubelet.status === 'fulfilled') stopSteps.push(() => kubelet.value.stop());
    }
    const started = await networkResult;
    if ('network' in started) {
      const network = started.network;
      late.network = network;
      stopSteps.push(() => network.stop());
    }
    const failed = kubelets.find((k): k is PromiseRejectedResult => k.status === 'rejected');
    if ('error' in started) throw started.error;
    if (failed) throw failed.reason;

    options.onPhase?.('addons');
    await applyEnabledAddons({ api, profile, profileDir, log });

    return { port: apiServer.port, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function requireNetwork(network: RunningNetwork | undefined): RunningNetwork {
  if (!network) throw new Error('the cluster network is not running yet');
  return network;
}

/** The pod sandbox image: its default command must block until SIGTERM. */
export function pauseImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBEDESK_PAUSE_IMAGE || 'registry.k8s.io/pause:3.10';
}
