import type { KubeObject } from '../../k8s-object';
import { Controller } from '../runtime/controller';
import { objectKey, splitKey } from '../runtime/keys';
import { ignoreNotFound, isNotFound } from '../shared/api-helpers';
import { reportErrors } from '../shared/context';
import type { ControllerContext, RunningController } from '../shared/context';
import { canonicalJson } from '../shared/hashing';
import { isPodReady } from '../shared/pods';
import { ENDPOINTS, PODS, SERVICES } from '../shared/resources';
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

interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: Record<string, string>;
}

interface Subset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

const HEADLESS = 'service.kubernetes.io/headless';
/** Marks Endpoints this controller writes (Kubernetes 1.33's LabelManagedBy). */
const MANAGED_BY = 'endpoints.kubernetes.io/managed-by';

/** The core/v1 Endpoints subsets of a Service: ready pods as addresses, others as notReadyAddresses, grouped by port set. */
export function endpointSubsets(svc: KubeObject, pods: KubeObject[]): Subset[] {
  const spec = serviceSpec(svc);
  const publishNotReady = spec.publishNotReadyAddresses === true;
  const groups = new Map<
    string,
    { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }
  >();
  for (const pod of pods) {
    if (!serviceSelectsPod(svc, pod) || !shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const address: EndpointAddress = {
      ip: podIP(pod) ?? '',
      ...(podHostname(pod, svc) ? { hostname: podHostname(pod, svc) } : {}),
      ...((pod.spec as { nodeName?: string }).nodeName
        ? { nodeName: (pod.spec as { nodeName: string }).nodeName }
        : {}),
      targetRef: podTargetRef(pod),
    };
    const ports: EndpointPort[] = [];
    for (const servicePort of spec.ports ?? []) {
      const port = findPort(pod, servicePort);
      if (port === undefined) continue;
      ports.push({
        ...(servicePort.name ? { name: servicePort.name } : {}),
        port,
        protocol: servicePort.protocol ?? 'TCP',
        ...(servicePort.appProtocol ? { appProtocol: servicePort.appProtocol } : {}),
      });
    }
    const headless = spec.clusterIP === 'None';
    if (ports.length === 0 && !(headless && (spec.ports ?? []).length === 0)) continue;
    ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    const key = canonicalJson(ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, ready: [], notReady: [] }));
    if (publishNotReady || isPodReady(pod)) group.ready.push(address);
    else group.notReady.push(address);
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress): number =>
    a.ip.localeCompare(b.ip, undefined, { numeric: true }) || a.targetRef.uid.localeCompare(b.targetRef.uid);
  return [...groups.values()]
    .map((g) => ({
      ...(g.ready.length ? { addresses: g.ready.sort(byIp) } : {}),
      ...(g.notReady.length ? { notReadyAddresses: g.notReady.sort(byIp) } : {}),
      ...(g.ports.length ? { ports: g.ports } : {}),
    }))
    .sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b)));
}

/**
 * The Endpoints controller: every Service with a selector gets an Endpoints object of the
 * same name listing the selected pods, ready ones under `addresses` and the others under
 * `notReadyAddresses`, with named target ports resolved per pod.
 */
export function startEndpointsController(ctx: ControllerContext): RunningController {
  const { api, clock } = ctx;
  const services = ctx.informers.get(SERVICES);
  const pods = ctx.informers.get(PODS);
  const endpoints = ctx.informers.get(ENDPOINTS);
  const controller = new Controller({
    name: 'endpoints',
    clock,
    workers: 4,
    reconcile: (key) => reconcile(key),
    onError: reportErrors(ctx, 'endpoints'),
  });
  enqueueServicesOnPodChanges(ctx.informers, controller);
  endpoints.addHandlers({ delete: (ep) => controller.enqueue(objectKey(ep)) });

  const reconcile = (key: string): void => {
    const { namespace, name } = splitKey(key);
    const svc = services.get(key);
    if (!svc) {
      ignoreNotFound(() => api.delete(ENDPOINTS, namespace, name, {}));
      return;
    }
    const spec = serviceSpec(svc);
    if (!spec.selector || Object.keys(spec.selector).length === 0) return;
    const subsets = endpointSubsets(svc, pods.listInNamespace(namespace ?? ''));
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (spec.clusterIP === 'None') labels[HEADLESS] = '';
    labels[MANAGED_BY] = 'endpoint-controller';
    let current: KubeObject | undefined;
    try {
      current = api.get(ENDPOINTS, namespace, name);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    const desired: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        ...(current?.metadata ?? { name, namespace }),
        labels: Object.keys(labels).length ? labels : undefined,
      },
      ...(subsets.length ? { subsets } : {}),
    };
    if (
      current &&
      canonicalJson(current.subsets ?? []) === canonicalJson(subsets) &&
      canonicalJson(current.metadata.labels ?? {}) === canonicalJson(labels)
    ) {
      return;
    }
    if (current) api.update(ENDPOINTS, namespace, desired, { fieldManager: 'endpoint-controller' });
    else api.create(ENDPOINTS, namespace, desired, { fieldManager: 'endpoint-controller' });
  };

  controller.start();
  return { name: 'endpoints', isIdle: () => controller.queue.isIdle(), stop: () => controller.stop() };
}
