import { isPlainObject } from '../../../k8s-object';
import { ensureRecord, rec, records, setDefault, str } from './common';

/**
 * Pod spec defaulting as Kubernetes' SetDefaults_PodSpec / SetDefaults_Container /
 * SetDefaults_Probe / SetDefaults_Volume… (pkg/apis/core/v1/defaults.go). Shared by Pods and
 * every workload template (Deployments, Jobs, …), which Kubernetes defaults the same way.
 */

/** 0644: the default mode of secret, configMap, downwardAPI and projected volumes. */
export const DEFAULT_VOLUME_MODE = 420;

/** `Always` for `:latest` or untagged images, `IfNotPresent` otherwise (digests included). */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const lastPart = image.slice(lastSlash + 1);
  const colon = lastPart.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return lastPart.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHttpGet(handler: Record<string, unknown>): void {
  if (!isPlainObject(handler.httpGet)) return;
  setDefault(handler.httpGet, 'path', '/');
  setDefault(handler.httpGet, 'scheme', 'HTTP');
}

function defaultProbe(probe: unknown): void {
  if (!isPlainObject(probe)) return;
  for (const [key, value] of [
    ['timeoutSeconds', 1],
    ['periodSeconds', 10],
    ['successThreshold', 1],
    ['failureThreshold', 3],
  ] as const) {
    if (probe[key] === undefined || probe[key] === null || probe[key] === 0) probe[key] = value;
  }
  defaultHttpGet(probe);
  if (isPlainObject(probe.grpc) && (probe.grpc.service === undefined || probe.grpc.service === null)) {
    probe.grpc.service = '';
  }
}

function defaultLifecycle(lifecycle: unknown): void {
  if (!isPlainObject(lifecycle)) return;
  for (const hook of ['postStart', 'preStop']) {
    if (isPlainObject(lifecycle[hook])) defaultHttpGet(lifecycle[hook]);
  }
}

function defaultEnv(container: Record<string, unknown>): void {
  for (const env of records(container.env)) {
    const from = rec(env.valueFrom);
    if (isPlainObject(from.fieldRef)) setDefault(from.fieldRef, 'apiVersion', 'v1');
    if (isPlainObject(from.resourceFieldRef)) setDefault(from.resourceFieldRef, 'divisor', '0');
  }
}

/** Requests default to limits for every resource that has a limit but no request (SetDefaults_Pod). */
export function defaultRequestsFromLimits(container: Record<string, unknown>): void {
  const resources = rec(container.resources);
  const limits = rec(resources.limits);
  if (Object.keys(limits).length === 0) return;
  const requests = ensureRecord(resources, 'requests');
  for (const [name, quantity] of Object.entries(limits)) {
    if (requests[name] === undefined) requests[name] = quantity;
  }
}

/** SetDefaults_Container and friends for one (init, app or ephemeral) container. */
export function applyContainerDefaults(container: Record<string, unknown>, hostNetwork: boolean): void {
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  if (container.imagePullPolicy === undefined || container.imagePullPolicy === '') {
    container.imagePullPolicy = defaultImagePullPolicy(str(container.image));
  }
  if (!isPlainObject(container.resources)) container.resources = {};
  for (const port of records(container.ports)) {
    setDefault(port, 'protocol', 'TCP');
    if (hostNetwork && (port.hostPort === undefined || port.hostPort === 0))
      port.hostPort = port.containerPort;
  }
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  defaultLifecycle(container.lifecycle);
  defaultEnv(container);
}

// In the order Kubernetes' validateVolumeSource checks them (it names the second one found).
const volumeSourceKeys = [
  'emptyDir',
  'hostPath',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'cinder',
  'cephfs',
  'quobyte',
  'downwardAPI',
  'fc',
  'flexVolume',
  'configMap',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'storageos',
  'projected',
  'scaleIO',
  'csi',
  'ephemeral',
  'image',
] as const;

/** Every volume source field name of a v1 Volume. */
export const VOLUME_SOURCE_KEYS: readonly string[] = volumeSourceKeys;

/** SetDefaults_Volume and the volume sources' defaults. */
export function applyVolumeDefaults(volume: Record<string, unknown>): void {
  if (!VOLUME_SOURCE_KEYS.some((key) => volume[key] !== undefined && volume[key] !== null))
    volume.emptyDir = {};
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const source = volume[key];
    if (isPlainObject(source) && (source.defaultMode === undefined || source.defaultMode === null)) {
      source.defaultMode = DEFAULT_VOLUME_MODE;
    }
  }
  if (isPlainObject(volume.hostPath)) setDefault(volume.hostPath, 'type', '');
  if (isPlainObject(volume.projected)) {
    for (const source of records(volume.projected.sources)) {
      const token = source.serviceAccountToken;
      if (isPlainObject(token) && token.expirationSeconds === undefined) token.expirationSeconds = 3600;
    }
  }
  if (isPlainObject(volume.iscsi)) setDefault(volume.iscsi, 'iscsiInterface', 'default');
  if (isPlainObject(volume.image)) {
    const image = volume.image;
    if (image.pullPolicy === undefined || image.pullPolicy === '') {
      image.pullPolicy = defaultImagePullPolicy(str(image.reference));
    }
  }
}

/** SetDefaults_PodSpec plus container, volume and probe defaults; mutates `spec`. */
export function applyPodSpecDefaults(spec: Record<string, unknown>): void {
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'restartPolicy', 'Always');
  if (!isPlainObject(spec.securityContext)) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    spec.terminationGracePeriodSeconds = 30;
  }
  setDefault(spec, 'schedulerName', 'default-scheduler');
  const hostNetwork = spec.hostNetwork === true;
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const container of records(spec[key])) applyContainerDefaults(container, hostNetwork);
  }
  for (const volume of records(spec.volumes)) applyVolumeDefaults(volume);
}

/** Defaults of a PodTemplateSpec (`{metadata, spec}`) inside a workload. */
export function applyPodTemplateDefaults(template: unknown): void {
  if (!isPlainObject(template)) return;
  applyPodSpecDefaults(ensureRecord(template, 'spec'));
}
