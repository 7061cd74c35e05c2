import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ObjectApi } from '../../apiserver/object-api';
import type { GroupVersionResource } from '../../apiserver/registry/types';
import { ApiError } from '../../apiserver/status';
import type { Clock } from '../runtime/clock';
import { Controller } from '../runtime/controller';
import { EventRecorder } from '../runtime/event-recorder';
import { Informer } from '../runtime/informer';
import { objectKey, splitKey } from '../runtime/keys';
import { getOrUndefined } from '../shared/api-helpers';
import { PVCS } from '../shared/resources';

const PVS: GroupVersionResource = { group: '', version: 'v1', resource: 'persistentvolumes' };
const STORAGE_CLASSES: GroupVersionResource = {
  group: 'storage.k8s.io',
  version: 'v1',
  resource: 'storageclasses',
};

/** minikube's provisioner name, so manifests written for minikube work unchanged. */
export const PROVISIONER = 'k8s.io/minikube-hostpath';
export const DEFAULT_STORAGE_CLASS = 'standard';

export interface HostpathProvisionerOptions {
  api: ObjectApi;
  clock: Clock;
  /** Volumes live under `<profileDir>/volumes/<pv-name>`. */
  profileDir: string;
  onError?: (message: string, error: unknown) => void;
}

interface ClaimSpec {
  storageClassName?: string | null;
  volumeName?: string;
  accessModes?: string[];
  volumeMode?: string;
  resources?: { requests?: Record<string, string> };
}

/**
 * The default StorageClass `standard` and its provisioner: every pending claim of that class
 * (or of no class, which the default class stands for) gets a new hostPath PersistentVolume
 * under `<profileDir>/volumes/<pv-name>` and is bound to it. Data stays until the claim is
 * deleted (reclaim policy Delete), so it survives pod deletion and cluster restarts.
 */
export function startHostpathProvisioner(options: HostpathProvisionerOptions): { stop(): Promise<void> } {
  const { api, clock } = options;
  const onError = options.onError ?? (() => undefined);
  ensureStorageClass(api);
  const recorder = new EventRecorder(api, { component: `${PROVISIONER}_kubedesk` }, clock);
  const claims = new Informer(api, PVCS);
  const volumes = new Informer(api, PVS);

  const controller = new Controller({
    name: 'hostpath-provisioner',
    clock,
    reconcile: async (key) => {
      if (key.startsWith('pv:')) await reconcileVolume(key.slice(3));
      else await reconcileClaim(key);
    },
    onError: (key, error) => onError(`provisioning ${key} failed`, error),
  });

  const reconcileClaim = async (key: string): Promise<void> => {
    const claim = claims.get(key);
    if (!claim || claim.metadata.deletionTimestamp) return;
    const spec = (claim.spec ?? {}) as ClaimSpec;
    const className = spec.storageClassName ?? DEFAULT_STORAGE_CLASS;
    if (className !== DEFAULT_STORAGE_CLASS) return;
    const phase = (claim.status as { phase?: string } | undefined)?.phase;
    if (spec.volumeName && phase === 'Bound') return;
    const { namespace, name } = splitKey(key);
    const pvName = spec.volumeName || `pvc-${claim.metadata.uid}`;
    const dir = path.join(options.profileDir, 'volumes', pvName);
    const storage = spec.resources?.requests?.storage ?? '1Gi';
    const accessModes = spec.accessModes ?? ['ReadWriteOnce'];

    let pv = volumes.get(pvName) ?? getOrUndefined(api, PVS, undefined, pvName);
    if (!pv) {
      await fs.mkdir(dir, { recursive: true });
      // Pods may run as any user; the claim's owner decides inside.
      await fs.chmod(dir, 0o777);
      pv = api.create(PVS, undefined, {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: pvName, annotations: { 'pv.kubernetes.io/provisioned-by': PROVISIONER } },
        spec: {
          capacity: { storage },
          accessModes,
          persistentVolumeReclaimPolicy: 'Delete',
          storageClassName: DEFAULT_STORAGE_CLASS,
          volumeMode: spec.volumeMode ?? 'Filesystem',
          hostPath: { path: dir, type: '' },
          claimRef: {
            kind: 'PersistentVolumeClaim',
            apiVersion: 'v1',
            namespace,
            name,
            uid: claim.metadata.uid,
            resourceVersion: claim.metadata.resourceVersion,
          },
        },
      });
      recorder.record(
        { ...claim, apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
        'Normal',
        'ProvisioningSucceeded',
        `Successfully provisioned volume ${pvName}`,
      );
    }
    if ((pv.status as { phase?: string } | undefined)?.phase !== 'Bound') {
      api.update(PVS, undefined, { ...pv, status: { phase: 'Bound' } }, { subresource: 'status' });
    }
    const latest = api.get(PVCS, namespace, name);
    const latestSpec = (latest.spec ?? {}) as ClaimSpec;
    const provisionerAnnotations = {
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
      'volume.beta.kubernetes.io/storage-provisioner': PROVISIONER,
      'volume.kubernetes.io/storage-provisioner': PROVISIONER,
    };
    const bound = api.update(PVCS, namespace, {
      ...latest,
      metadata: {
        ...latest.metadata,
        annotations: { ...(latest.metadata.annotations ?? {}), ...provisionerAnnotations },
      },
      // Only volumeName may change on a claim; a class left unset is the DefaultStorageClass
      // admission's to fill.
      spec: { ...latestSpec, volumeName: pvName },
    });
    api.update(
      PVCS,
      namespace,
      { ...bound, status: { phase: 'Bound', accessModes, capacity: { storage } } },
      { subresource: 'status' },
    );
  };

  const reconcileVolume = async (name: string): Promise<void> => {
    const pv = volumes.get(name);
    if (!pv || pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'] !== PROVISIONER) return;
    const spec = (pv.spec ?? {}) as {
      claimRef?: { namespace?: string; name?: string; uid?: string };
      persistentVolumeReclaimPolicy?: string;
      hostPath?: { path?: string };
    };
    const ref = spec.claimRef;
    if (!ref?.name) return;
    const claim = claims.get(`${ref.namespace}/${ref.name}`);
    if (claim && claim.metadata.uid === ref.uid) return;
    if (spec.persistentVolumeReclaimPolicy === 'Delete') {
      const dir = spec.hostPath?.path;
      // Only folders this provisioner made are ever removed.
      if (dir && path.dirname(dir) === path.join(options.profileDir, 'volumes'))
        await fs.rm(dir, { recursive: true, force: true });
      try {
        api.delete(PVS, undefined, name, {});
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 404)) throw error;
      }
    } else if ((pv.status as { phase?: string } | undefined)?.phase !== 'Released') {
      api.update(PVS, undefined, { ...pv, status: { phase: 'Released' } }, { subresource: 'status' });
    }
  };

  claims.addHandlers({
    add: (obj) => controller.enqueue(objectKey(obj)),
    update: (_old, obj) => controller.enqueue(objectKey(obj)),
    delete: (obj) => {
      const volumeName = (obj.spec as ClaimSpec | undefined)?.volumeName;
      if (volumeName) controller.enqueue(`pv:${volumeName}`);
    },
  });
  volumes.addHandlers({
    add: (obj) => controller.enqueue(`pv:${obj.metadata.name}`),
    update: (_old, obj) => controller.enqueue(`pv:${obj.metadata.name}`),
  });
  claims.start();
  volumes.start();
  controller.start();
  return {
    async stop() {
      claims.stop();
      volumes.stop();
      await controller.stop();
    },
  };
}

/** Creates the default StorageClass `standard` when it is missing (left alone otherwise). */
export function ensureStorageClass(api: ObjectApi): void {
  if (getOrUndefined(api, STORAGE_CLASSES, undefined, DEFAULT_STORAGE_CLASS)) return;
  try {
    api.create(STORAGE_CLASSES, undefined, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: DEFAULT_STORAGE_CLASS,
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists' },
      },
      provisioner: PROVISIONER,
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    });
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 409)) throw error;
  }
}
