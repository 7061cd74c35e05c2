import type { KubeObject } from '../../k8s-object';
import { Controller } from '../runtime/controller';
import type { ReconcileResult } from '../runtime/controller';
import { EventRecorder } from '../runtime/event-recorder';
import { objectKey, splitKey } from '../runtime/keys';
import { ignoreNotFound } from '../shared/api-helpers';
import { reportErrors } from '../shared/context';
import type { ControllerContext, RunningController } from '../shared/context';
import { controllerRef, controllerRefOf, withoutOwner } from '../shared/owners';
import { DEPLOYMENTS, PODS, REPLICA_SETS } from '../shared/resources';
import { selects } from '../shared/selectors';
import { isRollingUpdate } from './helpers';
import { DeploymentSync } from './sync';

/**
 * The Deployment controller: ReplicaSets named `<deployment>-<pod-template-hash>`,
 * RollingUpdate within maxSurge/maxUnavailable, Recreate, proportional scaling, pause,
 * revision annotations and history cleanup, the Available/Progressing conditions with the
 * progress deadline, and ScalingReplicaSet events, like Kubernetes' controller.
 */
export function startDeploymentController(ctx: ControllerContext): RunningController {
  const { api, clock } = ctx;
  const deployments = ctx.informers.get(DEPLOYMENTS);
  const replicaSets = ctx.informers.get(REPLICA_SETS);
  const pods = ctx.informers.get(PODS);
  const recorder = new EventRecorder(api, { component: 'deployment-controller' }, clock);

  const controller = new Controller({
    name: 'deployment',
    clock,
    workers: 4,
    reconcile: (key) => reconcile(key),
    onError: reportErrors(ctx, 'deployment'),
  });

  const ownerKey = (rs: KubeObject): string | undefined => {
    const ref = controllerRefOf(rs);
    if (!ref || ref.kind !== 'Deployment' || !ref.apiVersion.startsWith('apps/')) return undefined;
    return `${rs.metadata.namespace}/${ref.name}`;
  };
  const enqueueForReplicaSet = (rs: KubeObject): void => {
    const key = ownerKey(rs);
    if (key) {
      controller.enqueue(key);
      return;
    }
    if (controllerRefOf(rs)) return;
    for (const d of deployments.listInNamespace(rs.metadata.namespace ?? '')) {
      if (selects(d, rs)) controller.enqueue(objectKey(d));
    }
  };

  deployments.addHandlers({
    add: (d) => controller.enqueue(objectKey(d)),
    update: (_old, d) => controller.enqueue(objectKey(d)),
    delete: (d) => controller.enqueue(objectKey(d)),
  });
  replicaSets.addHandlers({
    add: enqueueForReplicaSet,
    update: (old, rs) => {
      const oldKey = ownerKey(old);
      if (oldKey && oldKey !== ownerKey(rs)) controller.enqueue(oldKey);
      enqueueForReplicaSet(rs);
    },
    delete: enqueueForReplicaSet,
  });
  pods.addHandlers({
    // Recreate waits until every old pod is gone.
    delete: (pod) => {
      const ref = controllerRefOf(pod);
      if (!ref || ref.kind !== 'ReplicaSet') return;
      const rs = replicaSets.get(`${pod.metadata.namespace}/${ref.name}`);
      const key = rs ? ownerKey(rs) : undefined;
      const d = key ? deployments.get(key) : undefined;
      if (key && d && !isRollingUpdate(d)) controller.enqueue(key);
    },
  });

  /** ClaimReplicaSets: keep owned matching ones, release owned non-matching ones, adopt matching orphans. */
  const claimReplicaSets = (d: KubeObject): KubeObject[] => {
    const uid = d.metadata.uid ?? '';
    const claimed: KubeObject[] = [];
    for (const rs of replicaSets.listInNamespace(d.metadata.namespace ?? '')) {
      const ref = controllerRefOf(rs);
      const matches = selects(d, rs);
      if (ref) {
        if (ref.uid !== uid) continue;
        if (matches) claimed.push(rs);
        else if (!d.metadata.deletionTimestamp) {
          ignoreNotFound(() =>
            api.patch(REPLICA_SETS, rs.metadata.namespace, rs.metadata.name ?? '', 'merge', {
              metadata: {
                resourceVersion: rs.metadata.resourceVersion,
                ownerReferences: withoutOwner(rs, uid),
              },
            }),
          );
        }
        continue;
      }
      if (!matches || d.metadata.deletionTimestamp || rs.metadata.deletionTimestamp) continue;
      const adopted = ignoreNotFound(() =>
        api.patch(REPLICA_SETS, rs.metadata.namespace, rs.metadata.name ?? '', 'merge', {
          metadata: {
            resourceVersion: rs.metadata.resourceVersion,
            ownerReferences: [
              ...(rs.metadata.ownerReferences ?? []),
              controllerRef(d, 'apps/v1', 'Deployment'),
            ],
          },
        }),
      );
      if (adopted) claimed.push(adopted);
    }
    return claimed;
  };

  const reconcile = (key: string): ReconcileResult | void => {
    const d = deployments.get(key);
    if (!d) return;
    const rsList = claimReplicaSets(d);
    const uids = new Set(rsList.map((rs) => rs.metadata.uid));
    const podsByRs = new Map<string, KubeObject[]>();
    if (!isRollingUpdate(d)) {
      for (const pod of pods.listInNamespace(splitKey(key).namespace ?? '')) {
        const uid = controllerRefOf(pod)?.uid;
        if (uid && uids.has(uid)) podsByRs.set(uid, [...(podsByRs.get(uid) ?? []), pod]);
      }
    }
    const sync = new DeploymentSync({ api, clock, recorder }, d, rsList, podsByRs);
    sync.run();
    return sync.requeueAfterMs !== undefined ? { requeueAfterMs: sync.requeueAfterMs } : undefined;
  };

  controller.start();
  return { name: 'deployment', isIdle: () => controller.queue.isIdle(), stop: () => controller.stop() };
}
