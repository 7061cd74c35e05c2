import type { ResourceType } from '../../ipc/contract';
import type { ClusterService } from '../clusters/cluster-service';
import { discoverResources } from './discovery';
import { KubeOperations } from './kube-operations';
import { KubeRest } from './kube-rest';

/** REST access, operations and the discovered types of one cluster. */
export interface ClusterAccess {
  rest: KubeRest;
  ops: KubeOperations;
  types(): Promise<ResourceType[]>;
}

/** How long discovery results are reused before asking again (CRDs come and go). */
const DISCOVERY_TTL_MS = 60_000;

/**
 * Hands out one `ClusterAccess` per cluster and server URL: a profile restarted on another port
 * gets fresh access, an unchanged one keeps its discovery cache.
 */
export class ClusterAccessCache {
  private readonly entries = new Map<string, { server: string; access: ClusterAccess }>();

  constructor(private readonly clusters: ClusterService) {}

  async get(clusterId: string): Promise<ClusterAccess> {
    const config = await this.clusters.kubeConfigFor(clusterId);
    const rest = new KubeRest(config);
    const server = rest.server;
    const cached = this.entries.get(clusterId);
    if (cached && cached.server === server) return cached.access;
    let discovered: { at: number; types: Promise<ResourceType[]> } | undefined;
    const types = () => {
      if (!discovered || Date.now() - discovered.at > DISCOVERY_TTL_MS) {
        const promise = discoverResources(rest);
        discovered = { at: Date.now(), types: promise };
        promise.catch(() => (discovered = undefined));
      }
      return discovered.types;
    };
    const access: ClusterAccess = { rest, ops: new KubeOperations(rest, types), types };
    this.entries.set(clusterId, { server, access });
    return access;
  }
}
