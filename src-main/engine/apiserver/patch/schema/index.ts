import { coreTypes } from './core-types';
import { groupTypes, kindRoots } from './group-types';
import { parseFieldType } from './schema-types';
import type { FieldType, ListType } from './schema-types';

export type { FieldType, ListType } from './schema-types';

const rawTypes: Record<string, Record<string, string>> = { ...coreTypes, ...groupTypes };
const parsed = new Map<string, Map<string, FieldType>>();

for (const [typeName, fields] of Object.entries(rawTypes)) {
  const map = new Map<string, FieldType>();
  for (const [field, dsl] of Object.entries(fields)) map.set(field, parseFieldType(dsl));
  parsed.set(typeName, map);
}

/** A struct type no table entry describes: every field merged by default rules. */
export const UNTYPED = '';

/** The root struct type of a built-in kind, or undefined for kinds without patch metadata. */
export function rootTypeOf(apiVersion: string, kind: string): string | undefined {
  return kindRoots[apiVersion]?.[kind];
}

/**
 * The merge behaviour of `field` inside struct type `typeName`. Fields not in the table are
 * untyped structs when the value is an object and atomic otherwise.
 */
export function fieldTypeOf(typeName: string, field: string, value: unknown): FieldType {
  const known = parsed.get(typeName)?.get(field);
  if (known) return known;
  if (Array.isArray(value)) return ATOMIC_LIST;
  return { kind: 'struct', name: UNTYPED, retainKeys: false };
}

const ATOMIC_LIST: ListType = {
  kind: 'list',
  ssa: 'atomic',
  keys: [],
  keyDefaults: {},
  smp: undefined,
  item: undefined,
  itemAtomic: false,
  itemRetainKeys: false,
};

/** Every named type the kind tables refer to resolves; used by tests to keep the table whole. */
export function unresolvedTypeNames(): string[] {
  const missing = new Set<string>();
  const check = (name: string | undefined): void => {
    if (name && !parsed.has(name)) missing.add(name);
  };
  for (const kinds of Object.values(kindRoots)) for (const root of Object.values(kinds)) check(root);
  for (const fields of parsed.values()) {
    for (const type of fields.values()) {
      if (type.kind === 'struct') check(type.name);
      if (type.kind === 'list') check(type.item);
    }
  }
  return [...missing];
}

/** What the table says about one field, for documentation and tests. */
export interface FieldPatchMeta {
  /** `merge` with its key (`''` for scalar lists), `retainKeys`, `merge,retainKeys`, or undefined. */
  patchStrategy?: string;
  patchMergeKey?: string;
  /** `map`, `set` or `atomic` for lists; `atomic` for atomic structs and maps; undefined otherwise. */
  listType?: string;
  listMapKeys?: string[];
}

/**
 * The merge metadata at a dotted path of a kind, e.g. `spec.template.spec.containers[].ports`
 * (`[]` steps into list elements). Undefined when the kind has no patch metadata.
 */
export function patchMetaAt(apiVersion: string, kind: string, path: string): FieldPatchMeta | undefined {
  let typeName = rootTypeOf(apiVersion, kind);
  if (typeName === undefined) return undefined;
  let current: FieldType | undefined;
  for (const step of path.split('.')) {
    const intoElements = step.endsWith('[]');
    const field = intoElements ? step.slice(0, -2) : step;
    if (current && current.kind === 'struct') typeName = current.name;
    current = fieldTypeOf(typeName, field, intoElements ? [] : {});
    if (intoElements) {
      if (current.kind !== 'list') return {};
      typeName = current.item ?? UNTYPED;
      current = { kind: 'struct', name: typeName, retainKeys: current.itemRetainKeys };
    }
  }
  if (!current) return {};
  if (current.kind === 'atomic') return { listType: 'atomic' };
  if (current.kind === 'struct') return current.retainKeys ? { patchStrategy: 'retainKeys' } : {};
  const meta: FieldPatchMeta = { listType: current.ssa };
  if (current.ssa === 'map') meta.listMapKeys = current.keys;
  if (current.smp) {
    meta.patchStrategy = current.itemRetainKeys ? 'merge,retainKeys' : 'merge';
    if (current.smp.mergeKey) meta.patchMergeKey = current.smp.mergeKey;
  }
  return meta;
}
