import { appsResources } from './apps';
import type { KubeObject } from '../../k8s-object';
import { autoscalingResources, hpaToVersion } from './autoscaling';
import { batchResources } from './batch';
import { coordinationResources } from './coordination';
import { coreResources } from './core';
import { discoveryResources } from './discovery';
import { coreEventToEventsV1, eventsResources, eventsV1ToCore } from './events';
import { networkingResources } from './networking';
import { nodeResources } from './node';
import { policyResources } from './policy';
import { rbacResources } from './rbac';
import { schedulingResources } from './scheduling';
import { storageResources } from './storage';
import type { ResourceDefinition } from './types';

/**
 * Every built-in resource the API server serves, core first, then groups in the order
 * Kubernetes lists them under `/apis`.
 */
export const resourceDefinitions: ResourceDefinition[] = [
  ...coreResources,
  ...appsResources,
  ...eventsResources,
  ...autoscalingResources,
  ...batchResources,
  ...networkingResources,
  ...policyResources,
  ...rbacResources,
  ...storageResources,
  ...schedulingResources,
  ...coordinationResources,
  ...nodeResources,
  ...discoveryResources,
];

/** The order of groups in Kubernetes' `/apis` answer; unknown groups follow, alphabetically. */
const GROUP_ORDER = [
  '',
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'resource.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

/** The resource `plural` of `group/version`, or undefined (plural compared case-insensitively). */
export function findResource(group: string, version: string, plural: string): ResourceDefinition | undefined {
  const wanted = plural.toLowerCase();
  return resourceDefinitions.find((d) => d.group === group && d.version === version && d.plural === wanted);
}

/** Splits `apps/v1` into group and version (`v1` is the core group). */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The resource serving `kind` at `apiVersion` (e.g. "apps/v1", "Deployment"), or undefined. */
export function findByKind(apiVersion: string, kind: string): ResourceDefinition | undefined {
  const { group, version } = parseApiVersion(apiVersion);
  return resourceDefinitions.find((d) => d.group === group && d.version === version && d.kind === kind);
}

/**
 * Kubernetes' version priority: GA before beta before alpha, higher numbers first
 * (v2 > v1 > v1beta2 > v1beta1 > v1alpha1); other strings sort last, alphabetically.
 */
export function compareVersions(a: string, b: string): number {
  const key = (v: string): [number, number, number, string] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0, v];
    const stability = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stability, -Number(m[1]), -Number(m[3] ?? 0), v];
  };
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return (ka[i] as number) - (kb[i] as number);
  return ka[3] < kb[3] ? -1 : ka[3] > kb[3] ? 1 : 0;
}

function groupRank(group: string): number {
  const index = GROUP_ORDER.indexOf(group);
  return index < 0 ? GROUP_ORDER.length : index;
}

/**
 * Every served group/version, the core group ("", "v1") first, then groups in Kubernetes'
 * discovery order with versions by priority; `preferred` marks each group's preferred
 * version (autoscaling: v2, with v1 also served).
 */
export function groupVersions(): Array<{ group: string; version: string; preferred: boolean }> {
  const versionsByGroup = new Map<string, Set<string>>();
  for (const def of resourceDefinitions) {
    const versions = versionsByGroup.get(def.group) ?? new Set<string>();
    versions.add(def.version);
    versionsByGroup.set(def.group, versions);
  }
  const groups = [...versionsByGroup.keys()].sort(
    (a, b) => groupRank(a) - groupRank(b) || (a < b ? -1 : a > b ? 1 : 0),
  );
  return groups.flatMap((group) =>
    [...(versionsByGroup.get(group) ?? [])]
      .sort(compareVersions)
      .map((version, i) => ({ group, version, preferred: i === 0 })),
  );
}

/**
 * Kubernetes serves some resources in several versions from one storage and converts on the
 * way in and out. Returns `obj` (as stored, in the shape of whichever version wrote it) in
 * the shape of `def`'s version, with `apiVersion` set to it; objects of single-version
 * resources come back unchanged. Covers autoscaling HorizontalPodAutoscalers (v1 ⇄ v2) and
 * Events (core/v1 ⇄ events.k8s.io/v1), should a storage share one key space between them.
 */
export function convertToVersion(def: ResourceDefinition, obj: KubeObject): KubeObject {
  if (def.group === 'autoscaling' && def.plural === 'horizontalpodautoscalers') {
    const converted = hpaToVersion(obj, def.version);
    return { ...converted, apiVersion: `autoscaling/${def.version}` };
  }
  if (def.kind === 'Event' && (def.group === '' || def.group === 'events.k8s.io')) {
    const coreShaped = 'involvedObject' in obj || (obj.apiVersion === 'v1' && !('regarding' in obj));
    if (def.group === 'events.k8s.io' && coreShaped) return coreEventToEventsV1(obj);
    if (def.group === '' && !coreShaped && ('regarding' in obj || obj.apiVersion === 'events.k8s.io/v1')) {
      return eventsV1ToCore(obj);
    }
  }
  return obj;
}
