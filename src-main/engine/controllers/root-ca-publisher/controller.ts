import type { ObjectApi } from '../../apiserver/object-api';
import { ApiError } from '../../apiserver/status';
import type { KubeObject } from '../../k8s-object';
import type { Clock } from '../runtime/clock';
import { Controller } from '../runtime/controller';
import { Informer } from '../runtime/informer';
import { objectKey } from '../runtime/keys';

const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };

/** The ConfigMap every namespace carries so pods can trust the API server (kube-api-access volumes). */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';

export interface RootCaPublisherOptions {
  api: ObjectApi;
  clock: Clock;
  caCertificatePem: string;
}

/**
 * Publishes the cluster CA as the `kube-root-ca.crt` ConfigMap in every active namespace and
 * puts it back when it is edited or deleted, like Kubernetes' root-ca-cert-publisher.
 */
export function startRootCaPublisher(options: RootCaPublisherOptions): { stop(): Promise<void> } {
  const { api, caCertificatePem } = options;
  const namespaces = new Informer(api, NAMESPACES);
  const configMaps = new Informer(api, CONFIGMAPS, { fieldSelector: `metadata.name=${ROOT_CA_CONFIGMAP}` });

  const controller = new Controller({
    name: 'root-ca-cert-publisher',
    clock: options.clock,
    reconcile(namespace) {
      const ns = namespaces.get(namespace);
      if (
        !ns ||
        ns.metadata.deletionTimestamp ||
        (ns.status as { phase?: string } | undefined)?.phase === 'Terminating'
      ) {
        return;
      }
      const existing = configMaps.get(`${namespace}/${ROOT_CA_CONFIGMAP}`);
      const data = { 'ca.crt': caCertificatePem };
      if (!existing) {
        createIgnoringExists(api, namespace, data);
        return;
      }
      const current = existing.data as Record<string, string> | undefined;
      if (current?.['ca.crt'] === caCertificatePem && Object.keys(current).length === 1) return;
      api.update(CONFIGMAPS, namespace, { ...existing, data });
    },
  });

  namespaces.addHandlers({
    add: (ns) => controller.enqueue(objectKey(ns)),
    update: (_, ns) => controller.enqueue(objectKey(ns)),
  });
  configMaps.addHandlers({
    update: (_, cm) => controller.enqueue(cm.metadata.namespace ?? ''),
    delete: (cm) => controller.enqueue(cm.metadata.namespace ?? ''),
  });
  configMaps.start();
  namespaces.start();
  controller.start();

  return {
    async stop() {
      namespaces.stop();
      configMaps.stop();
      await controller.stop();
    },
  };
}

function createIgnoringExists(
  api: ObjectApi,
  namespace: string,
  data: Record<string, string>,
): KubeObject | undefined {
  try {
    return api.create(CONFIGMAPS, namespace, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: ROOT_CA_CONFIGMAP,
        namespace,
        annotations: {
          'kubernetes.io/description':
            'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
        },
      },
      data,
    });
  } catch (error) {
    if (error instanceof ApiError && (error.code === 409 || error.code === 403)) return undefined;
    throw error;
  }
}
