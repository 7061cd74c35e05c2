import type { KubeObject } from '../../k8s-object';
import type { ObjectApi } from '../object-api';
import { ApiError } from '../status';

/** The namespaces every cluster starts with. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

/** The `kubernetes` Service's address in the default Service CIDR. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

export interface BootstrapOptions {
  /** Where pods reach the API server; when given, the `kubernetes` Service gets Endpoints for it. */
  apiServerEndpoint?: { ip: string; port: number };
  /** The `kubernetes` Service's ClusterIP: the first host address of the Service CIDR. */
  kubernetesServiceIp?: string;
  fieldManager?: string;
}

const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const ENDPOINTS = { group: '', version: 'v1', resource: 'endpoints' };

function createIfMissing(create: () => KubeObject): void {
  try {
    create();
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 409)) throw error;
  }
}

/**
 * Creates what a fresh cluster has: the system namespaces and the `kubernetes` Service
 * (ClusterIP 10.96.0.1, port 443). Idempotent: existing objects are left alone.
 */
export function bootstrapCluster(api: ObjectApi, options: BootstrapOptions = {}): void {
  const fieldManager = options.fieldManager ?? 'kube-apiserver';
  for (const name of SYSTEM_NAMESPACES) {
    createIfMissing(() =>
      api.create(
        NAMESPACES,
        undefined,
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        { fieldManager },
      ),
    );
  }
  const port = options.apiServerEndpoint?.port ?? 6443;
  createIfMissing(() =>
    api.create(
      SERVICES,
      'default',
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'kubernetes',
          namespace: 'default',
          labels: { component: 'apiserver', provider: 'kubernetes' },
        },
        spec: {
          type: 'ClusterIP',
          clusterIP: options.kubernetesServiceIp ?? KUBERNETES_SERVICE_IP,
          clusterIPs: [options.kubernetesServiceIp ?? KUBERNETES_SERVICE_IP],
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          sessionAffinity: 'None',
          internalTrafficPolicy: 'Cluster',
          ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }],
        },
      },
      { fieldManager },
    ),
  );
  if (options.apiServerEndpoint) {
    const endpoints: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets: [
        {
          addresses: [{ ip: options.apiServerEndpoint.ip }],
          ports: [{ name: 'https', port: options.apiServerEndpoint.port, protocol: 'TCP' }],
        },
      ],
    };
    // PUT creates Endpoints when missing, and keeps them current when the address moves.
    api.update(ENDPOINTS, 'default', endpoints, { fieldManager });
  }
}
