import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../k8s-object';
import type { VirtualResource, VirtualResourceRequest } from '../apiserver/http/extensions';
import { sendJson } from '../apiserver/http/respond';
import type { ObjectApi } from '../apiserver/object-api';
import type { ResourceDefinition } from '../apiserver/registry/types';
import { methodNotAllowed, notFound } from '../apiserver/status';
import type { ContainerRuntime } from '../runtime/types';
import { formatBytes, formatGoDuration, formatNanoCores } from './quantities';
import { UsageSampler } from './sampler';
import type { ContainerUsage, UsageSamplerOptions } from './sampler';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

const definition = (kind: string, plural: string, namespaced: boolean): ResourceDefinition => ({
  group: METRICS_GROUP,
  version: METRICS_VERSION,
  kind,
  listKind: `${kind}List`,
  plural,
  singular: '',
  namespaced,
  verbs: ['get', 'list'],
  subresources: [],
  hasStatusSubresource: false,
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name of the resource', priority: 0 },
    ],
    cells: (obj) => [obj.metadata?.name ?? ''],
  },
});

export interface MetricsApiOptions {
  runtime: ContainerRuntime;
  /** The profile whose containers (label `io.kubedesk.profile`) run the cluster's pods. */
  profile: string;
  /** Where pods and nodes are read from (labels, phases, selectors). */
  api: ObjectApi;
  sampler?: UsageSamplerOptions;
}

export interface MetricsApi {
  /** Stops background sampling. */
  stop(): void;
}

interface PodUsage {
  timestamp: Date;
  windowMs: number;
  containers: Array<{ name: string; cpuNanoCores: number; memoryBytes: number }>;
}

/**
 * Serves `metrics.k8s.io/v1beta1` PodMetrics and NodeMetrics (get and list, with label and
 * field selectors) from the runtime's container stats, so `kubectl top pods|nodes` works.
 * CPU is the rate of cumulative CPU time over the window between two samples; memory is
 * the working set. A pod is listed once every container it runs has been sampled twice.
 */
export function registerMetricsApi(
  server: { registerVirtualResource: (resource: VirtualResource) => void },
  options: MetricsApiOptions,
): MetricsApi {
  const sampler = new UsageSampler(options.runtime, options.profile, options.sampler);
  server.registerVirtualResource({
    definition: definition('PodMetrics', 'pods', true),
    handle: (request, res) => servePods(request, res, options.api, sampler),
  });
  server.registerVirtualResource({
    definition: definition('NodeMetrics', 'nodes', false),
    handle: (request, res) => serveNodes(request, res, options.api, sampler),
  });
  return { stop: () => sampler.stop() };
}

function checkVerb(request: VirtualResourceRequest): void {
  if (request.verb !== 'get' && request.verb !== 'list')
    throw methodNotAllowed(`the server does not allow this method on the requested resource`);
}

/** The current container of each name (highest restart count) among a pod's app containers. */
export function podUsage(pod: KubeObject, usage: ContainerUsage[]): PodUsage | undefined {
  const uid = pod.metadata?.uid;
  const latest = new Map<string, ContainerUsage>();
  for (const u of usage) {
    if (u.podUid !== uid || u.role !== 'app') continue;
    const known = latest.get(u.container);
    if (!known || u.restartCount > known.restartCount) latest.set(u.container, u);
  }
  const spec = pod.spec as { containers?: Array<{ name: string }> } | undefined;
  const wanted = (spec?.containers ?? []).map((c) => c.name);
  const status = pod.status as { phase?: string } | undefined;
  if (status?.phase !== 'Running' || wanted.length === 0) return undefined;
  const running = wanted.filter((name) => latest.has(name));
  if (running.length === 0) return undefined;
  const items = running.map((name) => latest.get(name) as ContainerUsage);
  const newest = items.reduce((a, b) => (b.timestamp > a.timestamp ? b : a));
  return {
    timestamp: newest.timestamp,
    windowMs: newest.windowMs,
    containers: items.map((u) => ({
      name: u.container,
      cpuNanoCores: u.cpuNanoCores,
      memoryBytes: u.memoryBytes,
    })),
  };
}

function metadataOf(obj: KubeObject, now: Date): Record<string, unknown> {
  const m = obj.metadata ?? {};
  return {
    name: m.name,
    ...(m.namespace ? { namespace: m.namespace } : {}),
    creationTimestamp: now.toISOString(),
    ...(m.labels ? { labels: m.labels } : {}),
  };
}

async function servePods(
  request: VirtualResourceRequest,
  res: ServerResponse,
  api: ObjectApi,
  sampler: UsageSampler,
): Promise<void> {
  checkVerb(request);
  const pods = request.name
    ? [api.get({ group: '', version: 'v1', resource: 'pods' }, request.namespace, request.name)].filter(
        Boolean,
      )
    : api.list(
        { group: '', version: 'v1', resource: 'pods' },
        {
          namespace: request.namespace,
          labelSelector: request.query.get('labelSelector') ?? undefined,
          fieldSelector: request.query.get('fieldSelector') ?? undefined,
        },
      ).items;
  const usage = await sampler.usage();
  const now = new Date();
  const items: Array<Record<string, unknown>> = [];
  for (const pod of pods) {
    const found = podUsage(pod, usage);
    if (!found) continue;
    items.push({
      metadata: metadataOf(pod, now),
      timestamp: found.timestamp.toISOString(),
      window: formatGoDuration(found.windowMs),
      containers: found.containers.map((c) => ({
        name: c.name,
        usage: { cpu: formatNanoCores(c.cpuNanoCores), memory: formatBytes(c.memoryBytes) },
      })),
    });
  }
  if (request.name) {
    if (items.length === 0) throw notFound({ resource: 'pods', group: METRICS_GROUP, name: request.name });
    sendJson(res, 200, { kind: 'PodMetrics', apiVersion: API_VERSION, ...items[0] });
    return;
  }
  sendJson(res, 200, { kind: 'PodMetricsList', apiVersion: API_VERSION, metadata: {}, items });
}

async function serveNodes(
  request: VirtualResourceRequest,
  res: ServerResponse,
  api: ObjectApi,
  sampler: UsageSampler,
): Promise<void> {
  checkVerb(request);
  const gvr = { group: '', version: 'v1', resource: 'nodes' };
  const nodes = request.name
    ? [api.get(gvr, undefined, request.name)]
    : api.list(gvr, {
        labelSelector: request.query.get('labelSelector') ?? undefined,
        fieldSelector: request.query.get('fieldSelector') ?? undefined,
      }).items;
  const usage = await sampler.usage();
  const now = new Date();
  const items = nodes.map((node) => {
    // A node's usage is everything it runs, pod sandboxes included, as the kubelet's
    // summary counts the whole machine slice.
    const mine = usage.filter((u) => u.node === node.metadata?.name);
    const newest = mine.reduce<ContainerUsage | undefined>(
      (a, b) => (!a || b.timestamp > a.timestamp ? b : a),
      undefined,
    );
    return {
      metadata: metadataOf(node, now),
      timestamp: (newest?.timestamp ?? now).toISOString(),
      window: formatGoDuration(newest?.windowMs ?? 0),
      usage: {
        cpu: formatNanoCores(mine.reduce((sum, u) => sum + u.cpuNanoCores, 0)),
        memory: formatBytes(mine.reduce((sum, u) => sum + u.memoryBytes, 0)),
      },
    };
  });
  if (request.name) {
    sendJson(res, 200, { kind: 'NodeMetrics', apiVersion: API_VERSION, ...items[0] });
    return;
  }
  sendJson(res, 200, { kind: 'NodeMetricsList', apiVersion: API_VERSION, metadata: {}, items });
}
