import type { ResourceDefinition } from '../registry/types';

/** Kubernetes version priority: GA before beta before alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    const stability = m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : a.localeCompare(b);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pb[i] - pa[i];
  return 0;
}

export interface GroupInfo {
  name: string;
  /** Most preferred first. */
  versions: string[];
}

/** Groups other than core, in first-seen order, with their versions by priority. */
export function apiGroups(definitions: readonly ResourceDefinition[]): GroupInfo[] {
  const groups = new Map<string, Set<string>>();
  for (const def of definitions) {
    if (!def.group) continue;
    if (!groups.has(def.group)) groups.set(def.group, new Set());
    groups.get(def.group)!.add(def.version);
  }
  return [...groups].map(([name, versions]) => ({ name, versions: [...versions].sort(compareVersions) }));
}

export function groupVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function apiVersionsDocument(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDocument(group: GroupInfo): Record<string, unknown> {
  const versions = group.versions.map((version) => ({ groupVersion: `${group.name}/${version}`, version }));
  return { name: group.name, versions, preferredVersion: versions[0] };
}

export function apiGroupListDocument(definitions: readonly ResourceDefinition[]): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: apiGroups(definitions).map(groupDocument) };
}

export function apiGroupDocument(
  definitions: readonly ResourceDefinition[],
  name: string,
): Record<string, unknown> | undefined {
  const group = apiGroups(definitions).find((g) => g.name === name);
  return group ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(group) } : undefined;
}

/** `/api/v1` or `/apis/<group>/<version>`: APIResourceList with subresources as `pods/log`. */
export function apiResourceListDocument(
  definitions: readonly ResourceDefinition[],
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const defs = definitions.filter((d) => d.group === group && d.version === version);
  if (defs.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const def of defs) {
    resources.push({
      name: def.plural,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: def.verbs,
      ...(def.shortNames?.length ? { shortNames: def.shortNames } : {}),
      ...(def.categories?.length ? { categories: def.categories } : {}),
    });
    for (const sub of def.subresources) {
      resources.push({
        name: `${def.plural}/${sub.name}`,
        singularName: '',
        namespaced: def.namespaced,
        ...(sub.group !== def.group || sub.version !== def.version
          ? { group: sub.group, version: sub.version }
          : {}),
        kind: sub.kind,
        verbs: sub.verbs,
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionOf(group, version),
    resources,
  };
}

function discoveryResource(def: ResourceDefinition): Record<string, unknown> {
  return {
    resource: def.plural,
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.singular,
    verbs: def.verbs,
    ...(def.shortNames?.length ? { shortNames: def.shortNames } : {}),
    ...(def.categories?.length ? { categories: def.categories } : {}),
    ...(def.subresources.length
      ? {
          subresources: def.subresources.map((sub) => ({
            subresource: sub.name,
            responseKind: { group: sub.group, version: sub.version, kind: sub.kind },
            verbs: sub.verbs,
          })),
        }
      : {}),
  };
}

/**
 * Aggregated discovery (`apidiscovery.k8s.io` v2 or v2beta1, same shape) for `/api`
 * (core only) or `/apis` (every other group).
 */
export function aggregatedDiscoveryDocument(
  definitions: readonly ResourceDefinition[],
  which: 'core' | 'groups',
  version: 'v2' | 'v2beta1',
): Record<string, unknown> {
  const groups: GroupInfo[] =
    which === 'core'
      ? [
          {
            name: '',
            versions: [...new Set(definitions.filter((d) => !d.group).map((d) => d.version))].sort(
              compareVersions,
            ),
          },
        ]
      : apiGroups(definitions);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((group) => ({
      metadata: { name: group.name, creationTimestamp: null },
      versions: group.versions.map((v) => ({
        version: v,
        resources: definitions
          .filter((d) => d.group === group.name && d.version === v)
          .map(discoveryResource),
        freshness: 'Current',
      })),
    })),
  };
}
