import type { V1Endpoints, V1Service } from '@kubernetes/client-node';
import type { ObjectApi } from '../apiserver/object-api';
import { ApiError } from '../apiserver/status';
import type { KubeObject } from '../k8s-object';
import type { Clock } from '../controllers/runtime/clock';
import { Controller } from '../controllers/runtime/controller';
import { Informer } from '../controllers/runtime/informer';

const SERVICES = { group: '', version: 'v1', resource: 'services' };
const ENDPOINTS = { group: '', version: 'v1', resource: 'endpoints' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/** The value Kubernetes' mirroring controller puts in the managed-by label. */
export const MIRRORING_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';
const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';

/**
 * Kubernetes' EndpointSlice mirroring: Endpoints written by hand for a Service without a
 * selector are mirrored into EndpointSlices (one per subset, `<service>-mirror-<n>`, owned by
 * the Endpoints so they go with it), which is what the network agent — like kube-proxy —
 * routes by. Endpoints labelled `endpointslice.kubernetes.io/skip-mirror: "true"` are left out.
 */
export function startEndpointMirroring(options: {
  api: ObjectApi;
  clock: Clock;
  log?: (message: string) => void;
}): { stop(): Promise<void> } {
  const { api } = options;
  const services = new Informer(api, SERVICES);
  const endpoints = new Informer(api, ENDPOINTS);
  const slices = new Informer(api, SLICES, { labelSelector: `${MANAGED_BY_LABEL}=${MIRRORING_CONTROLLER}` });
  const controller = new Controller({
    name: 'endpointslice-mirroring',
    clock: options.clock,
    reconcile: (key) => reconcile(api, key, services, endpoints, slices),
    onError: (key, error) => options.log?.(`endpoint mirroring ${key}: ${String(error)}`),
  });
  const enqueue = (obj: KubeObject) =>
    controller.enqueue(`${obj.metadata.namespace ?? 'default'}/${obj.metadata.name ?? ''}`);
  const enqueueOwner = (obj: KubeObject) => {
    const owner = obj.metadata.labels?.[SERVICE_NAME_LABEL];
    if (owner) controller.enqueue(`${obj.metadata.namespace ?? 'default'}/${owner}`);
  };
  services.addHandlers({ add: enqueue, update: (_, obj) => enqueue(obj), delete: enqueue });
  endpoints.addHandlers({ add: enqueue, update: (_, obj) => enqueue(obj), delete: enqueue });
  slices.addHandlers({ add: enqueueOwner, update: (_, obj) => enqueueOwner(obj), delete: enqueueOwner });
  services.start();
  endpoints.start();
  slices.start();
  controller.start();
  return {
    async stop() {
      services.stop();
      endpoints.stop();
      slices.stop();
      await controller.stop();
    },
  };
}

function reconcile(
  api: ObjectApi,
  key: string,
  services: Informer,
  endpoints: Informer,
  slices: Informer,
): void {
  const [namespace, name] = key.split('/');
  const service = services.get(key) as V1Service | undefined;
  const source = endpoints.get(key) as (V1Endpoints & KubeObject) | undefined;
  const selectorless = service && Object.keys(service.spec?.selector ?? {}).length === 0;
  const mirror = selectorless && source && source.metadata.labels?.[SKIP_MIRROR_LABEL] !== 'true';
  const desired = mirror ? desiredSlices(source, name) : [];
  const existing = slices.list(
    (s) => s.metadata.namespace === namespace && s.metadata.labels?.[SERVICE_NAME_LABEL] === name,
  );
  for (const slice of desired) {
    const current = existing.find((s) => s.metadata.name === slice.metadata.name);
    if (!current) {
      try {
        api.create(SLICES, namespace, slice, { fieldManager: MIRRORING_CONTROLLER });
      } catch (error) {
        // Created a moment ago and not in the cache yet: its watch event brings the key back.
        if (!(error instanceof ApiError && error.code === 409)) throw error;
      }
      continue;
    }
    if (JSON.stringify([current.endpoints, current.ports]) === JSON.stringify([slice.endpoints, slice.ports]))
      continue;
    api.update(
      SLICES,
      namespace,
      { ...slice, metadata: { ...slice.metadata, resourceVersion: current.metadata.resourceVersion } },
      { fieldManager: MIRRORING_CONTROLLER },
    );
  }
  for (const stale of existing) {
    if (desired.some((d) => d.metadata.name === stale.metadata.name)) continue;
    try {
      api.delete(SLICES, namespace, stale.metadata.name ?? '');
    } catch {
      // Already gone.
    }
  }
}

function desiredSlices(source: V1Endpoints & KubeObject, service: string): KubeObject[] {
  const ipv4 = (ip: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(ip);
  return (source.subsets ?? []).map((subset, index) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${service}-mirror-${index}`,
      namespace: source.metadata.namespace,
      labels: { [SERVICE_NAME_LABEL]: service, [MANAGED_BY_LABEL]: MIRRORING_CONTROLLER },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Endpoints',
          name: source.metadata.name ?? service,
          uid: source.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType: 'IPv4',
    endpoints: [
      ...(subset.addresses ?? []).map((a) => ({ ...a, ready: true })),
      ...(subset.notReadyAddresses ?? []).map((a) => ({ ...a, ready: false })),
    ]
      .filter((a) => ipv4(a.ip))
      .map((a) => ({
        addresses: [a.ip],
        conditions: { ready: a.ready },
        ...(a.hostname ? { hostname: a.hostname } : {}),
        ...(a.nodeName ? { nodeName: a.nodeName } : {}),
        ...(a.targetRef ? { targetRef: a.targetRef } : {}),
      })),
    ports: (subset.ports ?? []).map((p) => ({
      ...(p.name !== undefined ? { name: p.name } : {}),
      port: p.port,
      protocol: p.protocol ?? 'TCP',
      ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    })),
  }));
}
