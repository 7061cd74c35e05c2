import type { V1Container, V1Pod, V1Service } from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../apiserver/status';
import type { ObjectApi } from '../apiserver/object-api';
import type { Clock } from '../controllers/runtime/clock';
import type { EventRecorder, EventType } from '../controllers/runtime/event-recorder';
import type { KubeObject } from '../k8s-object';
import {
  ImagePullError,
  LABELS,
  type ContainerRuntime,
  type ManagedContainer,
  type PodIdentity,
  type PullPolicy,
} from '../runtime/types';
import { Backoff } from './backoff';
import { buildContainerSpec, buildSandboxSpec, containerSpecHash } from './container-spec';
import { ContainerConfigError, resolveEnv, type ObjectLookup } from './env';
import { runHook } from './hooks';
import { pullAuth } from './pull-secrets';
import type { ProbeManager, ProbedContainer } from './probe-manager';
import { CONFIGMAPS, PODS, PVCS, PVS, SECRETS, SERVICES } from './resources';
import { REASON_LABEL, computePodStatus, isSidecar, type ContainerView, type WaitingReason } from './status';
import { MountError, podDirectory, setUpVolumes } from './volumes';

/** Everything a pod sync needs; one per kubelet. */
export interface PodSyncOptions {
  api: ObjectApi;
  runtime: ContainerRuntime;
  clock: Clock;
  recorder: EventRecorder;
  probes: ProbeManager;
  profile: string;
  nodeName: string;
  network: string;
  profileDir: string;
  pauseImage: string;
  clusterDns?: string[];
  clusterDomain: string;
  hostIP: () => string;
  nodeAllocatable: () => { cpu?: string; memory?: string };
  serviceAccountToken?: (
    pod: V1Pod,
    audience?: string,
    expirationSeconds?: number,
  ) => Promise<string | undefined>;
  caCertificate?: string;
  /** e.g. "1.32", for the User-Agent of HTTP hooks. */
  kubeletMinorVersion: string;
  /** Asks for another sync of the pod (after a background kill finished). */
  enqueue(key: string): void;
}

/** A container (re)start is due after a running one ran this long: back-off starts over. */
const BACKOFF_RESET_MS = 10 * 60_000;
/** Retry delay after FailedMount or CreateContainerConfigError. */
const CONFIG_RETRY_MS = 10_000;
/** How many old instances of a container are kept (for `logs --previous`). */
const KEEP_INSTANCES = 2;

interface PodState {
  uid: string;
  waiting: Map<string, WaitingReason>;
  /** Image pull failures: container name → when it failed. */
  pullFailures: Map<string, number>;
  /** Container ids being stopped in the background. */
  killing: Set<string>;
  terminating?: Promise<void>;
}

/**
 * Level-based sync of one pod: reads the pod and its containers and moves the containers
 * toward the spec (sandbox, volumes, init containers in order, app containers with restart
 * policy and back-off), then writes the status when it changed. Graceful deletion stops
 * containers in the background and deletes the pod object once they are gone.
 */
export class PodSyncer {
  private readonly states = new Map<string, PodState>();
  private readonly restartBackoff = new Backoff();
  private readonly pullBackoff = new Backoff();

  constructor(private readonly options: PodSyncOptions) {}

  /** Syncs the pod; returns milliseconds after which it wants another sync. */
  async sync(key: string, pod: V1Pod | undefined, knownUid: string | undefined): Promise<number | undefined> {
    if (!pod) {
      if (knownUid) await this.cleanUp(key, knownUid);
      return undefined;
    }
    const uid = pod.metadata?.uid ?? '';
    let state = this.states.get(uid);
    if (!state) {
      state = { uid, waiting: new Map(), pullFailures: new Map(), killing: new Set() };
      this.states.set(uid, state);
    }
    if (pod.metadata?.deletionTimestamp) {
      if (!state.terminating) {
        const current = state;
        state.terminating = this.terminate(key, pod).finally(() => {
          current.terminating = undefined;
          this.options.enqueue(key);
        });
      }
      return undefined;
    }
    if (state.terminating) return undefined;
    return this.syncLive(key, pod, state);
  }

  /** Forgets in-memory state of pods no longer present (uids not in `live`). */
  prune(live: Set<string>): void {
    for (const uid of [...this.states.keys()])
      if (!live.has(uid) && !this.states.get(uid)?.terminating) this.states.delete(uid);
    this.restartBackoff.prune((key) => live.has(key.split('/')[0]));
    this.pullBackoff.prune((key) => live.has(key.split('/')[0]));
  }

  /** Removes the containers and folder of a pod that no longer exists. */
  async cleanUp(key: string, uid: string): Promise<void> {
    this.options.probes.forget(key);
    const containers = await this.options.runtime.listManaged(this.options.profile, { [LABELS.podUid]: uid });
    await Promise.all(containers.map((c) => this.options.runtime.remove(c.id)));
    await fs
      .rm(podDirectory(this.options.profileDir, uid), { recursive: true, force: true })
      .catch(() => undefined);
    this.states.delete(uid);
  }

  private identity(pod: V1Pod): PodIdentity {
    return {
      profile: this.options.profile,
      node: this.options.nodeName,
      podUid: pod.metadata?.uid ?? '',
      podName: pod.metadata?.name ?? '',
      podNamespace: pod.metadata?.namespace ?? 'default',
    };
  }

  private event(pod: V1Pod, type: EventType, reason: string, message: string, fieldPath?: string): void {
    this.options.recorder.record(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        ...(pod as unknown as KubeObject),
        metadata: pod.metadata ?? {},
      } as KubeObject,
      type,
      reason,
      message,
      fieldPath,
    );
  }

  private async syncLive(key: string, pod: V1Pod, state: PodState): Promise<number | undefined> {
    const { runtime } = this.options;
    const now = this.options.clock.now().getTime();
    const spec = pod.spec ?? { containers: [] };
    const restartPolicy = spec.restartPolicy ?? 'Always';
    const all = await runtime.listManaged(this.options.profile, { [LABELS.podUid]: state.uid });
    const instances = withGhosts(pod, groupInstances(all));
    let sandbox = newest(all.filter((c) => c.role === 'sandbox'));
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    let requeue: number | undefined;
    const want = (ms: number) => {
      requeue = requeue === undefined ? ms : Math.min(requeue, ms);
    };

    if (terminal) {
      // A finished pod keeps its containers (for logs) but nothing runs any more.
      this.options.probes.forget(key);
      for (const c of all)
        if (c.state === 'running' && !state.killing.has(c.id)) void this.killInBackground(key, state, c, 0);
      return undefined;
    }

    if (!sandbox || sandbox.state !== 'running') {
      const everStarted = all.some((c) => c.role === 'app');
      if (sandbox) {
        this.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
        for (const c of all) if (c.role !== 'sandbox' && c.state === 'running') await runtime.stop(c.id, 0);
        await runtime.remove(sandbox.id);
        sandbox = undefined;
      }
      if (!(restartPolicy === 'Never' && everStarted)) {
        try {
          await runtime.ensureImage(this.options.pauseImage, 'IfNotPresent');
          sandbox = await runtime.createSandbox(
            buildSandboxSpec({
              identity: this.identity(pod),
              pod,
              image: this.options.pauseImage,
              network: this.options.network,
              clusterDns: this.options.clusterDns,
              clusterDomain: this.options.clusterDomain,
            }),
          );
        } catch (error) {
          this.event(
            pod,
            'Warning',
            'FailedCreatePodSandBox',
            `Failed to create pod sandbox: ${errorText(error)}`,
          );
          want(CONFIG_RETRY_MS);
        }
      }
      // The containers of the old sandbox are stale: re-read them.
      const refreshed = await runtime.listManaged(this.options.profile, { [LABELS.podUid]: state.uid });
      instances.clear();
      for (const [name, list] of withGhosts(pod, groupInstances(refreshed))) instances.set(name, list);
    }
    const podIP = sandbox?.state === 'running' ? sandbox.ipAddress : undefined;

    let volumePaths: Map<string, string> | undefined;
    if (sandbox && podIP) {
      const podDir = podDirectory(this.options.profileDir, state.uid);
      await fs.mkdir(podDir, { recursive: true });
      // Several nodes share the profile folder; the owner's name keeps others' cleanup away.
      await fs
        .writeFile(path.join(podDir, 'node'), this.options.nodeName, { flag: 'wx' })
        .catch(() => undefined);
      try {
        volumePaths = await setUpVolumes({
          pod,
          podDir: podDirectory(this.options.profileDir, state.uid),
          lookup: this.lookup(),
          serviceAccountToken: this.options.serviceAccountToken,
          caCertificate: this.options.caCertificate,
          podIP,
          hostIP: this.options.hostIP(),
        });
      } catch (error) {
        if (!(error instanceof MountError)) throw error;
        this.event(pod, 'Warning', 'FailedMount', error.message);
        want(CONFIG_RETRY_MS);
      }
    }

    const start = async (
      container: V1Container,
      role: 'init' | 'app' | 'ephemeral',
      restartCount: number,
      pidNamespaceOf?: string,
    ): Promise<void> => {
      if (!sandbox || !podIP || !volumePaths) return;
      const delay = await this.startContainer(
        pod,
        state,
        container,
        role,
        restartCount,
        sandbox.id,
        podIP,
        volumePaths,
        now,
        pidNamespaceOf ?? (spec.shareProcessNamespace ? sandbox.id : undefined),
      );
      if (delay !== undefined) want(delay);
    };

    let failure: { reason: string; message: string } | undefined;
    const startTime = Date.parse(String(pod.status?.startTime ?? ''));
    if (spec.activeDeadlineSeconds !== undefined && !Number.isNaN(startTime)) {
      const left = startTime + spec.activeDeadlineSeconds * 1000 - now;
      if (left <= 0) {
        failure = {
          reason: 'DeadlineExceeded',
          message: 'Pod was active on the node longer than the specified deadline',
        };
        this.event(pod, 'Warning', 'DeadlineExceeded', failure.message);
        for (const c of all)
          if (c.role !== 'sandbox' && c.state === 'running' && !state.killing.has(c.id))
            void this.killInBackground(key, state, c, gracePeriod(pod, undefined));
      } else want(left + 50);
    }

    /** Keeps a container running per `policy`: start, restart after back-off, or kill on probe failure. */
    const keep = async (container: V1Container, role: 'init' | 'app', policy: string): Promise<void> => {
      const [current] = instances.get(container.name) ?? [];
      if (current && state.killing.has(current.id)) return;
      if (!current) {
        await start(container, role, 0);
        return;
      }
      if (current.state === 'running') {
        const failure = this.options.probes.failure(current.id);
        const changed =
          current.labels[LABELS.specHash] && current.labels[LABELS.specHash] !== containerSpecHash(container);
        if (failure || changed) {
          const message = failure
            ? `Container ${container.name} failed ${failure.kind} probe, will be restarted`
            : `Container ${container.name} definition changed, will be restarted`;
          this.event(pod, 'Normal', 'Killing', message, fieldPath(pod, container.name, role));
          void this.killInBackground(key, state, current, gracePeriod(pod, undefined), container);
        }
        return;
      }
      if (current.state === 'created') {
        await runtime.start(current.id).catch(() => undefined);
        return;
      }
      if (!isExited(current)) return;
      const restart = policy === 'Always' || (policy === 'OnFailure' && current.exitCode !== 0);
      if (!restart) {
        state.waiting.delete(container.name);
        return;
      }
      const delay = await this.restartAfterBackoff(pod, state, container, current, now, () =>
        start(container, role, current.restartCount + 1),
      );
      if (delay !== undefined) want(delay);
    };

    // Init containers run one at a time, in order, each to success; a sidecar (restartPolicy
    // Always) only has to have started, and then keeps running next to the app containers.
    let initialized = failure === undefined;
    for (const container of failure ? [] : (spec.initContainers ?? [])) {
      const [current] = instances.get(container.name) ?? [];
      if (isSidecar(container)) {
        await keep(container, 'init', 'Always');
        if (current?.state === 'running' && this.options.probes.isStarted(current.id, container)) continue;
        initialized = false;
        break;
      }
      if (current && isExited(current) && current.exitCode === 0) continue;
      initialized = false;
      if (!current) {
        await start(container, 'init', 0);
      } else if (current.state === 'created') {
        await runtime.start(current.id).catch(() => undefined);
      } else if (isExited(current)) {
        if (restartPolicy !== 'Never') {
          const delay = await this.restartAfterBackoff(pod, state, container, current, now, () =>
            start(container, 'init', current.restartCount + 1),
          );
          if (delay !== undefined) want(delay);
        }
      }
      break;
    }

    if (initialized) {
      for (const container of spec.containers) await keep(container, 'app', restartPolicy);
    }

    // Ephemeral (debug) containers run once, never restarted, in the target's PID namespace.
    for (const ephemeral of failure ? [] : (spec.ephemeralContainers ?? [])) {
      if (instances.get(ephemeral.name)?.length) continue;
      const target = ephemeral.targetContainerName
        ? (instances.get(ephemeral.targetContainerName) ?? [])[0]
        : undefined;
      await start(
        ephemeral as V1Container,
        'ephemeral',
        0,
        target?.state === 'running' ? target.id : undefined,
      );
    }

    // Old instances beyond the previous one only take space.
    for (const list of instances.values())
      for (const old of list.slice(KEEP_INSTANCES)) {
        await runtime.remove(old.id);
        await fs.rm(terminationLogPath(this.options.profileDir, old), { force: true }).catch(() => undefined);
      }

    const fresh = await runtime.listManaged(this.options.profile, { [LABELS.podUid]: state.uid });
    const freshInstances = withGhosts(pod, groupInstances(fresh));
    const freshSandbox = newest(fresh.filter((c) => c.role === 'sandbox'));
    this.syncProbes(key, pod, freshInstances, freshSandbox);
    const view = (container: V1Container): ContainerView => {
      const [current, previous] = freshInstances.get(container.name) ?? [];
      const running = current?.state === 'running';
      return {
        spec: container,
        current,
        previous,
        waiting: running ? undefined : state.waiting.get(container.name),
        ready: running ? this.options.probes.isReady(current.id, container) : false,
        started: running ? this.options.probes.isStarted(current.id, container) : false,
      };
    };
    const status = computePodStatus({
      pod,
      sandbox: freshSandbox,
      hostIP: this.options.hostIP(),
      init: (spec.initContainers ?? []).map(view),
      app: spec.containers.map(view),
      ephemeral: (spec.ephemeralContainers ?? []).map((c) => view(c as V1Container)),
      now: this.options.clock.now(),
      terminationMessages: await this.terminationMessages(pod, fresh),
      failure,
    });
    this.writeStatus(pod, status);
    return requeue;
  }

  /** Messages of finished containers: the termination log, or the log tail when asked to. */
  private async terminationMessages(
    pod: V1Pod,
    containers: ManagedContainer[],
  ): Promise<Map<string, string>> {
    const messages = new Map<string, string>();
    const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    for (const c of containers) {
      if (c.role === 'sandbox' || !isExited(c)) continue;
      let message = await fs
        .readFile(terminationLogPath(this.options.profileDir, c))
        .then((data) => data.subarray(0, 4096).toString('utf8'))
        .catch(() => '');
      const spec = specs.find((s) => s.name === c.container);
      if (!message && c.exitCode !== 0 && spec?.terminationMessagePolicy === 'FallbackToLogsOnError') {
        message = await this.options.runtime
          .logs(c.id, { tail: 80 })
          .then(async (stream) => {
            const chunks: Buffer[] = [];
            for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
            const all = Buffer.concat(chunks);
            return all.subarray(Math.max(0, all.length - 2048)).toString('utf8');
          })
          .catch(() => '');
      }
      if (message) messages.set(c.id, message);
    }
    return messages;
  }

  private syncProbes(
    key: string,
    pod: V1Pod,
    instances: Map<string, ManagedContainer[]>,
    sandbox: ManagedContainer | undefined,
  ): void {
    const targets: ProbedContainer[] = [];
    if (sandbox?.state === 'running' && sandbox.ipAddress) {
      const probed = [...(pod.spec?.initContainers ?? []).filter(isSidecar), ...(pod.spec?.containers ?? [])];
      for (const container of probed) {
        const [current] = instances.get(container.name) ?? [];
        if (current?.state !== 'running') continue;
        targets.push({
          podKey: key,
          containerId: current.id,
          sandboxId: sandbox.id,
          podIP: sandbox.ipAddress,
          container,
          startedAt: new Date(current.startedAt ?? current.createdAt),
          fieldPath: fieldPath(pod, container.name, isSidecar(container) ? 'init' : 'app'),
        });
      }
    }
    this.options.probes.sync(key, targets);
  }

  /** Restarts an exited container unless it is in back-off; returns when to look again. */
  private async restartAfterBackoff(
    pod: V1Pod,
    state: PodState,
    container: V1Container,
    current: ManagedContainer,
    now: number,
    restart: () => Promise<void>,
  ): Promise<number | undefined> {
    const backoffKey = `${state.uid}/${container.name}`;
    const finished = Date.parse(current.finishedAt ?? current.createdAt) || now;
    const started = Date.parse(current.startedAt ?? '') || finished;
    if (finished - started >= BACKOFF_RESET_MS) this.restartBackoff.reset(backoffKey);
    if (this.restartBackoff.isInBackOffSince(backoffKey, finished, now)) {
      const delay = this.restartBackoff.delay(backoffKey, now);
      const name = `${pod.metadata?.name}_${pod.metadata?.namespace}(${state.uid})`;
      state.waiting.set(container.name, {
        reason: 'CrashLoopBackOff',
        message: `back-off ${formatDelay(delay)} restarting failed container=${container.name} pod=${name}`,
      });
      this.event(
        pod,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${container.name} in pod ${name}`,
        fieldPath(pod, container.name),
      );
      return this.restartBackoff.remaining(backoffKey, finished, now) + 50;
    }
    this.restartBackoff.next(backoffKey, now);
    await restart();
    return undefined;
  }

  /** Pulls, creates and starts one container instance; returns a requeue delay when it must wait. */
  private async startContainer(
    pod: V1Pod,
    state: PodState,
    container: V1Container,
    role: 'init' | 'app' | 'ephemeral',
    restartCount: number,
    sandboxId: string,
    podIP: string,
    volumePaths: Map<string, string>,
    now: number,
    pidNamespaceOf?: string,
  ): Promise<number | undefined> {
    const { runtime } = this.options;
    const image = container.image ?? '';
    const where = fieldPath(pod, container.name, role);
    const pullKey = `${state.uid}/${container.name}`;
    const failedAt = state.pullFailures.get(container.name);
    if (failedAt !== undefined && this.pullBackoff.isInBackOffSince(pullKey, failedAt, now)) {
      state.waiting.set(container.name, {
        reason: 'ImagePullBackOff',
        message: `Back-off pulling image "${image}"`,
      });
      this.event(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, where);
      return this.pullBackoff.remaining(pullKey, failedAt, now) + 50;
    }
    const policy = pullPolicy(container);
    try {
      let present = false;
      try {
        await runtime.ensureImage(image, 'Never');
        present = true;
      } catch {
        present = false;
      }
      if (present && policy !== 'Always') {
        this.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, where);
      } else {
        if (policy !== 'Never') this.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`, where);
        const began = Date.now();
        const auth = pullAuth(pod, image, (namespace, name) => this.lookup().secret(namespace, name));
        const result = await runtime.ensureImage(image, policy, auth);
        if (policy !== 'Never') {
          const seconds = ((Date.now() - began) / 1000).toFixed(3);
          this.event(
            pod,
            'Normal',
            'Pulled',
            result.pulled
              ? `Successfully pulled image "${image}" in ${seconds}s (${seconds}s including waiting)`
              : `Container image "${image}" already present on machine`,
            where,
          );
        }
      }
      state.pullFailures.delete(container.name);
      this.pullBackoff.reset(pullKey);
    } catch (error) {
      const reason = error instanceof ImagePullError ? error.reason : 'ErrImagePull';
      const message = errorText(error);
      state.waiting.set(container.name, { reason, message });
      if (reason === 'ErrImageNeverPull') {
        this.event(pod, 'Warning', 'ErrImageNeverPull', message, where);
      } else {
        this.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${message}`, where);
        this.event(pod, 'Warning', 'Failed', `Error: ${reason}`, where);
      }
      state.pullFailures.set(container.name, now);
      // ErrImagePull shows until a sync inside the back-off window turns it into
      // ImagePullBackOff, as with the kubelet's own periodic syncs.
      return Math.min(5_000, this.pullBackoff.next(pullKey, now) / 2);
    }

    let env: string[];
    try {
      env = resolveEnv({
        pod,
        container,
        lookup: this.lookup(),
        podIP,
        hostIP: this.options.hostIP(),
        services: this.services(pod.metadata?.namespace ?? 'default'),
        nodeAllocatable: this.options.nodeAllocatable(),
      });
    } catch (error) {
      if (!(error instanceof ContainerConfigError)) throw error;
      state.waiting.set(container.name, { reason: 'CreateContainerConfigError', message: error.message });
      this.event(pod, 'Warning', 'Failed', `Error: ${error.message}`, where);
      return CONFIG_RETRY_MS;
    }

    let created: ManagedContainer;
    try {
      const logFile = terminationLogPath(this.options.profileDir, {
        labels: { [LABELS.podUid]: state.uid },
        container: container.name,
        restartCount,
      });
      await fs.mkdir(path.dirname(logFile), { recursive: true });
      await fs.writeFile(logFile, '');
      // Written by whatever user the container runs as.
      await fs.chmod(logFile, 0o666);
      const runtimeSpec = buildContainerSpec({
        identity: this.identity(pod),
        pod,
        container,
        role,
        restartCount,
        env,
        volumePaths,
        pidNamespaceOf,
      });
      runtimeSpec.mounts.push({
        source: logFile,
        target: container.terminationMessagePath || '/dev/termination-log',
      });
      created = await runtime.createContainer(sandboxId, runtimeSpec);
    } catch (error) {
      const message = errorText(error);
      state.waiting.set(container.name, { reason: 'CreateContainerError', message });
      this.event(pod, 'Warning', 'Failed', `Error: ${message}`, where);
      return CONFIG_RETRY_MS;
    }
    this.event(pod, 'Normal', 'Created', `Created container ${container.name}`, where);
    state.waiting.delete(container.name);
    try {
      await runtime.start(created.id);
    } catch (error) {
      this.event(pod, 'Warning', 'Failed', `Error: ${errorText(error)}`, where);
      return undefined;
    }
    this.event(pod, 'Normal', 'Started', `Started container ${container.name}`, where);
    const postStart = container.lifecycle?.postStart;
    if (postStart) {
      const result = await runHook(
        postStart,
        {
          runtime,
          containerId: created.id,
          container,
          sandboxId,
          podIP,
          kubeletMinorVersion: this.options.kubeletMinorVersion,
        },
        gracePeriod(pod, undefined) || 30,
      );
      if (!result.ok) {
        this.event(pod, 'Warning', 'FailedPostStartHook', result.message, where);
        this.event(pod, 'Normal', 'Killing', `FailedPostStartHook`, where);
        await runtime.stop(created.id, gracePeriod(pod, undefined));
      }
    }
    return undefined;
  }

  private async killInBackground(
    key: string,
    state: PodState,
    instance: ManagedContainer,
    graceSeconds: number,
    container?: V1Container,
  ): Promise<void> {
    state.killing.add(instance.id);
    try {
      await this.stopContainer(instance, container, graceSeconds);
    } catch {
      // The next sync sees whatever state the container is in.
    } finally {
      state.killing.delete(instance.id);
      this.options.enqueue(key);
    }
  }

  /** Runs the preStop hook (within the grace period), then stops with SIGTERM → SIGKILL. */
  private async stopContainer(
    instance: ManagedContainer,
    container: V1Container | undefined,
    graceSeconds: number,
  ): Promise<void> {
    const { runtime } = this.options;
    const began = Date.now();
    const preStop = container?.lifecycle?.preStop;
    if (instance.state === 'running' && preStop && container && graceSeconds > 0) {
      const [sandbox] = preStop.httpGet
        ? await runtime.listManaged(this.options.profile, {
            [LABELS.podUid]: instance.labels[LABELS.podUid] ?? '',
            [LABELS.role]: 'sandbox',
          })
        : [];
      await runHook(
        preStop,
        {
          runtime,
          containerId: instance.id,
          container,
          sandboxId: sandbox?.id,
          podIP: sandbox?.ipAddress,
          kubeletMinorVersion: this.options.kubeletMinorVersion,
        },
        graceSeconds,
      );
    }
    const remaining = Math.max(graceSeconds > 0 ? 2 : 0, graceSeconds - (Date.now() - began) / 1000);
    await runtime.stop(instance.id, remaining);
  }

  /** Graceful deletion: stop every container within the grace period, remove, delete the pod. */
  private async terminate(key: string, pod: V1Pod): Promise<void> {
    const { runtime } = this.options;
    const uid = pod.metadata?.uid ?? '';
    this.options.probes.forget(key);
    const grace = gracePeriod(pod, pod.metadata?.deletionGracePeriodSeconds);
    const all = await runtime.listManaged(this.options.profile, { [LABELS.podUid]: uid });
    const specs = new Map(
      [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => [c.name, c]),
    );
    const sidecars = new Set((pod.spec?.initContainers ?? []).filter(isSidecar).map((c) => c.name));
    const running = all.filter((c) => c.role !== 'sandbox' && c.state === 'running');
    const began = Date.now();
    // Sidecars serve the app containers until those have stopped, as on Kubernetes.
    for (const group of [
      running.filter((c) => !sidecars.has(c.container)),
      running.filter((c) => sidecars.has(c.container)),
    ])
      await Promise.all(
        group.map(async (c) => {
          this.event(
            pod,
            'Normal',
            'Killing',
            `Stopping container ${c.container}`,
            fieldPath(pod, c.container, c.role === 'init' ? 'init' : 'app'),
          );
          const left = Math.max(grace > 0 ? 2 : 0, grace - (Date.now() - began) / 1000);
          await this.stopContainer(c, specs.get(c.container), left).catch(() => undefined);
        }),
      );
    for (const c of all.filter((c) => c.role === 'sandbox'))
      await runtime.stop(c.id, 0).catch(() => undefined);
    await Promise.all(all.map((c) => runtime.remove(c.id).catch(() => undefined)));
    await fs
      .rm(podDirectory(this.options.profileDir, uid), { recursive: true, force: true })
      .catch(() => undefined);
    try {
      this.options.api.delete(PODS, pod.metadata?.namespace, pod.metadata?.name ?? '', {
        gracePeriodSeconds: 0,
        preconditions: { uid },
      });
    } catch (error) {
      if (!(error instanceof ApiError) || (error.code !== 404 && error.code !== 409)) throw error;
    }
    this.states.delete(uid);
  }

  private writeStatus(pod: V1Pod, status: Record<string, unknown>): void {
    const namespace = pod.metadata?.namespace;
    const name = pod.metadata?.name ?? '';
    let latest: KubeObject;
    try {
      latest = this.options.api.get(PODS, namespace, name);
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) return;
      throw error;
    }
    if (latest.metadata.uid !== pod.metadata?.uid) return;
    const previous = (latest.status ?? {}) as Record<string, unknown>;
    // Conditions others own (readiness gates) come from the latest object, not the cache.
    const merged = mergeForeignConditions(status, previous);
    if (JSON.stringify(merged) === JSON.stringify(previous)) return;
    this.options.api.update(PODS, namespace, { ...latest, status: merged }, { subresource: 'status' });
  }

  private lookup(): VolumeLookup {
    const get = (
      gvr: typeof CONFIGMAPS,
      namespace: string | undefined,
      name: string,
    ): KubeObject | undefined => {
      try {
        return this.options.api.get(gvr, namespace, name);
      } catch (error) {
        if (error instanceof ApiError && error.code === 404) return undefined;
        throw error;
      }
    };
    return {
      configMap: (namespace, name) => get(CONFIGMAPS, namespace, name),
      secret: (namespace, name) => get(SECRETS, namespace, name),
      persistentVolumeClaim: (namespace, name) => get(PVCS, namespace, name),
      persistentVolume: (name) => get(PVS, undefined, name),
    };
  }

  private services(namespace: string): V1Service[] {
    const read = (ns: string): V1Service[] => {
      try {
        return this.options.api.list(SERVICES, { namespace: ns }).items as unknown as V1Service[];
      } catch {
        return [];
      }
    };
    return namespace === 'default' ? read('default') : [...read(namespace), ...read('default')];
  }
}

type VolumeLookup = ObjectLookup & {
  persistentVolumeClaim(namespace: string, name: string): KubeObject | undefined;
  persistentVolume(name: string): KubeObject | undefined;
};

function mergeForeignConditions(
  status: Record<string, unknown>,
  previous: Record<string, unknown>,
): Record<string, unknown> {
  const ours = (status.conditions as Array<{ type: string }> | undefined) ?? [];
  const theirs = (previous.conditions as Array<{ type: string }> | undefined) ?? [];
  const owned = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);
  const conditions = ours.filter((c) => owned.has(c.type));
  for (const c of theirs) if (!owned.has(c.type)) conditions.push(c);
  for (const c of ours)
    if (!owned.has(c.type) && !conditions.some((x) => x.type === c.type)) conditions.push(c);
  return { ...status, conditions };
}

/** Where a container instance's termination message file lives on the host. */
function terminationLogPath(
  profileDir: string,
  c: Pick<ManagedContainer, 'labels' | 'container' | 'restartCount'>,
): string {
  return path.join(
    podDirectory(profileDir, c.labels[LABELS.podUid] ?? ''),
    'containers',
    c.container,
    `${c.restartCount}.termination-log`,
  );
}

const LOST_MESSAGE = 'The container could not be located when the pod was terminated';

interface ReportedState {
  running?: { startedAt?: string };
  terminated?: {
    exitCode?: number;
    reason?: string;
    startedAt?: string;
    finishedAt?: string;
    containerID?: string;
  };
  waiting?: unknown;
}

/**
 * Containers the last status reported but the engine no longer has (removed behind our back)
 * come back as finished instances rebuilt from that status, so a completed init container is
 * not run again and a lost container counts as a restart (or stays lost with `Never`).
 */
function withGhosts(pod: V1Pod, instances: Map<string, ManagedContainer[]>): Map<string, ManagedContainer[]> {
  const reported = [
    ...(pod.status?.initContainerStatuses ?? []).map((s) => ({ s, role: 'init' as const })),
    ...(pod.status?.containerStatuses ?? []).map((s) => ({ s, role: 'app' as const })),
    ...(pod.status?.ephemeralContainerStatuses ?? []).map((s) => ({ s, role: 'ephemeral' as const })),
  ];
  for (const { s, role } of reported) {
    if (instances.get(s.name)?.length || !s.containerID) continue;
    const state = (s.state ?? {}) as ReportedState;
    const last = ((s.lastState ?? {}) as ReportedState).terminated;
    const terminated = state.terminated ?? (state.waiting ? last : undefined);
    const base = {
      name: '',
      role,
      container: s.name,
      restartCount: s.restartCount ?? 0,
      oomKilled: false,
      image: s.image ?? '',
      imageId: (s.imageID ?? '').replace(/^docker(-pullable)?:[/][/]/, ''),
    };
    if (terminated) {
      const id = (terminated.containerID ?? s.containerID).replace(/^docker:[/][/]/, '');
      instances.set(s.name, [
        {
          ...base,
          id,
          labels: { [REASON_LABEL]: terminated.reason ?? 'Error' },
          state: 'exited',
          exitCode: terminated.exitCode ?? 0,
          createdAt: String(terminated.startedAt ?? ''),
          startedAt: terminated.startedAt ? String(terminated.startedAt) : undefined,
          finishedAt: terminated.finishedAt ? String(terminated.finishedAt) : undefined,
        },
      ]);
    } else {
      const startedAt = state.running?.startedAt ? String(state.running.startedAt) : undefined;
      instances.set(s.name, [
        {
          ...base,
          id: s.containerID.replace(/^docker:[/][/]/, ''),
          labels: { [REASON_LABEL]: 'ContainerStatusUnknown' },
          state: 'exited',
          exitCode: 137,
          error: LOST_MESSAGE,
          createdAt: startedAt ?? '',
          startedAt,
          finishedAt: startedAt,
        },
      ]);
    }
  }
  return instances;
}

/** Instances per container name, newest (highest restart count) first. */
function groupInstances(all: ManagedContainer[]): Map<string, ManagedContainer[]> {
  const map = new Map<string, ManagedContainer[]>();
  for (const c of all) {
    if (c.role === 'sandbox') continue;
    const list = map.get(c.container) ?? [];
    list.push(c);
    map.set(c.container, list);
  }
  for (const list of map.values())
    list.sort((a, b) => b.restartCount - a.restartCount || Date.parse(b.createdAt) - Date.parse(a.createdAt));
  return map;
}

function newest(list: ManagedContainer[]): ManagedContainer | undefined {
  return [...list].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
}

function isExited(c: ManagedContainer): boolean {
  return c.state === 'exited' || c.state === 'dead';
}

/** Kubernetes' default: Always for `:latest` or untagged images, else IfNotPresent. */
export function pullPolicy(container: V1Container): PullPolicy {
  const policy = container.imagePullPolicy;
  if (policy === 'Always' || policy === 'IfNotPresent' || policy === 'Never') return policy;
  const image = container.image ?? '';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function gracePeriod(pod: V1Pod, override: number | undefined): number {
  return override ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
}

function fieldPath(pod: V1Pod, name: string, role?: 'init' | 'app' | 'ephemeral'): string {
  if (role === 'ephemeral' || (pod.spec?.ephemeralContainers ?? []).some((c) => c.name === name))
    return `spec.ephemeralContainers{${name}}`;
  const isInit =
    role === 'init' || (role === undefined && (pod.spec?.initContainers ?? []).some((c) => c.name === name));
  return isInit ? `spec.initContainers{${name}}` : `spec.containers{${name}}`;
}

/** Go's time.Duration formatting for whole seconds: 10s, 1m20s, 5m0s. */
export function formatDelay(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
