import type { KubeObject } from '../k8s-object';
import { isPlainObject } from '../k8s-object';
import { podSpec } from './predicates';

export interface VolumeLookup {
  claim(namespace: string, name: string): KubeObject | undefined;
  storageClass(name: string): KubeObject | undefined;
}

/** The message of the pod-wide unbound-claims failure, as kube-scheduler's VolumeBinding words it. */
export const UNBOUND_IMMEDIATE_CLAIMS = 'pod has unbound immediate PersistentVolumeClaims';

/**
 * The VolumeBinding pre-filter: every PersistentVolumeClaim the pod mounts must exist, not
 * be terminating, and be bound unless its StorageClass binds on first consumer. Returns
 * the pod-wide failure message, or undefined when the pod's claims allow scheduling.
 */
export function volumePreFilter(pod: KubeObject, lookup: VolumeLookup): string | undefined {
  const volumes = podSpec(pod).volumes;
  const namespace = pod.metadata.namespace ?? 'default';
  let unbound = false;
  for (const volume of Array.isArray(volumes) ? volumes : []) {
    if (!isPlainObject(volume) || !isPlainObject(volume.persistentVolumeClaim)) continue;
    const name = String(volume.persistentVolumeClaim.claimName ?? '');
    const claim = lookup.claim(namespace, name);
    if (!claim) return `persistentvolumeclaim "${name}" not found`;
    if (claim.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    const phase = isPlainObject(claim.status) ? claim.status.phase : undefined;
    if (phase === 'Bound') continue;
    const spec = isPlainObject(claim.spec) ? claim.spec : {};
    const className = typeof spec.storageClassName === 'string' ? spec.storageClassName : undefined;
    const storageClass = className ? lookup.storageClass(className) : undefined;
    if (storageClass?.volumeBindingMode === 'WaitForFirstConsumer') continue;
    unbound = true;
  }
  return unbound ? UNBOUND_IMMEDIATE_CLAIMS : undefined;
}
