import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { KubeClient } from './kube-client';

/** The app image of every benchmark workload (a local busybox image on our machines). */
export function testImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBEDESK_TEST_IMAGE || 'kubedesk-test/busybox:1';
}

/** The pod sandbox image, as the engine uses it. */
export function pauseImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBEDESK_PAUSE_IMAGE || 'registry.k8s.io/pause:3.10';
}

/** A long-running app that exits at once on SIGTERM, so deletions measure the runtime, not a grace period. */
export const APP_COMMAND = ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"];

export function podManifest(name: string, namespace: string): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { bench: name } },
    spec: {
      terminationGracePeriodSeconds: 5,
      containers: [
        { name: 'app', image: testImage(), imagePullPolicy: 'IfNotPresent', command: APP_COMMAND },
      ],
    },
  };
}

export function deploymentManifest(name: string, namespace: string, replicas: number): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [
            { name: 'app', image: testImage(), imagePullPolicy: 'IfNotPresent', command: APP_COMMAND },
          ],
        },
      },
    },
  };
}

/** True when the pod's Ready condition is True. */
export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Creates `namespace` unless it exists. */
export async function ensureNamespace(client: KubeClient, namespace: string): Promise<void> {
  const response = await client.request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });
  if (response.status !== 201 && response.status !== 409) {
    throw new Error(`creating namespace ${namespace}: HTTP ${response.status}`);
  }
}

/** Pods of a namespace matching a label selector. */
export async function listPods(client: KubeClient, namespace: string, selector: string): Promise<V1Pod[]> {
  const list = await client.ok<{ items: V1Pod[] }>(
    'GET',
    `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`,
  );
  return list.items;
}
