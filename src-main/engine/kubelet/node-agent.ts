import { randomUUID } from 'node:crypto';
import { ApiError } from '../apiserver/status';
import type { ObjectApi } from '../apiserver/object-api';
import type { Clock } from '../controllers/runtime/clock';
import type { KubeObject } from '../k8s-object';
import { nodeLabels, nodeStatus, type NodeFacts } from './node-status';
import { LEASES, NODES } from './resources';
import { rfc3339 } from './status';

/** How often the node Lease is renewed (the kubelet's default). */
export const LEASE_RENEW_MS = 10_000;
/** How often the Node status is reported when nothing changed. */
export const NODE_STATUS_REPORT_MS = 60_000;
const LEASE_DURATION_SECONDS = 40;

/**
 * Registers the Node and keeps it alive: creates it (or refreshes labels and status of an
 * existing one), renews its Lease in kube-node-lease every 10 s and reports its status
 * every minute.
 */
export class NodeAgent {
  private readonly bootId = randomUUID();
  private cancelLease?: () => void;
  private cancelStatus?: () => void;
  private stopped = false;

  constructor(
    private readonly api: ObjectApi,
    private readonly clock: Clock,
    private readonly facts: NodeFacts,
    private readonly onError: (error: unknown) => void = () => undefined,
    /** Answers when the container engine is healthy; throws otherwise. */
    private readonly checkRuntime: () => Promise<void> = () => Promise.resolve(),
  ) {}

  start(): KubeObject {
    const node = this.register();
    this.renewLease();
    this.cancelLease = this.every(LEASE_RENEW_MS, () => {
      this.renewLease();
      void this.checkHealth();
    });
    this.cancelStatus = this.every(NODE_STATUS_REPORT_MS, () => this.register());
    return node;
  }

  stop(): void {
    this.stopped = true;
    this.cancelLease?.();
    this.cancelStatus?.();
  }

  private every(ms: number, work: () => void): () => void {
    let cancel = () => {};
    const tick = () => {
      if (this.stopped) return;
      try {
        work();
      } catch (error) {
        this.onError(error);
      }
      cancel = this.clock.setTimer(ms, tick);
    };
    cancel = this.clock.setTimer(ms, tick);
    return () => cancel();
  }

  /** Reports the node NotReady while the engine is down, and Ready again once it answers. */
  private async checkHealth(): Promise<void> {
    let down: string | undefined;
    try {
      await this.checkRuntime();
    } catch (error) {
      down = error instanceof Error ? error.message : String(error);
    }
    if (this.stopped || (down === undefined) === (this.facts.runtimeDown === undefined)) return;
    this.facts.runtimeDown = down;
    try {
      this.register();
    } catch (error) {
      this.onError(error);
    }
  }

  /** Creates or refreshes the Node; returns it as stored. */
  register(): KubeObject {
    const now = rfc3339(this.clock.now()) ?? '';
    const name = this.facts.nodeName;
    const existing = this.getOrUndefined(NODES, undefined, name);
    const status = nodeStatus(this.facts, existing, now, this.bootId);
    if (!existing) {
      try {
        const created = this.api.create(NODES, undefined, {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: {
            name,
            labels: nodeLabels(this.facts),
            annotations: {
              'node.alpha.kubernetes.io/ttl': '0',
              'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
            },
          },
          spec: {},
          status,
        });
        return this.api.update(NODES, undefined, { ...created, status }, { subresource: 'status' });
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 409) throw error;
        return this.register();
      }
    }
    const labels = { ...(existing.metadata.labels ?? {}), ...nodeLabels(this.facts) };
    let current = existing;
    if (JSON.stringify(labels) !== JSON.stringify(existing.metadata.labels ?? {})) {
      current = this.api.update(NODES, undefined, {
        ...existing,
        metadata: { ...existing.metadata, labels },
      });
    }
    return this.api.update(NODES, undefined, { ...current, status }, { subresource: 'status' });
  }

  private renewLease(): void {
    const name = this.facts.nodeName;
    const renewTime = this.clock.now().toISOString().replace(/Z$/, '000Z');
    const existing = this.getOrUndefined(LEASES, 'kube-node-lease', name);
    if (existing) {
      const spec = (existing.spec ?? {}) as Record<string, unknown>;
      this.api.update(LEASES, 'kube-node-lease', {
        ...existing,
        spec: { ...spec, holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime },
      });
      return;
    }
    const node = this.getOrUndefined(NODES, undefined, name);
    this.api.create(LEASES, 'kube-node-lease', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name,
        namespace: 'kube-node-lease',
        ...(node
          ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid ?? '' }] }
          : {}),
      },
      spec: { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime },
    });
  }

  private getOrUndefined(
    gvr: typeof NODES,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    try {
      return this.api.get(gvr, namespace, name);
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) return undefined;
      throw error;
    }
  }
}
