/**
 * A whole engine (controllers, kubelets, network on the real Docker engine) started in-process
 * for an integration test, with the real kubectl pointed at it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKubectl, writeTestKubeconfig } from '../../src-main/engine/apiserver/testing/kubectl';
import type { KubectlOptions, KubectlResult } from '../../src-main/engine/apiserver/testing/kubectl';
import { startCluster } from '../../src-main/engine/cluster';
import type { RunningCluster } from '../../src-main/engine/cluster';
import { removeProfileNetwork } from '../../src-main/engine/network';
import { ensureProfilePki } from '../../src-main/engine/profiles/pki';
import { profilePaths } from '../../src-main/engine/profiles/paths';
import { createProfile } from '../../src-main/engine/profiles/profile-store';
import type { ProfileConfig, ProfilePki } from '../../src-main/engine/profiles/types';
import { DockerRuntime } from '../../src-main/engine/runtime/docker/docker-runtime';
import { LABELS } from '../../src-main/engine/runtime/types';

// The images npm test builds locally; no public registry is reachable from tests.
process.env.KUBEDESK_PAUSE_IMAGE ||= 'kubedesk-test/pause:1';
process.env.KUBEDESK_AGENT_BASE_IMAGE ||= 'kubedesk-test/node:1';

/** The busybox image tests run their pods with (built locally, never pulled). */
export const TEST_BUSYBOX_IMAGE = process.env.KUBEDESK_TEST_BUSYBOX_IMAGE || 'kubedesk-test/busybox:1';

export interface TestProfileOptions {
  /** Start of the profile name; a random hex suffix keeps concurrent runs apart. */
  namePrefix: string;
  /** Start of the temporary directory that holds the profile's home and kubeconfig. */
  dirPrefix: string;
  /** Node count; the profile default (1) when left out. */
  nodes?: number;
  /** How long one `kubectl` call of {@link TestProfile.kubectl} may take. */
  kubectlTimeoutMs: number;
}

export interface TestProfile {
  /** The temporary directory: kubeconfig, client certificates, and `home/`. Set by `start`. */
  readonly dir: string;
  /** KUBEDESK_HOME of the profile. Set by `start`. */
  readonly home: string;
  /** Set by `start`. */
  readonly config: ProfileConfig;
  /** Set by `start`. */
  readonly kubeconfig: string;
  /**
   * Creates a fresh profile in a temporary home, starts its engine in this process and writes a
   * kubeconfig for it. Call once, from `beforeAll`.
   */
  start(): Promise<void>;
  /** Runs kubectl against the engine; resolves with stdout, rejects with stderr and stdout on failure. */
  readonly kubectl: (args: string[], input?: string) => Promise<string>;
  /** Runs kubectl against the engine and resolves with its exit code and output, whatever they are. */
  readonly runKubectl: (args: string[], options?: KubectlOptions) => Promise<KubectlResult>;
  /** Stops the engine and starts it again on the same profile (state, PKI and port kept). */
  restart(): Promise<void>;
  /**
   * Stops the engine and removes every container, the network and the directory of the profile;
   * safe to call from `afterAll` after a `start` that failed half-way.
   */
  cleanup(): Promise<void>;
}

async function osChosenPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Started {
  dir: string;
  home?: string;
  config?: ProfileConfig;
  profileDir?: string;
  pki?: ProfilePki;
  cluster?: RunningCluster;
  kubeconfig?: string;
}

/** Describes an engine profile for one test file; nothing happens until its `start`. */
export function testProfile(options: TestProfileOptions): TestProfile {
  let state: Started | undefined;
  const started = (): Started => {
    if (!state) throw new Error('the test profile is not started: call start() first');
    return state;
  };
  const need = <K extends keyof Started>(key: K): NonNullable<Started[K]> => {
    const value = started()[key];
    if (value === undefined || value === null)
      throw new Error(`the test profile has no ${key} yet: start it first`);
    return value;
  };
  const startEngine = () =>
    startCluster({
      config: need('config'),
      profileDir: need('profileDir'),
      pki: need('pki'),
      log: () => undefined,
    });
  const runKubectlHere = (args: string[], kubectlOptions?: KubectlOptions) =>
    runKubectl(need('kubeconfig'), need('dir'), args, kubectlOptions);

  return {
    get dir() {
      return need('dir');
    },
    get home() {
      return need('home');
    },
    get config() {
      return need('config');
    },
    get kubeconfig() {
      return need('kubeconfig');
    },
    async start() {
      const started: Started = { dir: await mkdtemp(join(tmpdir(), options.dirPrefix)) };
      state = started;
      started.home = join(started.dir, 'home');
      started.config = await createProfile(
        {
          name: `${options.namePrefix}${randomBytes(3).toString('hex')}`,
          apiServerPort: await osChosenPort(),
          nodes: options.nodes,
        },
        started.home,
      );
      started.profileDir = profilePaths(started.config.name, started.home).dir;
      started.pki = await ensureProfilePki(started.profileDir);
      started.cluster = await startEngine();
      started.kubeconfig = await writeTestKubeconfig(started.dir, started.cluster.port, started.pki);
    },
    kubectl: async (args, input) => {
      const result = await runKubectlHere(args, { input, timeoutMs: options.kubectlTimeoutMs });
      if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}${result.stdout}`);
      return result.stdout;
    },
    runKubectl: runKubectlHere,
    async restart() {
      const current = started();
      await current.cluster?.stop();
      current.cluster = await startEngine();
    },
    async cleanup() {
      if (!state) return;
      await state.cluster?.stop();
      if (state.config) {
        const name = state.config.name;
        const runtime = new DockerRuntime();
        await runtime.docker
          .listContainers({ all: true, filters: { label: [`${LABELS.profile}=${name}`] } })
          .then((left) => Promise.all(left.map((c) => runtime.remove(c.Id))));
        await removeProfileNetwork(runtime.docker, name);
      }
      await rm(state.dir, { recursive: true, force: true });
    },
  };
}
