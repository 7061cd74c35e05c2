import type { KubeObject } from '../../k8s-object';
import { Controller } from '../runtime/controller';
import { splitKey } from '../runtime/keys';
import { ignoreNotFound } from '../shared/api-helpers';
import { reportErrors } from '../shared/context';
import type { ControllerContext, RunningController } from '../shared/context';
import { canonicalJson } from '../shared/hashing';
import { controllerRef, controllerRefOf } from '../shared/owners';
import { isPodReady, podNodeName } from '../shared/pods';
import { ENDPOINT_SLICES, PODS, SERVICES } from '../shared/resources';
import {
  findPort,
  podHostname,
  podIP,
  podTargetRef,
  serviceSelectsPod,
  serviceSpec,
  shouldPodBeInEndpoints,
} from '../shared/service-pods';
import { enqueueServicesOnPodChanges } from '../shared/service-triggers';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** Kubernetes' default --max-endpoints-per-slice. */
const MAX_ENDPOINTS_PER_SLICE = 100;

interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  targetRef: Record<string, string>;
}

/** The desired slices' content of a Service: endpoints grouped by their resolved port set. */
export function desiredSliceGroups(
  svc: KubeObject,
  pods: KubeObject[],
): Array<{ ports: SlicePort[]; endpoints: SliceEndpoint[] }> {
  const spec = serviceSpec(svc);
  const publishNotReady = spec.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: SlicePort[]; endpoints: SliceEndpoint[] }>();
  for (const pod of pods) {
    // Slices keep terminating pods (ready: false, terminating: true) so proxies can drain them.
    if (!serviceSelectsPod(svc, pod) || !shouldPodBeInEndpoints(pod, true)) continue;
    const ports: SlicePort[] = [];
    for (const servicePort of spec.ports ?? []) {
      const port = findPort(pod, servicePort);
      if (port === undefined) continue;
      ports.push({
        name: servicePort.name ?? '',
        port,
        protocol: servicePort.protocol ?? 'TCP',
        ...(servicePort.appProtocol ? { appProtocol: servicePort.appProtocol } : {}),
      });
    }
    ports.sort((a, b) => a.name.localeCompare(b.name) || a.port - b.port);
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    const serving = isPodReady(pod);
    const hostname = podHostname(pod, svc);
    const nodeName = podNodeName(pod);
    const endpoint: SliceEndpoint = {
      addresses: [podIP(pod) ?? ''],
      // A terminating pod is never ready, unless the Service publishes not-ready addresses.
      conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
      ...(hostname ? { hostname } : {}),
      ...(nodeName ? { nodeName } : {}),
      targetRef: podTargetRef(pod),
    };
    const key = canonicalJson(ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, endpoints: [] }));
    group.endpoints.push(endpoint);
  }
  for (const group of groups.values()) {
    group.endpoints.sort((a, b) =>
      a.addresses[0].localeCompare(b.addresses[0], undefined, { numeric: true }),
    );
  }
  return [...groups.values()];
}

/**
 * The EndpointSlice controller: every Service with a selector gets discovery.k8s.io/v1
 * EndpointSlices (labels kubernetes.io/service-name and endpointslice.kubernetes.io/managed-by,
 * owned by the Service) listing its pods with ready/serving/terminating conditions, one
 * slice per resolved port set, at most 100 endpoints each; an empty Service keeps one
 * placeholder slice.
 */
export function startEndpointSliceController(ctx: ControllerContext): RunningController {
  const { api, clock } = ctx;
  const services = ctx.informers.get(SERVICES);
  const pods = ctx.informers.get(PODS);
  const slices = ctx.informers.get(ENDPOINT_SLICES);
  const controller = new Controller({
    name: 'endpointslice',
    clock,
    workers: 4,
    reconcile: (key) => reconcile(key),
    onError: reportErrors(ctx, 'endpointslices of'),
  });
  enqueueServicesOnPodChanges(ctx.informers, controller);
  slices.addHandlers({
    delete: (slice) => {
      const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
      if (service && slice.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME) {
        controller.enqueue(`${slice.metadata.namespace}/${service}`);
      }
    },
  });

  const reconcile = (key: string): void => {
    const { namespace, name } = splitKey(key);
    const svc = services.get(key);
    // A deleted Service's slices go with it through their owner reference.
    if (!svc) return;
    const spec = serviceSpec(svc);
    if (!spec.selector || Object.keys(spec.selector).length === 0) return;
    const addressType = spec.ipFamilies?.[0] === 'IPv6' ? 'IPv6' : 'IPv4';
    const labels: Record<string, string> = {
      ...(svc.metadata.labels ?? {}),
      [SERVICE_NAME_LABEL]: name,
      [MANAGED_BY_LABEL]: CONTROLLER_NAME,
    };
    if (spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';

    const wanted: Array<{ ports: SlicePort[]; endpoints: SliceEndpoint[] }> = [];
    for (const group of desiredSliceGroups(svc, pods.listInNamespace(namespace ?? ''))) {
      for (let i = 0; i < group.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
        wanted.push({ ports: group.ports, endpoints: group.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
      }
    }
    if (wanted.length === 0) wanted.push({ ports: [], endpoints: [] });

    // Read live: a slice created by the previous sync may not have reached the cache yet.
    const existing = api
      .list(ENDPOINT_SLICES, {
        namespace,
        labelSelector: `${SERVICE_NAME_LABEL}=${name},${MANAGED_BY_LABEL}=${CONTROLLER_NAME}`,
      })
      .items.filter((s) => !s.metadata.deletionTimestamp)
      .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    const unused = [...existing];
    for (const want of wanted) {
      const portKey = canonicalJson(want.ports);
      let index = unused.findIndex(
        (s) => canonicalJson(s.ports ?? []) === portKey && s.addressType === addressType,
      );
      if (index < 0) index = unused.findIndex((s) => s.addressType === addressType);
      const reuse = index >= 0 ? unused.splice(index, 1)[0] : undefined;
      const body = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        addressType,
        endpoints: want.endpoints,
        ports: want.ports,
      };
      if (reuse) {
        const same =
          canonicalJson(reuse.endpoints ?? []) === canonicalJson(want.endpoints) &&
          canonicalJson(reuse.ports ?? []) === portKey &&
          canonicalJson(reuse.metadata.labels ?? {}) === canonicalJson(labels) &&
          controllerRefOf(reuse)?.uid === svc.metadata.uid;
        if (same) continue;
        api.update(
          ENDPOINT_SLICES,
          namespace,
          {
            ...body,
            metadata: { ...reuse.metadata, labels, ownerReferences: [controllerRef(svc, 'v1', 'Service')] },
          },
          { fieldManager: CONTROLLER_NAME },
        );
      } else {
        api.create(
          ENDPOINT_SLICES,
          namespace,
          {
            ...body,
            metadata: {
              generateName: `${name}-`,
              namespace,
              labels,
              ownerReferences: [controllerRef(svc, 'v1', 'Service')],
            },
          },
          { fieldManager: CONTROLLER_NAME },
        );
      }
    }
    for (const slice of unused) {
      ignoreNotFound(() => api.delete(ENDPOINT_SLICES, namespace, slice.metadata.name ?? '', {}));
    }
  };

  controller.start();
  return { name: 'endpointslice', isIdle: () => controller.queue.isIdle(), stop: () => controller.stop() };
}
