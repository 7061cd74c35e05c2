import type { ObjectApi } from '../../../apiserver/object-api';
import type { KubeObject } from '../../../k8s-object';
import { formatTime } from '../../shared/api-helpers';
import { NODES } from '../../shared/resources';

export interface NodeOptions {
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  allocatable?: Record<string, string>;
  ready?: 'True' | 'False' | 'Unknown';
  unschedulable?: boolean;
}

/**
 * Registers a node as a kubelet would, for tests without one: labelled with its hostname, Ready
 * (unless `options.ready` says otherwise) since `now`, with 4 cpu, 8Gi and 110 pods allocatable
 * unless given. Returns the node as stored after its status write.
 */
export function addReadyNode(api: ObjectApi, name: string, now: Date, options: NodeOptions = {}): KubeObject {
  const node = api.create(NODES, undefined, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(options.labels ?? {}) } },
    spec: {
      ...(options.taints ? { taints: options.taints } : {}),
      ...(options.unschedulable ? { unschedulable: true } : {}),
    },
  });
  const allocatable = options.allocatable ?? { cpu: '4', memory: '8Gi', pods: '110' };
  const since = formatTime(now);
  return api.update(
    NODES,
    undefined,
    {
      ...node,
      status: {
        capacity: allocatable,
        allocatable,
        conditions: [
          {
            type: 'Ready',
            status: options.ready ?? 'True',
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
            lastHeartbeatTime: since,
            lastTransitionTime: since,
          },
        ],
      },
    },
    { subresource: 'status' },
  );
}
