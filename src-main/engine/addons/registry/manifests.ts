import type { V1Deployment, V1PersistentVolumeClaim, V1Service } from '@kubernetes/client-node';
import type { GroupVersionResource } from '../../apiserver/registry/types';
import type { KubeObject } from '../../k8s-object';

export const REGISTRY_NAMESPACE = 'kube-system';
export const REGISTRY_NAME = 'registry';
export const REGISTRY_CLAIM = 'registry-storage';
/** The port the registry serves on inside its pod (registry:2's default). */
export const REGISTRY_CONTAINER_PORT = 5000;
/** The host port tried first; another free one is taken when it is busy. */
export const DEFAULT_REGISTRY_HOST_PORT = 5000;

export const DEPLOYMENTS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'deployments' };
export const SERVICES: GroupVersionResource = { group: '', version: 'v1', resource: 'services' };
export const CLAIMS: GroupVersionResource = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
export const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };

/** Labels on every registry object, so users can find them (`-l kubedesk.io/addon=registry`). */
export const REGISTRY_LABELS = {
  'kubedesk.io/addon': 'registry',
  'app.kubernetes.io/name': 'registry',
  'app.kubernetes.io/managed-by': 'kubedesk',
};

/** The registry image: `$KUBEDESK_REGISTRY_IMAGE`, else `registry:2`. */
export function registryImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBEDESK_REGISTRY_IMAGE?.trim() || 'registry:2';
}

/** The claim that keeps pushed images across pod restarts and cluster restarts (default StorageClass). */
export function registryClaim(): KubeObject {
  const claim: V1PersistentVolumeClaim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: REGISTRY_CLAIM, namespace: REGISTRY_NAMESPACE, labels: { ...REGISTRY_LABELS } },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
  };
  return claim as KubeObject;
}

/**
 * The registry Deployment: one replica (Recreate, as the claim is ReadWriteOnce and the host
 * port can have one owner), its storage on the claim, and its port published on the host's
 * 127.0.0.1:`hostPort` so the host's Docker engine reaches it as `localhost:<hostPort>`.
 */
export function registryDeployment(
  image: string,
  hostPort: number,
  runAs: { uid: number; gid: number } | undefined = hostUser(),
): KubeObject {
  const deployment: V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: REGISTRY_NAME, namespace: REGISTRY_NAMESPACE, labels: { ...REGISTRY_LABELS } },
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: { 'kubedesk.io/addon': 'registry' } },
      template: {
        metadata: { labels: { ...REGISTRY_LABELS } },
        spec: {
          ...(runAs ? { securityContext: { runAsUser: runAs.uid, runAsGroup: runAs.gid } } : {}),
          containers: [
            {
              name: 'registry',
              image,
              imagePullPolicy: 'IfNotPresent',
              env: [
                { name: 'REGISTRY_HTTP_ADDR', value: `:${REGISTRY_CONTAINER_PORT}` },
                { name: 'REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY', value: '/var/lib/registry' },
                { name: 'REGISTRY_STORAGE_DELETE_ENABLED', value: 'true' },
              ],
              ports: [
                {
                  name: 'registry',
                  containerPort: REGISTRY_CONTAINER_PORT,
                  hostPort,
                  hostIP: '127.0.0.1',
                  protocol: 'TCP',
                },
              ],
              volumeMounts: [{ name: 'storage', mountPath: '/var/lib/registry' }],
            },
          ],
          volumes: [{ name: 'storage', persistentVolumeClaim: { claimName: REGISTRY_CLAIM } }],
        },
      },
    },
  };
  return deployment as KubeObject;
}

/** The in-cluster Service `registry.kube-system` (port 80, as minikube's), for tools inside the cluster. */
export function registryService(): KubeObject {
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: REGISTRY_NAME, namespace: REGISTRY_NAMESPACE, labels: { ...REGISTRY_LABELS } },
    spec: {
      type: 'ClusterIP',
      selector: { 'kubedesk.io/addon': 'registry' },
      ports: [{ name: 'http', port: 80, targetPort: 'registry', protocol: 'TCP' }],
    },
  };
  return service as KubeObject;
}

/**
 * On Linux, the user the engine runs as when it is not root: the registry writes its storage
 * (a folder of the profile) as that user, so deleting the profile never meets files it cannot
 * remove. Elsewhere Docker Desktop maps file ownership itself.
 */
export function hostUser(
  platform: NodeJS.Platform = process.platform,
  ids: { uid?: number; gid?: number } = { uid: process.getuid?.(), gid: process.getgid?.() },
): { uid: number; gid: number } | undefined {
  if (platform !== 'linux' || ids.uid === undefined || ids.gid === undefined || ids.uid === 0)
    return undefined;
  return { uid: ids.uid, gid: ids.gid };
}
