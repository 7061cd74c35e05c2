import type { V1OwnerReference } from '@kubernetes/client-node';
import type { KubeObject } from '../../k8s-object';
import { isPlainObject } from '../../k8s-object';
import { podFromTemplate, rec } from '../workload-common/pods';

export const REVISION_LABEL = 'controller-revision-hash';
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** The ordinal in `<set>-<ordinal>`, or undefined for names of another shape. */
export function ordinalOf(setName: string, podName: string | undefined): number | undefined {
  if (!podName?.startsWith(`${setName}-`)) return undefined;
  const rest = podName.slice(setName.length + 1);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : undefined;
}

export function claimTemplates(set: KubeObject): KubeObject[] {
  const templates = rec(set.spec).volumeClaimTemplates;
  return Array.isArray(templates) ? (templates.filter(isPlainObject) as KubeObject[]) : [];
}

/** `<claim>-<set>-<ordinal>`, the claim a stateful pod's volume of that name uses. */
export function claimName(claim: KubeObject, setName: string, ordinal: number): string {
  return `${claim.metadata?.name ?? ''}-${setName}-${ordinal}`;
}

/** The PVC for one claim template and ordinal, labelled with the set's selector labels. */
export function claimFor(set: KubeObject, claim: KubeObject, ordinal: number): KubeObject {
  const setName = set.metadata.name ?? '';
  const matchLabels = rec(rec(rec(set.spec).selector).matchLabels) as Record<string, string>;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(claim, setName, ordinal),
      namespace: set.metadata.namespace,
      labels: { ...(claim.metadata?.labels ?? {}), ...matchLabels },
      ...(claim.metadata?.annotations ? { annotations: { ...claim.metadata.annotations } } : {}),
    },
    spec: structuredClone(rec(claim.spec)),
  };
}

/**
 * A stateful pod: stable name and hostname, `subdomain` = serviceName, identity labels,
 * and each claim template mounted from its own PVC (replacing a template volume of that name).
 */
export function statefulPod(
  set: KubeObject,
  template: Record<string, unknown>,
  revisionName: string,
  ordinal: number,
  owner: V1OwnerReference,
): KubeObject {
  const setName = set.metadata.name ?? '';
  const name = `${setName}-${ordinal}`;
  const pod = podFromTemplate(template, owner, { name });
  pod.metadata.labels = {
    ...(pod.metadata.labels ?? {}),
    [REVISION_LABEL]: revisionName,
    [POD_NAME_LABEL]: name,
    [POD_INDEX_LABEL]: String(ordinal),
  };
  const spec = rec(pod.spec);
  spec.hostname = name;
  const serviceName = rec(set.spec).serviceName;
  if (typeof serviceName === 'string' && serviceName) spec.subdomain = serviceName;
  const claims = claimTemplates(set);
  if (claims.length > 0) {
    const names = new Set(claims.map((c) => c.metadata?.name));
    const volumes = (Array.isArray(spec.volumes) ? spec.volumes : []).filter(
      (v) => !names.has(String(rec(v).name)),
    );
    for (const claim of claims) {
      volumes.push({
        name: claim.metadata?.name,
        persistentVolumeClaim: { claimName: claimName(claim, setName, ordinal) },
      });
    }
    spec.volumes = volumes;
  }
  return pod;
}
