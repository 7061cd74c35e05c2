import Docker from 'dockerode';
import net from 'node:net';
import { PassThrough, type Duplex, type Readable } from 'node:stream';
import {
  ImagePullError,
  LABELS,
  type ContainerRuntime,
  type ContainerSpec,
  type ContainerStats,
  type ExecOptions,
  type ImagePullProgress,
  type LogOptions,
  type ManagedContainer,
  type PullPolicy,
  type RegistryAuth,
  type RuntimeEvent,
  type RuntimeInfo,
  type SandboxSpec,
  type StreamSession,
} from '../types';
import { checkAcceptingConnections } from './accepting-connections';
import { describeDockerUnreachable, dockerEndpoint } from './docker-endpoint';
import { toManagedContainer } from './inspect';
import { removeNetwork } from './network-removal';
import { containerName, sandboxName } from './naming';
import { dockerStatusCode } from './docker-errors';

/** Options for the Docker adapter. */
export interface DockerRuntimeOptions {
  /** A preconfigured client; defaults to DOCKER_HOST or the platform's default socket. */
  docker?: Docker;
  /**
   * Opens a TCP connection to an address on the profile network. Defaults to a direct
   * connection, which works where the host can route to container addresses (Linux); the
   * network layer replaces it with its tunnel where it cannot (Docker Desktop).
   */
  dial?: (ip: string, port: number) => Promise<Duplex>;
}

/** `ContainerRuntime` over the Docker Engine API (through dockerode; never patched). */
export class DockerRuntime implements ContainerRuntime {
  readonly docker: Docker;
  private readonly dial: (ip: string, port: number) => Promise<Duplex>;

  constructor(options: DockerRuntimeOptions = {}) {
    this.docker = options.docker ?? new Docker();
    this.dial = options.dial ?? dialDirect;
  }

  /** Fails while the engine is down or stopping (see accepting-connections.ts). */
  async ping(): Promise<void> {
    try {
      await checkAcceptingConnections(this.docker);
    } catch (error) {
      throw new Error(describeDockerUnreachable(dockerEndpoint(), error));
    }
  }

  /**
   * Called before starting a container (a sandbox starts as it is created): a container started
   * while dockerd stops is left half-made, and can keep Docker from starting again.
   */
  private async refuseWhileStopping(): Promise<void> {
    try {
      await checkAcceptingConnections(this.docker);
    } catch (error) {
      throw new Error(
        `the Docker engine takes no new connections (stopping or restarting?): ${errorMessage(error)}`,
      );
    }
  }

  async info(): Promise<RuntimeInfo> {
    const info = (await this.docker.info()) as {
      NCPU?: number;
      MemTotal?: number;
      ServerVersion?: string;
      OperatingSystem?: string;
      KernelVersion?: string;
      OSType?: string;
      Architecture?: string;
      ID?: string;
    };
    return {
      cpus: info.NCPU ?? 1,
      memoryBytes: info.MemTotal ?? 0,
      version: info.ServerVersion ?? 'unknown',
      operatingSystem: info.OperatingSystem ?? 'unknown',
      kernelVersion: info.KernelVersion ?? 'unknown',
      os: info.OSType ?? 'linux',
      arch: kubernetesArch(info.Architecture ?? process.arch),
      engineId: info.ID ?? '',
    };
  }

  async ensureNetwork(
    name: string,
    labels: Record<string, string>,
  ): Promise<{ subnet: string; gateway: string }> {
    let info = await this.inspectNetwork(name);
    if (!info) {
      try {
        await this.docker.createNetwork({
          Name: name,
          Driver: 'bridge',
          Labels: labels,
          CheckDuplicate: true,
        });
      } catch (error) {
        // Another engine of the same profile may have created it a moment ago.
        if (dockerStatusCode(error) !== 409) throw error;
      }
      info = await this.inspectNetwork(name);
    }
    const config = info?.IPAM?.Config?.[0];
    if (!config?.Subnet) throw new Error(`Docker network ${name} has no IPv4 subnet`);
    return { subnet: config.Subnet, gateway: config.Gateway ?? '' };
  }

  async removeNetwork(name: string): Promise<void> {
    await removeNetwork(this.docker, name);
  }

  async ensureImage(
    image: string,
    policy: PullPolicy,
    auth?: RegistryAuth,
    onProgress?: (progress: ImagePullProgress) => void,
  ): Promise<{ imageId: string; pulled: boolean; repoDigests?: string[] }> {
    const found = await this.inspectImage(image);
    const present = found?.Id;
    const presentResult = { imageId: present ?? '', pulled: false, repoDigests: found?.RepoDigests ?? [] };
    if (present && policy !== 'Always') return presentResult;
    if (policy === 'Never') {
      if (present) return presentResult;
      throw new ImagePullError(
        image,
        'ErrImageNeverPull',
        `Container image "${image}" is not present with pull policy of Never`,
      );
    }
    try {
      const stream = await this.docker.pull(image, auth ? { authconfig: auth } : {});
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(
          stream,
          (error: Error | null) => (error ? reject(error) : resolve()),
          (event: ImagePullProgress) => onProgress?.(event),
        );
      });
    } catch (error) {
      // With `Always`, a registry that cannot be reached is fatal only when the image is not
      // already present, like the kubelet falls back to the local copy of a digest it has.
      if (present) return presentResult;
      throw new ImagePullError(
        image,
        'ErrImagePull',
        `failed to pull image "${image}": ${errorMessage(error)}`,
      );
    }
    const pulled = await this.inspectImage(image);
    if (!pulled) throw new ImagePullError(image, 'ErrImagePull', `image "${image}" is missing after pull`);
    return { imageId: pulled.Id, pulled: true, repoDigests: pulled.RepoDigests ?? [] };
  }

  async createSandbox(spec: SandboxSpec): Promise<ManagedContainer> {
    const portBindings: Docker.PortMap = {};
    const exposed: Record<string, object> = {};
    for (const mapping of spec.hostPorts ?? []) {
      const key = `${mapping.containerPort}/${mapping.protocol}`;
      exposed[key] = {};
      portBindings[key] = [{ HostPort: String(mapping.hostPort), HostIp: mapping.hostIp ?? '127.0.0.1' }];
    }
    await this.refuseWhileStopping();
    const container = await this.docker.createContainer({
      name: sandboxName(spec),
      Image: spec.image,
      Hostname: spec.hostname,
      Domainname: spec.domainname,
      Labels: { ...identityLabels(spec), [LABELS.role]: 'sandbox', [LABELS.restartCount]: '0' },
      ExposedPorts: exposed,
      HostConfig: {
        NetworkMode: spec.network,
        Dns: spec.dns?.servers,
        DnsSearch: spec.dns?.searches,
        DnsOptions: spec.dns?.options,
        ExtraHosts: spec.extraHosts,
        PortBindings: portBindings,
        Sysctls: spec.sysctls,
        // The kubelet decides about restarts; Docker must never restart on its own.
        RestartPolicy: { Name: 'no' },
        Init: false,
        // Containers of the pod join its IPC namespace, as in Kubernetes.
        IpcMode: 'shareable',
      },
    });
    await container.start();
    const inspected = await this.inspect(container.id);
    if (!inspected) throw new Error(`sandbox ${container.id} vanished right after start`);
    return inspected;
  }

  async createContainer(sandboxId: string, spec: ContainerSpec): Promise<ManagedContainer> {
    // No check here: a created container makes no shim; `start` checks before it runs one.
    const container = await this.docker.createContainer({
      name: containerName(spec),
      Image: spec.image,
      Entrypoint: spec.command,
      // Kubernetes: `command` without `args` discards the image's CMD.
      Cmd: spec.args ?? (spec.command ? [] : undefined),
      Env: spec.env,
      WorkingDir: spec.workingDir,
      User: spec.user,
      Tty: spec.tty ?? false,
      OpenStdin: spec.stdin ?? false,
      StdinOnce: spec.stdinOnce ?? false,
      AttachStdin: spec.stdin ?? false,
      ...(spec.stopGraceSeconds !== undefined ? { StopTimeout: spec.stopGraceSeconds } : {}),
      Labels: {
        ...identityLabels(spec),
        [LABELS.container]: spec.name,
        [LABELS.role]: spec.role,
        [LABELS.restartCount]: String(spec.restartCount),
        [LABELS.specHash]: spec.specHash,
      },
      HostConfig: {
        NetworkMode: `container:${sandboxId}`,
        IpcMode: `container:${sandboxId}`,
        ...(spec.pidNamespaceOf ? { PidMode: `container:${spec.pidNamespaceOf}` } : {}),
        Binds: spec.mounts.map((m) => `${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`),
        Privileged: spec.privileged ?? false,
        CapAdd: spec.capAdd,
        CapDrop: spec.capDrop,
        ReadonlyRootfs: spec.readOnlyRootFilesystem ?? false,
        NanoCpus: spec.nanoCpus,
        CpuShares: spec.cpuShares,
        GroupAdd: spec.groupAdd,
        SecurityOpt: spec.noNewPrivileges ? ['no-new-privileges'] : undefined,
        Memory: spec.memoryBytes,
        RestartPolicy: { Name: 'no' },
      },
    });
    const inspected = await this.inspect(container.id);
    if (!inspected) throw new Error(`container ${container.id} vanished right after create`);
    return inspected;
  }

  async start(id: string): Promise<void> {
    await this.refuseWhileStopping();
    try {
      await this.docker.getContainer(id).start();
    } catch (error) {
      if (dockerStatusCode(error) !== 304) throw error; // 304: already started
    }
  }

  async stop(id: string, graceSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: Math.max(0, Math.round(graceSeconds)) });
    } catch (error) {
      const code = dockerStatusCode(error);
      if (code !== 304 && code !== 404) throw error; // already stopped or gone
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (error) {
      const code = dockerStatusCode(error);
      // 409: removal already in progress.
      if (code !== 404 && code !== 409) throw error;
    }
  }

  async inspect(id: string): Promise<ManagedContainer | undefined> {
    try {
      return toManagedContainer(await this.docker.getContainer(id).inspect());
    } catch (error) {
      if (dockerStatusCode(error) === 404) return undefined;
      throw error;
    }
  }

  async listManaged(profile: string, labels: Record<string, string> = {}): Promise<ManagedContainer[]> {
    const summaries = await this.docker.listContainers({
      all: true,
      filters: {
        label: [`${LABELS.profile}=${profile}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)],
      },
    });
    const inspected = await Promise.all(summaries.map((s) => this.inspect(s.Id)));
    return inspected.filter((c): c is ManagedContainer => c !== undefined);
  }

  async logs(id: string, options: LogOptions): Promise<Readable> {
    const container = this.docker.getContainer(id);
    const info = await container.inspect();
    const common = {
      stdout: true,
      stderr: true,
      timestamps: options.timestamps ?? false,
      since: options.since ?? 0,
      // Docker's default is every line.
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
    };
    const output = new PassThrough();
    if (options.follow) {
      const raw = (await container.logs({ ...common, follow: true })) as NodeJS.ReadableStream & {
        destroy(): void;
      };
      pipeLogStream(this.docker, raw, info.Config.Tty, output);
      options.signal?.addEventListener('abort', () => {
        raw.destroy();
        output.end();
      });
    } else {
      const buffer = await container.logs({ ...common, follow: false });
      output.end(info.Config.Tty ? buffer : demuxBuffer(buffer));
    }
    return output;
  }

  async exec(id: string, options: ExecOptions): Promise<StreamSession> {
    const exec = await this.docker.getContainer(id).exec({
      Cmd: options.command,
      AttachStdin: options.stdin,
      AttachStdout: options.stdout,
      AttachStderr: options.stderr,
      Tty: options.tty,
    });
    const stream = await exec.start({ hijack: true, stdin: options.stdin, Tty: options.tty });
    const session = splitSession(this.docker, stream, options.tty, options.stdin);
    return {
      ...session,
      resize: async ({ width, height }) => {
        if (options.tty) await exec.resize({ w: width, h: height }).catch(() => undefined);
      },
      exitCode: session.ended.then(async () => (await exec.inspect()).ExitCode ?? 0),
    };
  }

  async attach(id: string, options: Omit<ExecOptions, 'command'>): Promise<StreamSession> {
    const container = this.docker.getContainer(id);
    const stream = (await container.attach({
      stream: true,
      stdin: options.stdin,
      stdout: options.stdout,
      stderr: options.stderr,
      hijack: true,
    })) as unknown as Duplex; // a hijacked attach is the raw duplex connection
    const session = splitSession(this.docker, stream, options.tty, options.stdin);
    return {
      ...session,
      resize: async ({ width, height }) => {
        if (options.tty) await container.resize({ w: width, h: height }).catch(() => undefined);
      },
      exitCode: container.wait().then((result: { StatusCode?: number }) => result.StatusCode ?? 0),
    };
  }

  async connect(sandboxId: string, port: number): Promise<Duplex> {
    const sandbox = await this.inspect(sandboxId);
    if (!sandbox?.ipAddress) throw new Error(`pod sandbox ${sandboxId} has no network address`);
    return this.dial(sandbox.ipAddress, port);
  }

  async stats(id: string): Promise<ContainerStats> {
    const stats = await this.docker.getContainer(id).stats({ stream: false });
    const memory = stats.memory_stats;
    // Working set like cAdvisor: usage minus inactive file cache.
    const inactive = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? 0;
    return {
      cpuUsageNanos: stats.cpu_stats?.cpu_usage?.total_usage ?? 0,
      memoryBytes: Math.max(0, (memory.usage ?? 0) - inactive),
      timestamp: new Date(stats.read),
    };
  }

  async watchEvents(
    profile: string,
    onEvent: (event: RuntimeEvent) => void,
    onEnd?: () => void,
  ): Promise<() => void> {
    const stream = (await this.docker.getEvents({
      filters: { type: ['container'], label: [`${LABELS.profile}=${profile}`] },
    })) as NodeJS.ReadableStream & { destroy(): void };
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
        if (!line) continue;
        try {
          const event = JSON.parse(line) as {
            Action?: string;
            Actor?: { ID?: string; Attributes?: Record<string, string> };
          };
          onEvent({
            action: (event.Action ?? '').split(':')[0],
            containerId: event.Actor?.ID ?? '',
            labels: event.Actor?.Attributes ?? {},
          });
        } catch {
          // A malformed event line is not worth failing the stream for.
        }
      }
    });
    let stopped = false;
    let ended = false;
    const end = () => {
      if (stopped || ended) return;
      ended = true;
      onEnd?.();
    };
    stream.on('error', end);
    stream.on('end', end);
    stream.on('close', end);
    return () => {
      stopped = true;
      stream.destroy();
    };
  }

  private async inspectImage(image: string): Promise<Docker.ImageInspectInfo | undefined> {
    try {
      return await this.docker.getImage(image).inspect();
    } catch (error) {
      if (dockerStatusCode(error) === 404) return undefined;
      throw error;
    }
  }

  private async inspectNetwork(name: string): Promise<Docker.NetworkInspectInfo | undefined> {
    try {
      return (await this.docker.getNetwork(name).inspect()) as Docker.NetworkInspectInfo;
    } catch (error) {
      if (dockerStatusCode(error) === 404) return undefined;
      throw error;
    }
  }
}

function identityLabels(spec: SandboxSpec | ContainerSpec): Record<string, string> {
  return {
    [LABELS.profile]: spec.profile,
    [LABELS.node]: spec.node,
    [LABELS.podUid]: spec.podUid,
    [LABELS.podName]: spec.podName,
    [LABELS.podNamespace]: spec.podNamespace,
  };
}

/** Docker reports the kernel's machine name; Kubernetes uses Go's GOARCH names. */
function kubernetesArch(machine: string): string {
  const names: Record<string, string> = {
    x86_64: 'amd64',
    x64: 'amd64',
    aarch64: 'arm64',
    armv7l: 'arm',
    i686: '386',
    ppc64le: 'ppc64le',
    s390x: 's390x',
  };
  return names[machine] ?? machine;
}

function dialDirect(ip: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: ip, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Splits Docker's multiplexed stdout/stderr frames into separate streams. */
function pipeLogStream(docker: Docker, raw: NodeJS.ReadableStream, tty: boolean, output: PassThrough): void {
  if (tty) {
    raw.pipe(output);
    return;
  }
  docker.modem.demuxStream(raw, output, output);
  raw.on('end', () => output.end());
  raw.on('close', () => output.end());
}

/** Docker's 8-byte frame headers, removed from a complete (non-following) log buffer. */
function demuxBuffer(buffer: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts);
}

function splitSession(
  docker: Docker,
  stream: Duplex,
  tty: boolean,
  stdin: boolean,
): Omit<StreamSession, 'resize' | 'exitCode'> & { ended: Promise<void> } {
  const stdout = new PassThrough();
  const stderr = tty ? undefined : new PassThrough();
  if (tty) stream.pipe(stdout);
  else docker.modem.demuxStream(stream, stdout, stderr as PassThrough);
  const ended = new Promise<void>((resolve) => {
    const finish = () => {
      stdout.end();
      stderr?.end();
      resolve();
    };
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
  });
  return {
    stdin: stdin ? stream : undefined,
    stdout,
    stderr,
    ended,
    close: () => stream.destroy(),
  };
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.replace(/^\(HTTP code \d+\) [a-z ]+ - /, '');
  return String(error);
}
