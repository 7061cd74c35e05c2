import { readFile } from 'node:fs/promises';
import type { ApiEndpoint } from '../engine/profiles/api-probe';
import { apiGet } from '../engine/profiles/api-probe';
import { readCurrentContext } from '../engine/profiles/kubeconfig';
import { profilePaths } from '../engine/profiles/paths';
import { pkiFilePaths } from '../engine/profiles/pki-files';
import type { ProfileState } from '../engine/profiles/profile-store';
import { readProfileStatus } from '../engine/profiles/profile-store';
import type { ProfileConfig } from '../engine/profiles/types';

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
  const [ready, nodes] = await Promise.all([
    apiGet(endpoint, '/readyz', 1_500),
    apiGet(endpoint, '/api/v1/nodes', 2_000),
  ]);
  view.apiServerReady = 'status' in ready && ready.status === 200;
  if ('status' in nodes && nodes.status === 200) {
    const counted = countNodes(nodes.body);
    if (counted) {
      view.nodesListed = counted.listed;
      view.nodesReady = counted.ready;
    }
  }
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

function countNodes(body: string): { listed: number; ready: number } | undefined {
  try {
    const list = JSON.parse(body) as {
      items?: { status?: { conditions?: { type?: string; status?: string }[] } }[];
    };
    const items = list.items ?? [];
    const ready = items.filter((node) =>
      (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    ).length;
    return { listed: items.length, ready };
  } catch {
    return undefined;
  }
}
