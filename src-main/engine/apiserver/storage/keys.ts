import type { ResourceDefinition } from '../registry/types';

type Scope = Pick<ResourceDefinition, 'group' | 'plural' | 'namespaced'>;

/** `/registry/<group or core>/<plural>/` — every object of the resource lives under it. */
export function resourcePrefix(def: Scope): string {
  return `/registry/${def.group || 'core'}/${def.plural}/`;
}

/** The prefix of a list: one namespace, or every namespace (and cluster-scoped kinds). */
export function listPrefix(def: Scope, namespace: string | undefined): string {
  return def.namespaced && namespace ? `${resourcePrefix(def)}${namespace}/` : resourcePrefix(def);
}

/** `/registry/<group or core>/<plural>/<namespace>/<name>` (no namespace segment when cluster-scoped). */
export function objectKey(def: Scope, namespace: string | undefined, name: string): string {
  return def.namespaced
    ? `${resourcePrefix(def)}${namespace ?? ''}/${name}`
    : `${resourcePrefix(def)}${name}`;
}
