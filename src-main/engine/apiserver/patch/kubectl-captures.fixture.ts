import type { KubeObject } from '../../k8s-object';

/**
 * Request bodies the real kubectl 1.32 sent (recorded with the OpenAPI probe server) for a
 * Deployment created by `kubectl apply -f v1.yaml`, and that Deployment as Kubernetes stores
 * it (defaults filled in).
 */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export const v1LastApplied =
  '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"image":"nginx:1","name":"web","ports":[{"containerPort":80}]},{"args":["sleep","3600"],"image":"busybox","name":"sidecar"}]}}}}\n';

export const v2LastApplied =
  '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"app":"web","tier":"fe"},"name":"web","namespace":"default"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"strategy":{"type":"Recreate"},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"env":[{"name":"B","value":"2"},{"name":"C","value":"3"}],"image":"nginx:2","name":"web","ports":[{"containerPort":80},{"containerPort":443}]}]}}}}\n';

const containerDefaults = {
  imagePullPolicy: 'IfNotPresent',
  resources: {},
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
};

/** The Deployment after `kubectl apply -f v1.yaml`, defaulted as the API server stores it. */
export function storedV1(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: '7f1c2d3e-0000-4000-8000-000000000001',
      resourceVersion: '100',
      generation: 1,
      // Stored objects hold the wire form; the client-node type says Date.
      creationTimestamp: '2026-11-22T01:00:00Z' as unknown as Date,
      labels: { app: 'web' },
      annotations: { [LAST_APPLIED]: v1LastApplied },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              ...containerDefaults,
            },
            {
              name: 'sidecar',
              image: 'busybox',
              args: ['sleep', '3600'],
              ...containerDefaults,
              imagePullPolicy: 'Always',
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {},
  };
}

/** `kubectl apply -f v2.yaml` on the v1 object: the three-way strategic merge patch. */
export const applyV2Patch = {
  metadata: { annotations: { [LAST_APPLIED]: v2LastApplied }, labels: { tier: 'fe' } },
  spec: {
    replicas: 3,
    strategy: { type: 'Recreate' },
    template: {
      spec: {
        '$setElementOrder/containers': [{ name: 'web' }],
        containers: [
          {
            '$setElementOrder/env': [{ name: 'B' }, { name: 'C' }],
            '$setElementOrder/ports': [{ containerPort: 80 }, { containerPort: 443 }],
            env: [
              { name: 'C', value: '3' },
              { $patch: 'delete', name: 'A' },
            ],
            image: 'nginx:2',
            name: 'web',
            ports: [{ containerPort: 443 }],
          },
          { $patch: 'delete', name: 'sidecar' },
        ],
      },
    },
  },
};

/** `kubectl apply --server-side -f v2.yaml` (fieldManager=kubectl): the apply body. */
export const applyV2ServerSide: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { labels: { app: 'web', tier: 'fe' }, name: 'web', namespace: 'default' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'Recreate' },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            env: [
              { name: 'B', value: '2' },
              { name: 'C', value: '3' },
            ],
            image: 'nginx:2',
            name: 'web',
            ports: [{ containerPort: 80 }, { containerPort: 443 }],
          },
        ],
      },
    },
  },
};

/** `kubectl label deployment web env=prod` (merge patch, fieldManager=kubectl-label). */
export const labelPatch = { metadata: { labels: { env: 'prod' } } };
/** `kubectl label deployment web app-`. */
export const unlabelPatch = { metadata: { labels: { app: null } } };
/** `kubectl annotate deployment web note=x` (merge patch, fieldManager=kubectl-annotate). */
export const annotatePatch = { metadata: { annotations: { note: 'x' } } };
/** `kubectl set image deployment/web web=nginx:9` (strategic, fieldManager=kubectl-set). */
export const setImagePatch = {
  spec: {
    template: {
      spec: {
        '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }],
        containers: [{ image: 'nginx:9', name: 'web' }],
      },
    },
  },
};
/** `kubectl rollout restart deployment/web` (strategic, fieldManager=kubectl-rollout). */
export const restartPatch = {
  spec: {
    template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-22T02:21:56Z' } } },
  },
};
/** `kubectl scale deployment/web --replicas=5` (merge patch on deployments/web/scale). */
export const scalePatch = { spec: { replicas: 5 } };
/** `kubectl edit deployment/web` changing nginx:1 to nginx:3 (strategic, fieldManager=kubectl-edit). */
export const editPatch = {
  metadata: { annotations: { [LAST_APPLIED]: v1LastApplied.replace('nginx:1', 'nginx:3') } },
  spec: {
    template: {
      spec: {
        '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }],
        containers: [{ image: 'nginx:3', name: 'web' }],
      },
    },
  },
};
