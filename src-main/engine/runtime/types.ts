import type { Duplex, Readable, Writable } from 'node:stream';

/**
 * The narrow interface between the kubelet and a container engine. A pod is a sandbox
 * container (holding the network namespace, hostname and DNS settings) plus init and app
 * containers joined to it. Every container carries labels (see `LABELS`) so that an engine
 * that restarts can find and re-adopt what is running.
 */

/** Label keys put on every managed container. */
export const LABELS = {
  profile: 'io.kubedesk.profile',
  node: 'io.kubedesk.node',
  podUid: 'io.kubedesk.pod-uid',
  podName: 'io.kubedesk.pod-name',
  podNamespace: 'io.kubedesk.pod-namespace',
  container: 'io.kubedesk.container',
  role: 'io.kubedesk.role',
  restartCount: 'io.kubedesk.restart-count',
  specHash: 'io.kubedesk.spec-hash',
} as const;

/** `ephemeral`: a debugging container added to a running pod (`kubectl debug`). */
export type ContainerRole = 'sandbox' | 'init' | 'app' | 'ephemeral';

export interface PodIdentity {
  profile: string;
  node: string;
  podUid: string;
  podName: string;
  podNamespace: string;
}

export interface SandboxSpec extends PodIdentity {
  image: string;
  network: string;
  hostname: string;
  /** Fully qualified domain part, e.g. "web.default.svc.cluster.local" for a subdomain. */
  domainname?: string;
  dns?: { servers: string[]; searches: string[]; options: string[] };
  /** Extra /etc/hosts entries, "name:ip". */
  extraHosts?: string[];
  /** Host ports to publish from the sandbox (pod hostPort). */
  hostPorts?: Array<{ containerPort: number; hostPort: number; protocol: 'tcp' | 'udp'; hostIp?: string }>;
  /** Shared memory and pod-level sysctls are sandbox properties in Docker. */
  sysctls?: Record<string, string>;
}

export interface Mount {
  source: string;
  target: string;
  readOnly?: boolean;
}

export interface ContainerSpec extends PodIdentity {
  name: string;
  role: Exclude<ContainerRole, 'sandbox'>;
  restartCount: number;
  image: string;
  /** Overrides the image ENTRYPOINT when set (Kubernetes `command`). */
  command?: string[];
  /** Overrides the image CMD when set (Kubernetes `args`). */
  args?: string[];
  env: string[];
  workingDir?: string;
  mounts: Mount[];
  user?: string;
  privileged?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  readOnlyRootFilesystem?: boolean;
  /** CPU limit in nano-CPUs. */
  nanoCpus?: number;
  /** Relative CPU weight (from the CPU request), as cgroup cpu.shares. */
  cpuShares?: number;
  /** Extra groups of the container's process (fsGroup, supplementalGroups). */
  groupAdd?: string[];
  /** `allowPrivilegeEscalation: false`. */
  noNewPrivileges?: boolean;
  memoryBytes?: number;
  tty?: boolean;
  stdin?: boolean;
  stdinOnce?: boolean;
  /** A hash of the Kubernetes container spec, to notice changes. */
  specHash: string;
  /**
   * The pod's termination grace period: how long a stop that does not come from the kubelet
   * (`kubedesk stop`, Docker shutting down) waits before SIGKILL.
   */
  stopGraceSeconds?: number;
  /**
   * Join the PID namespace of this container (the sandbox for `shareProcessNamespace`, the
   * target container for an ephemeral container with `targetContainerName`).
   */
  pidNamespaceOf?: string;
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'exited' | 'dead' | 'removing';

export interface ManagedContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
  role: ContainerRole;
  /** The Kubernetes container name ("" for a sandbox). */
  container: string;
  restartCount: number;
  state: ContainerState;
  exitCode: number;
  oomKilled: boolean;
  /** Docker's error string when the container failed to start. */
  error?: string;
  image: string;
  imageId: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** IP address on the profile network (sandboxes only). */
  ipAddress?: string;
}

export interface LogOptions {
  follow?: boolean;
  timestamps?: boolean;
  /** Unix seconds. */
  since?: number;
  tail?: number;
  /** Stop following when this signal aborts. */
  signal?: AbortSignal;
}

export interface ExecOptions {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** A running exec or attach session. Streams end when the process does. */
export interface StreamSession {
  stdin?: Writable;
  stdout: Readable;
  /** Absent with a TTY: the terminal merges stderr into stdout. */
  stderr?: Readable;
  resize(size: { width: number; height: number }): Promise<void>;
  /** Resolves with the exit code when the process has ended. */
  exitCode: Promise<number>;
  close(): void;
}

export interface ContainerStats {
  /** Cumulative CPU time in nanoseconds. */
  cpuUsageNanos: number;
  /** Working-set memory in bytes. */
  memoryBytes: number;
  timestamp: Date;
}

export interface RuntimeEvent {
  /** Docker's action: start, die, oom, destroy, kill… */
  action: string;
  containerId: string;
  labels: Record<string, string>;
}

export interface ImagePullProgress {
  status: string;
  id?: string;
  progress?: string;
}

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export class ImagePullError extends Error {
  constructor(
    readonly image: string,
    readonly reason: 'ErrImagePull' | 'ErrImageNeverPull' | 'InvalidImageName',
    message: string,
  ) {
    super(message);
  }
}

export interface RegistryAuth {
  username?: string;
  password?: string;
  auth?: string;
  serveraddress?: string;
}

/** What a node reports about the machine its containers run on. */
export interface RuntimeInfo {
  /** Logical CPUs available to containers. */
  cpus: number;
  /** Memory available to containers, in bytes. */
  memoryBytes: number;
  /** Engine version, e.g. "20.10.24". */
  version: string;
  /** e.g. "Debian GNU/Linux 12 (bookworm)" or "Docker Desktop". */
  operatingSystem: string;
  kernelVersion: string;
  /** Kubernetes' spelling: "linux", "windows". */
  os: string;
  /** Kubernetes' spelling: "amd64", "arm64". */
  arch: string;
  /** A stable id of the engine, for the node's machine id. */
  engineId: string;
}

export interface ContainerRuntime {
  /** Answers when the engine is reachable; throws a clear error otherwise. */
  ping(): Promise<void>;
  /** The engine's host: CPUs, memory, versions. */
  info(): Promise<RuntimeInfo>;
  /** Creates the bridge network if missing; returns its gateway and subnet. */
  ensureNetwork(name: string, labels: Record<string, string>): Promise<{ subnet: string; gateway: string }>;
  removeNetwork(name: string): Promise<void>;
  /** Makes `image` present per the pull policy; returns the image id and its registry digests (`repo@sha256:…`). */
  ensureImage(
    image: string,
    policy: PullPolicy,
    auth?: RegistryAuth,
    onProgress?: (progress: ImagePullProgress) => void,
  ): Promise<{ imageId: string; pulled: boolean; repoDigests?: string[] }>;
  createSandbox(spec: SandboxSpec): Promise<ManagedContainer>;
  createContainer(sandboxId: string, spec: ContainerSpec): Promise<ManagedContainer>;
  start(id: string): Promise<void>;
  /** Sends SIGTERM (or the image's stop signal), then SIGKILL after `graceSeconds`. */
  stop(id: string, graceSeconds: number): Promise<void>;
  remove(id: string): Promise<void>;
  inspect(id: string): Promise<ManagedContainer | undefined>;
  /** Every container carrying the profile label (and, when given, all of `labels`). */
  listManaged(profile: string, labels?: Record<string, string>): Promise<ManagedContainer[]>;
  logs(id: string, options: LogOptions): Promise<Readable>;
  exec(id: string, options: ExecOptions): Promise<StreamSession>;
  attach(id: string, options: Omit<ExecOptions, 'command'>): Promise<StreamSession>;
  /** Opens a TCP connection to `port` inside the sandbox's network namespace. */
  connect(sandboxId: string, port: number): Promise<Duplex>;
  stats(id: string): Promise<ContainerStats>;
  /**
   * Streams engine events for the profile's containers until the returned function is called.
   * `onEnd` is called if the stream ends by itself (engine restarted or unreachable).
   */
  watchEvents(
    profile: string,
    onEvent: (event: RuntimeEvent) => void,
    onEnd?: () => void,
  ): Promise<() => void>;
}
