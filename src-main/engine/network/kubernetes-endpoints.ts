import type { KubeObject } from '../k8s-object';
import type { ObjectApi } from '../apiserver/object-api';

const SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
const FIELD_MANAGER = 'kube-apiserver';

/**
 * Keeps the `default/kubernetes` EndpointSlice pointing at the API server as containers reach
 * it (`ip:port`), as kube-apiserver's endpoint reconciler does, so that the agent proxies the
 * `kubernetes` Service's ClusterIP (443) there. The slice carries no managed-by label, so the
 * EndpointSlice controller leaves it alone (the Service has no selector).
 */
export function ensureKubernetesEndpointSlice(api: ObjectApi, ip: string, port: number): void {
  const slice: KubeObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'kubernetes.io/service-name': 'kubernetes' },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    ports: [{ name: 'https', port, protocol: 'TCP' }],
  };
  let current: KubeObject | undefined;
  try {
    current = api.get(SLICES, 'default', 'kubernetes');
  } catch {
    current = undefined;
  }
  if (!current) {
    api.create(SLICES, 'default', slice, { fieldManager: FIELD_MANAGER });
    return;
  }
  if (JSON.stringify([current.endpoints, current.ports]) === JSON.stringify([slice.endpoints, slice.ports]))
    return;
  api.update(
    SLICES,
    'default',
    {
      ...slice,
      metadata: { ...current.metadata, labels: { ...current.metadata.labels, ...slice.metadata.labels } },
    },
    { fieldManager: FIELD_MANAGER },
  );
}
