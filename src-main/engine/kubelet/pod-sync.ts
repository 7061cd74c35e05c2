import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../apiserver/status';
import type { ObjectApi } from '../apiserver/object-api';
import type { Clock } from '../controllers/runtime/clock';
import type { EventRecorder, EventType } from '../controllers/runtime/event-recorder';
import type { KubeObject } from '../k8s-object';
import { LABELS, type ContainerRuntime, type ManagedContainer, type PodIdentity } from '../runtime/types';
import { Backoff } from './backoff';
import { buildContainerSpec, buildSandboxSpec, containerSpecHash } from './container-spec';
import { ContainerConfigError, resolveEnv } from './env';
import { readTerminationMessages, stopContainer } from './container-stop';
import { runHook } from './hooks';
import { apiLookup, namespaceServices } from './object-lookup';
import { ImagePuller } from './image-puller';
import { groupInstances, isExited, newest, probeTargets, terminationLogPath, withGhosts } from './instances';
import { errorText, fieldPath, formatDelay, gracePeriod, mergeForeignConditions } from './pod-helpers';
import { pullAuth } from './pull-secrets';
import type { ProbeManager } from './probe-manager';
import { PODS } from './resources';
import { computePodStatus, imageRef, isSidecar, type ContainerView, type WaitingReason } from './status';
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
  /** Failures of background work (graceful termination), for the engine log. */
  onError?: (message: string, error: unknown) => void;
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
  /** Container ids being stopped in the background. */
  killing: Set<string>;
  /** A finished pod whose stopped containers are reported. */
  settled?: boolean;
  /** OOM kills already in the reported status. */
  reportedOom: Set<string>;
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

  private readonly puller: ImagePuller;
  private readonly knownImageRefs = new Map<string, string>();
  /** Containers the engine reported an `oom` event for (its OOMKilled flag can miss a race). */
  private readonly oomKilled = new Set<string>();

  constructor(private readonly options: PodSyncOptions) {
    this.puller = new ImagePuller(options.runtime);
  }

  /** Syncs the pod; returns milliseconds after which it wants another sync. */
  async sync(key: string, pod: V1Pod | undefined, knownUid: string | undefined): Promise<number | undefined> {
    if (!pod) {
      if (knownUid) await this.cleanUp(key, knownUid);
      return undefined;
    }
    const uid = pod.metadata?.uid ?? '';
    let state = this.states.get(uid);
    if (!state) {
      state = { uid, waiting: new Map(), killing: new Set(), reportedOom: new Set() };
      this.states.set(uid, state);
    }
    if (pod.metadata?.deletionTimestamp) {
      if (!state.terminating) {
        const current = state;
        state.terminating = this.terminate(key, pod)
          .catch((error: unknown) => this.options.onError?.(`termination of pod ${key} failed`, error))
          .finally(() => {
            current.terminating = undefined;
            this.options.enqueue(key);
          });
      }
      return undefined;
    }
    if (state.terminating) return undefined;
    return this.syncLive(key, pod, state);
  }

  /** Containers the kubelet itself stopped: their SIGKILL is no OOM kill. */
  private readonly stoppedByUs = new Set<string>();

  private noteStopped(containerId: string): void {
    this.stoppedByUs.add(containerId);
    if (this.stoppedByUs.size > 4096)
      this.stoppedByUs.delete(this.stoppedByUs.values().next().value as string);
  }

  /**
   * Whether a finished container was OOM-killed. Docker's flag and its `oom` event both miss
   * some kills under cgroup v2, so a SIGKILL (137) the kubelet did not send to a container
   * with a memory limit counts as one too.
   */
  private wasOomKilled(pod: V1Pod, c: ManagedContainer): boolean {
    if (c.state === 'running' || c.role === 'sandbox') return false;
    if (c.oomKilled || this.oomKilled.has(c.id)) return true;
    if (c.exitCode !== 137 || this.stoppedByUs.has(c.id)) return false;
    const spec = [
      ...(pod.spec?.initContainers ?? []),
      ...(pod.spec?.containers ?? []),
      ...((pod.spec?.ephemeralContainers ?? []) as V1Container[]),
    ].find((x) => x.name === c.container);
    return spec?.resources?.limits?.memory !== undefined;
  }

  /** Records an engine `oom` event: the container is reported OOMKilled when it ends. */
  noteOom(containerId: string): void {
    this.oomKilled.add(containerId);
    if (this.oomKilled.size > 1024) this.oomKilled.delete(this.oomKilled.values().next().value as string);
  }

  /** `imageID`s of the containers' images, looked up once per image. */
  private async imageRefs(containers: ManagedContainer[]): Promise<Map<string, string>> {
    for (const c of containers) {
      if (
        c.role === 'sandbox' ||
        !c.imageId ||
        c.imageId.includes('://') ||
        this.knownImageRefs.has(c.imageId)
      )
        continue;
      const found = await this.options.runtime.ensureImage(c.image, 'Never').catch(() => undefined);
      this.knownImageRefs.set(
        c.imageId,
        imageRef(c.image, c.imageId, found?.imageId === c.imageId ? found.repoDigests : []),
      );
    }
    return this.knownImageRefs;
  }

  /** Forgets in-memory state of pods no longer present (uids not in `live`). */
  prune(live: Set<string>): void {
    for (const uid of [...this.states.keys()])
      if (!live.has(uid) && !this.states.get(uid)?.terminating) this.states.delete(uid);
    this.restartBackoff.prune((key) => live.has(key.split('/')[0]));
    this.puller.prune(live);
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
        ...(pod as unknown as KubeObject),
        apiVersion: pod.apiVersion ?? 'v1',
        kind: pod.kind ?? 'Pod',
        metadata: pod.metadata ?? {},
      },
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
      // The phase stays, but container statuses settle (stopped containers, a late OOM
      // report); once everything is stopped and reported, a finished pod costs nothing.
      const busy = all.some((c) => c.state === 'running');
      const lateOom = all.some((c) => this.oomKilled.has(c.id) && !state.reportedOom.has(c.id));
      if (busy || !state.settled || lateOom) {
        for (const c of all) if (this.oomKilled.has(c.id)) state.reportedOom.add(c.id);
        await this.reportStatus(key, pod, state);
        state.settled = !busy;
      }
      return undefined;
    }

    if (!sandbox || sandbox.state !== 'running') {
      const everStarted = all.some((c) => c.role === 'app');
      if (sandbox) {
        this.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
        for (const c of all)
          if (c.role !== 'sandbox' && c.state === 'running') {
            this.noteStopped(c.id);
            await runtime.stop(c.id, 0);
          }
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
      if (all.some((c) => c.role !== 'sandbox')) {
        const refreshed = await runtime.listManaged(this.options.profile, { [LABELS.podUid]: state.uid });
        instances.clear();
        for (const [name, list] of withGhosts(pod, groupInstances(refreshed))) instances.set(name, list);
      }
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
          lookup: apiLookup(this.options.api),
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
      // A new sandbox means the pod restarted: its init containers run again, as on Kubernetes.
      const fromOldSandbox =
        current !== undefined &&
        sandbox !== undefined &&
        Date.parse(current.createdAt) < Date.parse(sandbox.createdAt);
      if (current && isExited(current) && current.exitCode === 0 && !fromOldSandbox) continue;
      initialized = false;
      if (!current) {
        await start(container, 'init', 0);
      } else if (fromOldSandbox && isExited(current)) {
        await start(container, 'init', current.restartCount + 1);
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

    await this.reportStatus(key, pod, state, failure);
    return requeue;
  }

  /** Reads the pod's containers again and writes the status when it changed. */
  private async reportStatus(
    key: string,
    pod: V1Pod,
    state: PodState,
    failure?: { reason: string; message: string },
  ): Promise<void> {
    const { runtime } = this.options;
    const spec = pod.spec ?? { containers: [] };
    const fresh = (await runtime.listManaged(this.options.profile, { [LABELS.podUid]: state.uid })).map(
      (c) => (!c.oomKilled && this.wasOomKilled(pod, c) ? { ...c, oomKilled: true } : c),
    );
    const freshInstances = withGhosts(pod, groupInstances(fresh));
    const freshSandbox = newest(fresh.filter((c) => c.role === 'sandbox'));
    const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    if (!finished) this.options.probes.sync(key, probeTargets(key, pod, freshInstances, freshSandbox));
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
      terminationMessages: await readTerminationMessages(runtime, this.options.profileDir, pod, fresh),
      imageRefs: await this.imageRefs(fresh),
      failure,
    });
    this.writeStatus(pod, status);
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
    const pulled = await this.puller.ensure(
      pod,
      container,
      now,
      () => pullAuth(pod, image, (namespace, name) => apiLookup(this.options.api).secret(namespace, name)),
      (type, reason, message) => this.event(pod, type, reason, message, where),
    );
    if (!pulled.ok) {
      state.waiting.set(container.name, pulled.waiting);
      return pulled.retryAfterMs;
    }

    let env: string[];
    try {
      env = resolveEnv({
        pod,
        container,
        lookup: apiLookup(this.options.api),
        podIP,
        hostIP: this.options.hostIP(),
        services: namespaceServices(this.options.api, pod.metadata?.namespace ?? 'default'),
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
        this.noteStopped(created.id);
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
      this.noteStopped(instance.id);
      await stopContainer(this.options, instance, container, graceSeconds);
    } catch {
      // The next sync sees whatever state the container is in.
    } finally {
      state.killing.delete(instance.id);
      this.options.enqueue(key);
    }
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
          await stopContainer(this.options, c, specs.get(c.container), left).catch(() => undefined);
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
}
