import type { ObjectApi } from '../../../apiserver/object-api';
import { ApiError } from '../../../apiserver/status';
import type { KubeObject } from '../../../k8s-object';
import { Informer } from '../../runtime/informer';
import { rec, writeStatus } from '../pods';
import { PVCS } from '../../shared/resources';

/** Binds every new PersistentVolumeClaim at once (a provisioner stand-in for unit tests). */
export function startFakeVolumeBinder(api: ObjectApi): { stop(): void } {
  const informer = new Informer(api, PVCS);
  const bind = (claim: KubeObject) => {
    if (rec(claim.status).phase === 'Bound' || claim.metadata.deletionTimestamp) return;
    try {
      writeStatus(api, PVCS, claim, { ...rec(claim.status), phase: 'Bound' });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  };
  informer.addHandlers({ add: bind, update: (_old, claim) => bind(claim) });
  informer.start();
  return { stop: () => informer.stop() };
}
