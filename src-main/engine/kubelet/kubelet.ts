import type { V1Pod } from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ObjectApi } from '../apiserver/object-api';
import type { Clock } from '../controllers/runtime/clock';
import { Controller } from '../controllers/runtime/controller';
import { EventRecorder } from '../controllers/runtime/event-recorder';
import { Informer } from '../controllers/runtime/informer';
import { objectKey } from '../controllers/runtime/keys';
import type { KubeObject } from '../k8s-object';
import { LABELS, type ContainerRuntime, type RuntimeEvent } from '../runtime/types';
import { NodeAgent } from './node-agent';
import { diskSize, nodeCapacity, type NodeFacts } from './node-status';
import { PodSyncer } from './pod-sync';
import { ProbeManager } from './probe-manager';
import { PODS } from './resources';
import { cachedTokens, type TokenSource } from './token-cache';

export interface KubeletOptions {
  api: ObjectApi;
  runtime: ContainerRuntime;
  /** `<profile>` for the first node, `<profile>-m02`, … for the others. */
  nodeName: string;
  profile: string;
  /** The profile folder; pod volumes live under `<profileDir>/pods/<uid>/volumes/`. */
  profileDir: string;
  /** The profile's Docker network (pods' sandboxes join it). */
  network: string;
  clock: Clock;
  pauseImage: string;
  /** Cluster DNS servers for ClusterFirst pods; without them pods use Docker's resolver only. */
  clusterDns?: string[];
  clusterDomain?: string;
  /** Caps on what the node reports (`--cpus`, `--memory`). */
  capacity?: { cpu?: string; memory?: string };
  /** The first node carries the control-plane role; defaults to nodeName === profile. */
  controlPlane?: boolean;
  /** Token for projected serviceAccountToken volumes; without it no token file is written. */
  serviceAccountToken?: TokenSource;
  /** The cluster CA (PEM), used for `kube-root-ca.crt` projections when that ConfigMap is missing. */
  caCertificate?: string;
  /** Defaults to v1.32.0. */
  kubeletVersion?: string;
  /** How often every pod is re-synced and orphans are collected (default 10 s). */
  resyncMs?: number;
  /** Problems that do not stop the kubelet (sync failures), for the engine log. */
  onError?: (message: string, error: unknown) => void;
}

export interface RunningKubelet {
  /** Stops syncing; containers keep running so a new kubelet re-adopts them. */
  stop(): Promise<void>;
}

/** Docker events that mean a pod's containers changed state. */
const STATE_ACTIONS = new Set(['create', 'start', 'die', 'oom', 'kill', 'stop', 'destroy']);

/**
 * Starts the node agent for one node: registers the Node and its Lease, then runs every pod
 * bound to the node as containers through the runtime. Containers that already run for known
 * pods (from an earlier engine) are adopted as they are; containers of unknown pods are
 * removed.
 */
export async function startKubelet(options: KubeletOptions): Promise<RunningKubelet> {
  const { api, runtime, clock, nodeName, profile } = options;
  const onError = options.onError ?? (() => undefined);
  await runtime.ping();
  const [info, network, diskBytes] = await Promise.all([
    runtime.info(),
    runtime.ensureNetwork(options.network, { [LABELS.profile]: profile }),
    (async () => {
      await fs.mkdir(path.join(options.profileDir, 'pods'), { recursive: true });
      return diskSize(options.profileDir);
    })(),
  ]);
  const kubeletVersion = options.kubeletVersion ?? 'v1.32.0';
  const facts: NodeFacts = {
    nodeName,
    controlPlane: options.controlPlane ?? nodeName === profile,
    info,
    internalIP: network.gateway,
    kubeletVersion,
    capacityCap: options.capacity,
    diskBytes,
  };
  const nodeAgent = new NodeAgent(
    api,
    clock,
    facts,
    (error) => onError('node status update failed', error),
    () => runtime.ping(),
  );
  nodeAgent.start();
  const allocatable = nodeCapacity(facts);

  const minorVersion = kubeletVersion.replace(/^v/, '').split('.').slice(0, 2).join('.');
  const recorder = new EventRecorder(api, { component: 'kubelet', host: nodeName }, clock);
  const informer = new Informer(api, PODS, { fieldSelector: `spec.nodeName=${nodeName}` });
  const knownUids = new Map<string, string>();
  // Called only once the controller below exists (handlers and probes start after it).
  const enqueue = (key: string) => controller.enqueue(key);

  const probes = new ProbeManager({
    runtime,
    clock,
    kubeletMinorVersion: minorVersion,
    onChange: enqueue,
    onFailure: (podKey, fieldPath, message) => {
      const pod = informer.get(podKey);
      if (pod) recorder.record(asPod(pod), 'Warning', 'Unhealthy', message, fieldPath);
    },
  });
  const tokens = options.serviceAccountToken ? cachedTokens(options.serviceAccountToken, clock) : undefined;
  const syncer = new PodSyncer({
    api,
    runtime,
    clock,
    recorder,
    probes,
    profile,
    nodeName,
    network: options.network,
    profileDir: options.profileDir,
    pauseImage: options.pauseImage,
    clusterDns: options.clusterDns,
    clusterDomain: options.clusterDomain ?? 'cluster.local',
    hostIP: () => network.gateway,
    nodeAllocatable: () => allocatable,
    serviceAccountToken: tokens?.get,
    caCertificate: options.caCertificate,
    kubeletMinorVersion: minorVersion,
    onError,
    enqueue,
  });

  const controller: Controller = new Controller({
    name: `kubelet-${nodeName}`,
    clock,
    workers: 8,
    reconcile: async (key) => {
      const pod = informer.get(key);
      if (pod?.metadata.uid) knownUids.set(key, pod.metadata.uid);
      const delay = await syncer.sync(key, pod as unknown as V1Pod | undefined, knownUids.get(key));
      if (!pod) knownUids.delete(key);
      return delay !== undefined ? { requeueAfterMs: delay } : undefined;
    },
    onError: (key, error) => onError(`sync of pod ${key} failed`, error),
  });

  informer.addHandlers({
    add: (obj) => enqueue(objectKey(obj)),
    // Our own status writes come back as updates: only changes made by others matter.
    update: (old, obj) => {
      if (changedByOthers(old, obj)) enqueue(objectKey(obj));
    },
    delete: (obj) => enqueue(objectKey(obj)),
  });
  informer.start();
  controller.start();

  const onRuntimeEvent = (event: RuntimeEvent) => {
    if (!STATE_ACTIONS.has(event.action)) return;
    if (event.labels[LABELS.node] !== nodeName) return;
    if (event.action === 'oom') syncer.noteOom(event.containerId);
    const namespace = event.labels[LABELS.podNamespace];
    const name = event.labels[LABELS.podName];
    if (namespace && name) enqueue(`${namespace}/${name}`);
  };
  let stopped = false;
  let stopEvents: (() => void) | undefined;
  let cancelEventsRetry: () => void = () => {};
  // The engine's event stream ends when the engine restarts: subscribe again (and resync, as
  // events may have been missed meanwhile).
  const watchRuntimeEvents = async (): Promise<void> => {
    if (stopped) return;
    try {
      const stop = await runtime.watchEvents(profile, onRuntimeEvent, () => {
        stopEvents = undefined;
        if (!stopped) cancelEventsRetry = clock.setTimer(2_000, () => void watchRuntimeEvents());
      });
      if (stopped) {
        stop();
        return;
      }
      stopEvents = stop;
      for (const pod of informer.list()) enqueue(objectKey(pod));
    } catch (error) {
      onError('watching container events failed; retrying', error);
      if (!stopped) cancelEventsRetry = clock.setTimer(5_000, () => void watchRuntimeEvents());
    }
  };
  await watchRuntimeEvents();

  let cancelResync: () => void = () => {};
  const resync = async () => {
    if (stopped) return;
    try {
      const pods = informer.list();
      for (const pod of pods) enqueue(objectKey(pod));
      const live = new Set(pods.map((p) => p.metadata.uid ?? ''));
      syncer.prune(live);
      tokens?.prune(live);
      await collectOrphans(runtime, profile, nodeName, live, options.profileDir, syncer);
    } catch (error) {
      onError('pod resync failed', error);
    }
    if (!stopped) cancelResync = clock.setTimer(options.resyncMs ?? 10_000, () => void resync());
  };
  await resync();

  return {
    async stop() {
      stopped = true;
      cancelResync();
      cancelEventsRetry();
      stopEvents?.();
      stopEvents = undefined;
      nodeAgent.stop();
      informer.stop();
      probes.stopAll();
      await controller.stop();
    },
  };
}

/** Removes containers (and pod folders) of this node whose pod no longer exists. */
async function collectOrphans(
  runtime: ContainerRuntime,
  profile: string,
  nodeName: string,
  live: Set<string>,
  profileDir: string,
  syncer: PodSyncer,
): Promise<void> {
  const containers = await runtime.listManaged(profile, { [LABELS.node]: nodeName });
  const orphans = new Map<string, string>();
  for (const c of containers) {
    const uid = c.labels[LABELS.podUid];
    if (uid && !live.has(uid))
      orphans.set(uid, `${c.labels[LABELS.podNamespace]}/${c.labels[LABELS.podName]}`);
  }
  for (const [uid, key] of orphans) await syncer.cleanUp(key, uid);
  const podsDir = path.join(profileDir, 'pods');
  const dirs = await fs.readdir(podsDir).catch(() => [] as string[]);
  for (const uid of dirs) {
    if (live.has(uid)) continue;
    // Folders of other nodes' pods live here too: only remove those with none of our pods' uids
    // and no container anywhere in the profile.
    const anywhere = await runtime.listManaged(profile, { [LABELS.podUid]: uid });
    if (anywhere.length === 0 && !(await belongsToOtherNode(path.join(podsDir, uid), nodeName)))
      await fs.rm(path.join(podsDir, uid), { recursive: true, force: true }).catch(() => undefined);
  }
}

async function belongsToOtherNode(dir: string, nodeName: string): Promise<boolean> {
  const owner = await fs.readFile(path.join(dir, 'node'), 'utf8').catch(() => nodeName);
  return owner.trim() !== nodeName;
}

/** True unless the update changed nothing but the kubelet-owned parts of the status. */
function changedByOthers(old: KubeObject, obj: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { resourceVersion: _rv, managedFields: _mf, ...metadata } = o.metadata;
    const status = (o.status ?? {}) as { conditions?: Array<{ type: string }> };
    const foreign = (status.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type));
    return JSON.stringify({ ...o, metadata, status: foreign });
  };
  return strip(old) !== strip(obj);
}

const KUBELET_CONDITIONS = new Set([
  'PodScheduled',
  'PodReadyToStartContainers',
  'Initialized',
  'Ready',
  'ContainersReady',
]);

function asPod(obj: KubeObject): KubeObject {
  return { ...obj, apiVersion: obj.apiVersion ?? 'v1', kind: obj.kind ?? 'Pod' };
}
