import type {
  V1ConfigMapProjection,
  V1DownwardAPIVolumeFile,
  V1KeyToPath,
  V1Pod,
  V1SecretProjection,
  V1Volume,
} from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../k8s-object';
import { writeAtomically, type PayloadFile } from './atomic-writer';
import { podFieldValue, resourceFieldValue, type ObjectLookup } from './env';

/** A volume cannot be set up; reported as a `FailedMount` event, the pod waits. */
export class MountError extends Error {}

export interface VolumeContext {
  pod: V1Pod;
  /** `<profileDir>/pods/<uid>`. */
  podDir: string;
  lookup: ObjectLookup & {
    persistentVolumeClaim(namespace: string, name: string): KubeObject | undefined;
    persistentVolume(name: string): KubeObject | undefined;
  };
  /** The pod's service account token (projected `serviceAccountToken` sources). */
  serviceAccountToken?: (
    pod: V1Pod,
    audience?: string,
    expirationSeconds?: number,
  ) => Promise<string | undefined>;
  /** Used for `kube-root-ca.crt` when that ConfigMap does not exist (yet). */
  caCertificate?: string;
  podIP?: string;
  hostIP?: string;
}

const PLUGIN_DIRS: Record<string, string> = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
};

/** The host folder of a pod: `<profileDir>/pods/<uid>`. */
export function podDirectory(profileDir: string, podUid: string): string {
  return path.join(profileDir, 'pods', podUid);
}

/**
 * Sets up every volume of the pod on the host and returns volume name → host path.
 * Idempotent: called on every sync so ConfigMap/Secret changes reach running containers.
 */
export async function setUpVolumes(context: VolumeContext): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const volume of context.pod.spec?.volumes ?? []) {
    try {
      paths.set(volume.name, await setUpVolume(volume, context));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new MountError(`MountVolume.SetUp failed for volume "${volume.name}" : ${message}`);
    }
  }
  return paths;
}

async function setUpVolume(volume: V1Volume, context: VolumeContext): Promise<string> {
  const namespace = context.pod.metadata?.namespace ?? 'default';
  const pluginDir = (kind: keyof typeof PLUGIN_DIRS) =>
    path.join(context.podDir, 'volumes', PLUGIN_DIRS[kind], volume.name);

  if (volume.emptyDir) {
    const dir = pluginDir('emptyDir');
    await fs.mkdir(dir, { recursive: true });
    // Any user of the pod may write to an emptyDir, as on Kubernetes.
    await fs.chmod(dir, 0o777);
    return dir;
  }
  if (volume.hostPath) return setUpHostPath(volume.hostPath.path, volume.hostPath.type ?? '');
  if (volume.configMap) {
    const source = volume.configMap;
    const payload = new Map<string, PayloadFile>();
    addConfigMap(payload, namespace, source, source.defaultMode ?? 0o644, context);
    const dir = pluginDir('configMap');
    await writeAtomically(dir, payload);
    return dir;
  }
  if (volume.secret) {
    const source = volume.secret;
    const payload = new Map<string, PayloadFile>();
    addSecret(
      payload,
      namespace,
      { name: source.secretName, items: source.items, optional: source.optional },
      source.defaultMode ?? 0o644,
      context,
    );
    const dir = pluginDir('secret');
    await writeAtomically(dir, payload);
    return dir;
  }
  if (volume.downwardAPI) {
    const payload = new Map<string, PayloadFile>();
    addDownward(payload, volume.downwardAPI.items ?? [], volume.downwardAPI.defaultMode ?? 0o644, context);
    const dir = pluginDir('downwardAPI');
    await writeAtomically(dir, payload);
    return dir;
  }
  if (volume.projected) {
    const mode = volume.projected.defaultMode ?? 0o644;
    const payload = new Map<string, PayloadFile>();
    for (const source of volume.projected.sources ?? []) {
      if (source.configMap) addConfigMap(payload, namespace, source.configMap, mode, context);
      if (source.secret) addSecret(payload, namespace, source.secret, mode, context);
      if (source.downwardAPI) addDownward(payload, source.downwardAPI.items ?? [], mode, context);
      if (source.serviceAccountToken) {
        const token = await context.serviceAccountToken?.(
          context.pod,
          source.serviceAccountToken.audience,
          source.serviceAccountToken.expirationSeconds,
        );
        if (token !== undefined)
          payload.set(source.serviceAccountToken.path, { data: Buffer.from(token), mode });
      }
    }
    const dir = pluginDir('projected');
    await writeAtomically(dir, payload);
    return dir;
  }
  if (volume.persistentVolumeClaim) {
    const claimName = volume.persistentVolumeClaim.claimName;
    const claim = context.lookup.persistentVolumeClaim(namespace, claimName);
    if (!claim) throw new Error(`persistentvolumeclaim "${claimName}" not found`);
    const volumeName =
      typeof (claim.spec as { volumeName?: unknown } | undefined)?.volumeName === 'string'
        ? (claim.spec as { volumeName: string }).volumeName
        : '';
    if (!volumeName) throw new Error(`persistentvolumeclaim "${claimName}" is not bound`);
    const pv = context.lookup.persistentVolume(volumeName);
    if (!pv) throw new Error(`persistentvolume "${volumeName}" not found`);
    const spec = (pv.spec ?? {}) as {
      hostPath?: { path?: string; type?: string };
      local?: { path?: string };
    };
    const hostPath = spec.hostPath?.path ?? spec.local?.path;
    if (!hostPath) throw new Error(`persistentvolume "${volumeName}" is not a hostPath or local volume`);
    return setUpHostPath(hostPath, spec.hostPath?.type || 'DirectoryOrCreate');
  }
  throw new Error('volume type not supported by this node');
}

async function setUpHostPath(hostPath: string, type: string): Promise<string> {
  const stat = await fs.stat(hostPath).catch(() => undefined);
  switch (type) {
    case 'DirectoryOrCreate':
      if (!stat) await fs.mkdir(hostPath, { recursive: true, mode: 0o755 });
      else if (!stat.isDirectory())
        throw new Error(`hostPath type check failed: ${hostPath} is not a directory`);
      break;
    case 'FileOrCreate':
      if (!stat) {
        await fs.mkdir(path.dirname(hostPath), { recursive: true });
        await fs.writeFile(hostPath, '', { mode: 0o644 });
      } else if (!stat.isFile()) throw new Error(`hostPath type check failed: ${hostPath} is not a file`);
      break;
    case 'Directory':
      if (!stat?.isDirectory()) throw new Error(`hostPath type check failed: ${hostPath} is not a directory`);
      break;
    case 'File':
      if (!stat?.isFile()) throw new Error(`hostPath type check failed: ${hostPath} is not a file`);
      break;
    case 'Socket':
      if (!stat?.isSocket()) throw new Error(`hostPath type check failed: ${hostPath} is not a socket file`);
      break;
    default:
      break;
  }
  return hostPath;
}

function addItems(
  payload: Map<string, PayloadFile>,
  data: Map<string, Buffer>,
  items: V1KeyToPath[] | undefined,
  mode: number,
  describe: string,
  optional: boolean,
): void {
  if (!items || items.length === 0) {
    for (const [key, value] of data) payload.set(key, { data: value, mode });
    return;
  }
  for (const item of items) {
    const value = data.get(item.key);
    if (value === undefined) {
      if (optional) continue;
      throw new Error(
        `configmap references non-existent config key: ${item.key}`.replace('configmap', describe),
      );
    }
    payload.set(item.path, { data: value, mode: item.mode ?? mode });
  }
}

function addConfigMap(
  payload: Map<string, PayloadFile>,
  namespace: string,
  source: V1ConfigMapProjection,
  mode: number,
  context: VolumeContext,
): void {
  const name = source.name ?? '';
  const cm = context.lookup.configMap(namespace, name);
  const data = new Map<string, Buffer>();
  if (!cm) {
    if (name === 'kube-root-ca.crt' && context.caCertificate) {
      data.set('ca.crt', Buffer.from(context.caCertificate));
    } else if (source.optional) {
      return;
    } else {
      throw new Error(`configmap "${name}" not found`);
    }
  } else {
    for (const [key, value] of Object.entries(record(cm.data))) data.set(key, Buffer.from(String(value)));
    for (const [key, value] of Object.entries(record(cm.binaryData)))
      data.set(key, Buffer.from(String(value), 'base64'));
  }
  addItems(payload, data, source.items, mode, 'configmap', source.optional ?? false);
}

function addSecret(
  payload: Map<string, PayloadFile>,
  namespace: string,
  source: V1SecretProjection,
  mode: number,
  context: VolumeContext,
): void {
  const name = source.name ?? '';
  const secret = context.lookup.secret(namespace, name);
  if (!secret) {
    if (source.optional) return;
    throw new Error(`secret "${name}" not found`);
  }
  const data = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(record(secret.data)))
    data.set(key, Buffer.from(String(value), 'base64'));
  addItems(payload, data, source.items, mode, 'secret', source.optional ?? false);
}

function addDownward(
  payload: Map<string, PayloadFile>,
  items: V1DownwardAPIVolumeFile[],
  mode: number,
  context: VolumeContext,
): void {
  for (const item of items) {
    let value = '';
    if (item.fieldRef) value = podFieldValue(context.pod, item.fieldRef.fieldPath, context);
    else if (item.resourceFieldRef) {
      const container = (context.pod.spec?.containers ?? []).find(
        (c) => c.name === item.resourceFieldRef?.containerName,
      );
      if (container)
        value = resourceFieldValue(container, item.resourceFieldRef.resource, item.resourceFieldRef.divisor);
    }
    payload.set(item.path, { data: Buffer.from(value), mode: item.mode ?? mode });
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
