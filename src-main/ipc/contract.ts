/**
 * The one contract between the renderer and the backend, whatever carries it (Electron IPC or the
 * dashboard's WebSocket). `InvokeMap` lists request/response calls, `PushMap` the messages the
 * backend sends on its own. Channel names exist once, here; transports and the preload read
 * `INVOKE_CHANNELS` / `PUSH_CHANNELS` instead of repeating them.
 *
 * Everything that crosses is plain JSON data. Failures cross as an `ErrorEnvelope` (see errors.ts).
 */
import type { ErrorEnvelope } from './errors';
import type { ExecExit, ExecOutput, ExecStartRequest, ExecStarted } from './exec';
import type {
  ClusterRegistry,
  ImageBuildRequest,
  ImageDeployRequest,
  ImageProgress,
  ImagePushRequest,
  ImageRow,
} from './images';
import type { UsageRequest, UsageSample } from './metrics';
import type { ServiceLink, TunnelInfo, TunnelStartRequest } from './tunnels';
import type { LogDownloadRequest, LogLine, LogSourceStatus, LogStreamRequest } from './streams';

/** Object metadata as the API server sends it (timestamps are RFC 3339 strings). */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

/** Any Kubernetes object; kind-specific parts are read with narrowing helpers. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [field: string]: unknown;
}

/** A resource type as discovery reports it. */
export interface ResourceType {
  /** "" for the core group. */
  group: string;
  version: string;
  /** Plural resource name, e.g. "deployments". */
  plural: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
}

/** The part of a ResourceType that addresses it. */
export type ResourceAddress = Pick<ResourceType, 'group' | 'version' | 'plural' | 'namespaced'>;

/** One object on one cluster. */
export interface ObjectRef {
  cluster: string;
  type: ResourceAddress;
  namespace?: string;
  name: string;
}

export type ClusterState = 'Running' | 'Starting' | 'Stopped' | 'Stopping' | 'Deleting' | 'Unknown';

/** A cluster the dashboard can open: a local profile or a kubeconfig context. */
export interface ClusterInfo {
  /** `profile:<name>` or `context:<name>`; stable, used in routes and query keys. */
  id: string;
  source: 'profile' | 'kubeconfig';
  name: string;
  state: ClusterState;
  /** API server URL. */
  server?: string;
  /** Configured nodes (profiles); nodes listed and Ready while running. */
  nodes?: number;
  nodesReady?: number;
  /** What keeps a running profile from working now (Docker down, nodes not Ready): cause and fix. */
  problems?: string[];
  kubernetesVersion?: string;
  cpus?: number;
  memoryMiB?: number;
  /** Whether this is the kubeconfig's current context. */
  current: boolean;
  /** For kubeconfig contexts: the context's namespace. */
  namespace?: string;
  /** An operation under way started from this backend (start, stop…). */
  busy?: ClusterOperation;
}

export type ClusterOperation = 'create' | 'start' | 'stop' | 'delete';

/** Result of one document of an apply. */
export interface AppliedObject {
  kind: string;
  name: string;
  namespace?: string;
  action: 'created' | 'configured' | 'replaced' | 'edited' | 'unchanged';
}

/** One revision of a Deployment (from its ReplicaSets). */
export interface RolloutRevision {
  revision: number;
  replicaSet: string;
  createdAt?: string;
  images: string[];
  changeCause?: string;
  /** The pod template of that revision, for a side-by-side view. */
  template: unknown;
  current: boolean;
}

export interface DrainResult {
  evicted: string[];
  /** Pods left alone, with why (DaemonSet-managed, mirror pod). */
  skipped: { name: string; reason: string }[];
}

export interface AppSettings {
  /** Keep engines running when the desktop window closes. */
  keepClustersRunning: boolean;
}

export type DeletePropagation = 'Background' | 'Foreground' | 'Orphan';

/** Request/response calls. Each takes one request object and resolves with the response. */
export interface InvokeMap {
  'app.info': {
    request: Record<string, never>;
    response: { version: string; mode: 'desktop' | 'browser'; kubeconfig: string; home: string };
  };
  'settings.get': { request: Record<string, never>; response: AppSettings };
  'settings.set': { request: Partial<AppSettings>; response: AppSettings };
  'clusters.list': { request: Record<string, never>; response: ClusterInfo[] };
  /** Creates a profile and starts it; progress arrives as `clusters.progress`. */
  'clusters.create': {
    request: { name: string; nodes?: number; cpus?: number; memoryMiB?: number };
    response: void;
  };
  'clusters.start': { request: { name: string }; response: void };
  'clusters.stop': { request: { name: string }; response: void };
  'clusters.delete': { request: { name: string }; response: void };
  'kube.discover': { request: { cluster: string }; response: ResourceType[] };
  'kube.list': {
    request: {
      cluster: string;
      type: ResourceAddress;
      namespace?: string;
      labelSelector?: string;
      fieldSelector?: string;
    };
    response: { items: KubeObject[]; resourceVersion: string };
  };
  'kube.get': { request: ObjectRef; response: KubeObject };
  /** Starts a watch from `resourceVersion`; events arrive as `watch.event` with the returned id. */
  'kube.watch': {
    request: {
      cluster: string;
      type: ResourceAddress;
      namespace?: string;
      resourceVersion: string;
    };
    response: { watchId: string };
  };
  'kube.unwatch': { request: { watchId: string }; response: void };
  /**
   * Applies YAML (one or more documents). `apply` = server-side apply (create or update),
   * `create` = create only, `replace` = update with the objects' resourceVersion (conflicts fail),
   * `edit` = what `kubectl edit` does: the change from `original` to `yaml` (one object) is sent as
   * a merge patch, so concurrent status updates do not make the edit fail.
   */
  'kube.apply': {
    request: {
      cluster: string;
      yaml: string;
      namespace?: string;
      mode: 'apply' | 'create' | 'replace' | 'edit';
      original?: string;
      /** Only check: the server validates and defaults but stores nothing (`dryRun=All`). */
      dryRun?: boolean;
    };
    response: AppliedObject[];
  };
  'kube.delete': { request: ObjectRef & { propagationPolicy?: DeletePropagation }; response: void };
  'kube.scale': { request: ObjectRef & { replicas: number }; response: KubeObject };
  'kube.rolloutRestart': { request: ObjectRef; response: KubeObject };
  'kube.rolloutHistory': { request: ObjectRef; response: RolloutRevision[] };
  'kube.rolloutUndo': { request: ObjectRef & { toRevision?: number }; response: KubeObject };
  'kube.cordon': { request: { cluster: string; name: string; unschedulable: boolean }; response: KubeObject };
  'kube.drain': { request: { cluster: string; name: string }; response: DrainResult };
  /** Follows logs; lines arrive as `logs.lines`, per-source states as `logs.status`. */
  'logs.start': { request: LogStreamRequest; response: { streamId: string } };
  'logs.stop': { request: { streamId: string }; response: void };
  /** The entire log, read from the API server. */
  'logs.download': { request: LogDownloadRequest; response: { text: string } };
  /** Opens a shell in a container; output arrives as `exec.output`, the end as `exec.exit`. */
  'exec.start': { request: ExecStartRequest; response: ExecStarted };
  'exec.input': { request: { sessionId: string; data: string }; response: void };
  'exec.resize': { request: { sessionId: string; cols: number; rows: number }; response: void };
  'exec.stop': { request: { sessionId: string }; response: void };
  /** URLs that reach a Service or Ingress from this machine. */
  'access.links': {
    request: { cluster: string; kind: 'Service' | 'Ingress'; namespace: string; name: string };
    response: ServiceLink[];
  };
  'tunnels.list': { request: Record<string, never>; response: TunnelInfo[] };
  /** Starts a port-forward tunnel from a local port (a free one when none is given). */
  'tunnels.start': { request: TunnelStartRequest; response: TunnelInfo };
  'tunnels.stop': { request: { id: string }; response: void };
  /** Current CPU and memory of a pod or node, from metrics.k8s.io. */
  'metrics.usage': { request: UsageRequest; response: UsageSample };
  /** Images of the host's Docker engine. */
  'images.list': { request: Record<string, never>; response: ImageRow[] };
  'images.remove': { request: { image: string; force?: boolean }; response: void };
  /** Builds an image; progress arrives as `images.progress` with the request's operationId. */
  'images.build': { request: ImageBuildRequest; response: { id: string; tags: string[] } };
  /** Pushes an image (tagged as `target` first); progress arrives as `images.progress`. */
  'images.push': { request: ImagePushRequest; response: { digest?: string } };
  /** The cluster's registry addon, if enabled. */
  'images.registry': { request: { cluster: string }; response: ClusterRegistry };
  /** Creates or updates a Deployment running the image and a NodePort Service in front of it. */
  'images.deploy': { request: ImageDeployRequest; response: AppliedObject[] };
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** Messages the backend sends unasked. */
export interface PushMap {
  'watch.event': { watchId: string; events: { type: WatchEventType; object: KubeObject }[] };
  /** The watch stopped; `error.kind === 'Gone'` means list again. */
  'watch.ended': { watchId: string; error?: ErrorEnvelope };
  /** A step of a cluster operation (the same lines `kubedesk start` prints). */
  'clusters.progress': {
    name: string;
    operation: ClusterOperation;
    step: string;
    state: 'running' | 'done' | 'failed';
  };
  /** The set or states of clusters changed; lists should be read again. */
  'clusters.changed': Record<string, never>;
  'logs.lines': { streamId: string; lines: LogLine[] };
  'logs.status': LogSourceStatus;
  'exec.output': ExecOutput;
  'exec.exit': ExecExit;
  'images.progress': ImageProgress;
}

export type InvokeChannel = keyof InvokeMap;
export type PushChannel = keyof PushMap;
export type InvokeRequest<C extends InvokeChannel> = InvokeMap[C]['request'];
export type InvokeResponse<C extends InvokeChannel> = InvokeMap[C]['response'];

/** Every invoke channel; the record type makes the compiler reject a missing or extra name. */
const INVOKE_CHANNEL_SET: Record<InvokeChannel, true> = {
  'app.info': true,
  'settings.get': true,
  'settings.set': true,
  'clusters.list': true,
  'clusters.create': true,
  'clusters.start': true,
  'clusters.stop': true,
  'clusters.delete': true,
  'kube.discover': true,
  'kube.list': true,
  'kube.get': true,
  'kube.watch': true,
  'kube.unwatch': true,
  'kube.apply': true,
  'kube.delete': true,
  'kube.scale': true,
  'kube.rolloutRestart': true,
  'kube.rolloutHistory': true,
  'kube.rolloutUndo': true,
  'kube.cordon': true,
  'kube.drain': true,
  'logs.start': true,
  'logs.stop': true,
  'logs.download': true,
  'exec.start': true,
  'exec.input': true,
  'exec.resize': true,
  'exec.stop': true,
  'access.links': true,
  'tunnels.list': true,
  'tunnels.start': true,
  'tunnels.stop': true,
  'metrics.usage': true,
  'images.list': true,
  'images.remove': true,
  'images.build': true,
  'images.push': true,
  'images.registry': true,
  'images.deploy': true,
};

const PUSH_CHANNEL_SET: Record<PushChannel, true> = {
  'watch.event': true,
  'watch.ended': true,
  'clusters.progress': true,
  'clusters.changed': true,
  'logs.lines': true,
  'logs.status': true,
  'exec.output': true,
  'exec.exit': true,
  'images.progress': true,
};

export const INVOKE_CHANNELS = Object.keys(INVOKE_CHANNEL_SET) as InvokeChannel[];
export const PUSH_CHANNELS = Object.keys(PUSH_CHANNEL_SET) as PushChannel[];

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && Object.hasOwn(INVOKE_CHANNEL_SET, value);
}

export function isPushChannel(value: unknown): value is PushChannel {
  return typeof value === 'string' && Object.hasOwn(PUSH_CHANNEL_SET, value);
}

/** What a backend implements: one async handler per invoke channel. */
export type InvokeHandlers = {
  [C in InvokeChannel]: (request: InvokeRequest<C>, session: Session) => Promise<InvokeResponse<C>>;
};

/** One connected renderer: where pushes go, and what to clean up when it leaves. */
export interface Session {
  readonly id: string;
  push<C extends PushChannel>(channel: C, payload: PushMap[C]): void;
  /** Runs `cleanup` when the session closes (or at once if it already has). */
  onClose(cleanup: () => void): void;
}

/** How a result crosses: exactly one of `result` or `error`. */
export type InvokeOutcome<T> = { ok: true; result: T } | { ok: false; error: ErrorEnvelope };

/** Wire frames of the WebSocket transport. */
export type ClientFrame = { t: 'invoke'; id: number; channel: InvokeChannel; request: unknown };
export type ServerFrame =
  | { t: 'result'; id: number; outcome: InvokeOutcome<unknown> }
  | { t: 'push'; channel: PushChannel; payload: unknown };

/** The bridge the preload exposes on `window.kubedesk` (desktop) — the renderer's only door. */
export interface DesktopBridge {
  invoke(channel: InvokeChannel, request: unknown): Promise<InvokeOutcome<unknown>>;
  /** Subscribes to a push channel; returns the unsubscribe function. */
  on(channel: PushChannel, listener: (payload: unknown) => void): () => void;
}
