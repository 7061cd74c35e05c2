import Docker from 'dockerode';
import { readFile } from 'node:fs/promises';
import type { ApiEndpoint } from '../engine/profiles/api-probe';
import { apiGet } from '../engine/profiles/api-probe';
import { readCurrentContext } from '../engine/profiles/kubeconfig';
import { profilePaths } from '../engine/profiles/paths';
import { pkiFilePaths } from '../engine/profiles/pki-files';
import type { ProfileState } from '../engine/profiles/profile-store';
import { readProfileStatus } from '../engine/profiles/profile-store';
import type { ProfileConfig } from '../engine/profiles/types';
import { DockerRuntime } from '../engine/runtime/docker/docker-runtime';

/** What `status` and `profile list` report about one profile (also their JSON output). */
export interface ProfileView {
  name: string;
  state: ProfileState;
  /** `https://127.0.0.1:<port>`: the running engine's port, else the configured one. */
  apiServerUrl: string;
  /** Whether `/readyz` answered 200 just now (only probed while Running). */
  apiServerReady: boolean;
  /** Nodes the profile is configured with. */
  nodes: number;
  /** Nodes the API server lists, and how many are Ready (only while Running and answering). */
  nodesListed?: number;
  nodesReady?: number;
  /**
   * What keeps a running cluster from working right now, each a one-line cause and fix: the
   * Docker engine not answering, nodes not Ready (with their reason). Empty when all is well.
   */
  problems?: string[];
  /** The engine's pid while one lives. */
  pid?: number;
  /** The kubeconfig context of the profile, and whether it is the current one. */
  context: string;
  currentContext: boolean;
  kubernetesVersion: string;
  createdAt: string;
  startedAt?: string;
}

/** Gathers the view of a profile: files, process liveness, and (if it runs) a quick API check. */
export async function viewProfile(
  config: ProfileConfig,
  home: string,
  kubeconfig: string,
): Promise<ProfileView> {
  const status = await readProfileStatus(config.name, home);
  const port = status.engine?.apiServerPort ?? config.apiServerPort;
  const view: ProfileView = {
    name: config.name,
    state: status.state,
    apiServerUrl: `https://127.0.0.1:${port}`,
    apiServerReady: false,
    nodes: config.nodes,
    ...(status.pid !== undefined ? { pid: status.pid } : {}),
    context: config.name,
    currentContext: (await readCurrentContext(kubeconfig).catch(() => undefined)) === config.name,
    kubernetesVersion: config.kubernetesVersion,
    createdAt: config.createdAt,
    ...(status.engine ? { startedAt: status.engine.startedAt } : {}),
  };
  if (status.state !== 'Running') return view;

  const endpoint = await adminEndpoint(config.name, home, port);
  if (!endpoint) return view;
  const [ready, nodes, dockerProblem] = await Promise.all([
    apiGet(endpoint, '/readyz', 1_500),
    apiGet(endpoint, '/api/v1/nodes', 2_000),
    probeDocker(),
  ]);
  view.apiServerReady = 'status' in ready && ready.status === 200;
  const problems: string[] = dockerProblem
    ? [`${dockerProblem}; the cluster recovers by itself once it answers`]
    : [];
  if ('status' in nodes && nodes.status === 200) {
    const counted = countNodes(nodes.body);
    if (counted) {
      view.nodesListed = counted.listed;
      view.nodesReady = counted.ready;
      // While Docker is down every node says so too: the Docker line already tells it.
      if (!dockerProblem) problems.push(...counted.notReady);
    }
  }
  view.problems = problems;
  return view;
}

/** The admin endpoint of a profile from its PKI files, or undefined if they are missing. */
export async function adminEndpoint(
  name: string,
  home: string,
  port: number,
): Promise<ApiEndpoint | undefined> {
  const files = pkiFilePaths(profilePaths(name, home).dir);
  try {
    const [caCertPem, clientCertPem, clientKeyPem] = await Promise.all([
      readFile(files.caCert, 'utf8'),
      readFile(files.adminCert, 'utf8'),
      readFile(files.adminKey, 'utf8'),
    ]);
    return { port, caCertPem, clientCertPem, clientKeyPem };
  } catch {
    return undefined;
  }
}

/** The Docker engine's answer to a ping: undefined when it answers, else one line of cause and fix. */
async function probeDocker(): Promise<string | undefined> {
  try {
    await new DockerRuntime({ docker: new Docker({ timeout: DOCKER_PING_TIMEOUT_MS }) }).ping();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const DOCKER_PING_TIMEOUT_MS = 1_500;

interface NodeList {
  items?: {
    metadata?: { name?: string };
    status?: { conditions?: { type?: string; status?: string; message?: string }[] };
  }[];
}

function countNodes(body: string): { listed: number; ready: number; notReady: string[] } | undefined {
  try {
    const items = (JSON.parse(body) as NodeList).items ?? [];
    const notReady: string[] = [];
    for (const node of items) {
      const condition = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
      if (condition?.status === 'True') continue;
      const reason = condition?.message ? `: ${condition.message}` : '';
      notReady.push(`node ${node.metadata?.name ?? '?'} is not Ready${reason}`);
    }
    return { listed: items.length, ready: items.length - notReady.length, notReady };
  } catch {
    return undefined;
  }
}
