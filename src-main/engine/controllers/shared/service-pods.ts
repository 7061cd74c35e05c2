import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import { podPhase } from './pods';

export interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  targetPort?: number | string;
  appProtocol?: string;
}

export function serviceSpec(svc: KubeObject): {
  selector?: Record<string, string>;
  ports?: ServicePort[];
  clusterIP?: string;
  publishNotReadyAddresses?: boolean;
  ipFamilies?: string[];
} {
  return (isPlainObject(svc.spec) ? svc.spec : {}) as ReturnType<typeof serviceSpec>;
}

/** The Service has a non-empty selector and it selects the pod (a selector-less Service is managed by hand). */
export function serviceSelectsPod(svc: KubeObject, pod: KubeObject): boolean {
  const selector = serviceSpec(svc).selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  if (pod.metadata.namespace !== svc.metadata.namespace) return false;
  const labels = pod.metadata.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function podIP(pod: KubeObject): string | undefined {
  const status = isPlainObject(pod.status) ? pod.status : {};
  return typeof status.podIP === 'string' && status.podIP ? status.podIP : undefined;
}

/** Kubernetes' ShouldPodBeInEndpoints: has an IP, not finished, and (unless asked) not terminating. */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  if (!podIP(pod)) return false;
  const phase = podPhase(pod);
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/**
 * Kubernetes' FindPort: a numeric targetPort as is (the port itself when unset), a named
 * one looked up among the pod's container ports with the same protocol.
 */
export function findPort(pod: KubeObject, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  for (const container of containers) {
    if (!isPlainObject(container) || !Array.isArray(container.ports)) continue;
    for (const p of container.ports) {
      if (!isPlainObject(p)) continue;
      if (p.name === target && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'))
        return p.containerPort as number;
    }
  }
  return undefined;
}

export function podTargetRef(pod: KubeObject): Record<string, string> {
  return {
    kind: 'Pod',
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    uid: pod.metadata.uid ?? '',
  };
}

/** The pod's DNS hostname under the Service, when its hostname/subdomain ask for one. */
export function podHostname(pod: KubeObject, svc: KubeObject): string | undefined {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  if (typeof spec.hostname === 'string' && spec.hostname && spec.subdomain === svc.metadata.name)
    return spec.hostname;
  return undefined;
}
