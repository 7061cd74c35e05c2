import { isPlainObject } from '../../../k8s-object';

const podTemplate = { metadata: { creationTimestamp: null }, spec: { containers: null } };

/**
 * The containers a zero-valued object of each kind serialises with in Kubernetes (non-pointer
 * structs, non-omitempty lists). Ownership bookkeeping compares against them so a create
 * records `f:spec` without a `.` entry, exactly as Kubernetes does.
 */
const ZERO: Record<string, Record<string, unknown>> = {
  Pod: { spec: { containers: null }, status: {} },
  PodTemplate: { template: podTemplate },
  ReplicationController: { spec: {}, status: {} },
  Deployment: { spec: { selector: null, template: podTemplate, strategy: {} }, status: {} },
  ReplicaSet: { spec: { selector: null, template: podTemplate }, status: {} },
  DaemonSet: { spec: { selector: null, template: podTemplate, updateStrategy: {} }, status: {} },
  StatefulSet: { spec: { selector: null, template: podTemplate, updateStrategy: {} }, status: {} },
  Job: { spec: { template: podTemplate }, status: {} },
  CronJob: {
    spec: { jobTemplate: { metadata: { creationTimestamp: null }, spec: { template: podTemplate } } },
    status: {},
  },
  Service: { spec: {}, status: { loadBalancer: {} } },
  Namespace: { spec: {}, status: {} },
  Node: { spec: {}, status: { daemonEndpoints: { kubeletEndpoint: {} }, nodeInfo: {} } },
  PersistentVolume: { spec: {}, status: {} },
  PersistentVolumeClaim: { spec: { resources: {} }, status: {} },
  Ingress: { spec: {}, status: { loadBalancer: {} } },
  NetworkPolicy: { spec: { podSelector: {} } },
  PodDisruptionBudget: { spec: {}, status: {} },
  HorizontalPodAutoscaler: { spec: { scaleTargetRef: {} }, status: {} },
  RoleBinding: { roleRef: {} },
  ClusterRoleBinding: { roleRef: {} },
  EndpointSlice: { endpoints: null },
  Event: { involvedObject: {}, source: {} },
  Lease: { spec: {} },
};

/** `obj` with the kind's zero-value containers filled in where absent (a copy). */
export function withZeroContainers(obj: Record<string, unknown>, kind: string): Record<string, unknown> {
  const zero = { metadata: { creationTimestamp: null }, ...(ZERO[kind] ?? {}) };
  return fill(structuredClone(obj), zero);
}

function fill(target: Record<string, unknown>, zero: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(zero)) {
    if (!(key in target)) target[key] = structuredClone(value);
    else if (isPlainObject(target[key]) && isPlainObject(value))
      fill(target[key] as Record<string, unknown>, value);
  }
  return target;
}
