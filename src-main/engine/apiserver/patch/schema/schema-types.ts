/**
 * The compact type model both strategic merge patch and server-side apply walk. It holds only
 * what changes merge behaviour (list semantics, retainKeys, atomic structs and maps); every
 * field not described is an object merged field by field, or an atomic list.
 */

/** How one field's value is merged. */
export type FieldType =
  | { kind: 'struct'; name: string; retainKeys: boolean }
  /** Replaced as a whole by apply (`+structType=atomic`, `+mapType=atomic`); SMP still recurses. */
  | { kind: 'atomic' }
  | ListType;

export interface ListType {
  kind: 'list';
  /**
   * `map`: elements identified by `keys` (SSA `+listType=map`); `set`: scalar elements identified
   * by value (`+listType=set`); `atomic`: replaced as a whole.
   */
  ssa: 'map' | 'set' | 'atomic';
  /** SSA list-map keys, in declaration order. */
  keys: string[];
  /** Values a key takes when the element omits it (e.g. protocol TCP). */
  keyDefaults: Record<string, string | number>;
  /** SMP `patchStrategy: merge` with `patchMergeKey` (empty for merged scalar lists). */
  smp: { mergeKey: string } | undefined;
  /** Element type: a named struct, or undefined for scalars and atomic elements. */
  item: string | undefined;
  /** Elements are atomic (e.g. LocalObjectReference, OwnerReference). */
  itemAtomic: boolean;
  /** SMP `patchStrategy: merge,retainKeys` on the list: each element honours `$retainKeys`. */
  itemRetainKeys: boolean;
}

/** Field name → DSL (see `parseFieldType`), per named struct type. */
export type TypeTable = Record<string, Record<string, string>>;

/** Kind roots: `group/version` (`v1` for core) → kind → named struct type. */
export type KindTable = Record<string, Record<string, string>>;

/**
 * Parses one field description:
 * - `Name` / `Name retainKeys`: nested struct of that named type;
 * - `atomic`: atomic struct or map (apply replaces it whole);
 * - `[key1,key2=Default]Item`: list merged by key (SMP merge key = first key), element type
 *   `Item` (`atomic` for atomic elements, empty for scalars); suffixes `retainKeys` (SMP
 *   merge,retainKeys), `ssa-atomic` (apply treats it atomic), `smp-none` (SMP replaces it);
 * - `[=]`: scalar list merged by value (SMP merge, SSA set); `[]`: atomic list.
 */
export function parseFieldType(dsl: string): FieldType {
  const [head, ...flags] = dsl.trim().split(/\s+/);
  const retainKeys = flags.includes('retainKeys');
  if (head === 'atomic') return { kind: 'atomic' };
  if (head === '[]') return list('atomic', [], {}, undefined, undefined, false, false);
  if (head === '[=]')
    return list(
      flags.includes('ssa-atomic') ? 'atomic' : 'set',
      [],
      {},
      { mergeKey: '' },
      undefined,
      false,
      false,
    );
  const m = /^\[([^\]]+)\](.*)$/.exec(head);
  if (m) {
    const keys: string[] = [];
    const keyDefaults: Record<string, string | number> = {};
    for (const part of m[1].split(',')) {
      const [key, def] = part.split('=');
      keys.push(key);
      if (def !== undefined) keyDefaults[key] = /^\d+$/.test(def) ? Number(def) : def;
    }
    const itemAtomic = m[2] === 'atomic';
    const item = m[2] && !itemAtomic ? m[2] : undefined;
    return list(
      flags.includes('ssa-atomic') ? 'atomic' : 'map',
      keys,
      keyDefaults,
      flags.includes('smp-none') ? undefined : { mergeKey: keys[0] },
      item,
      itemAtomic,
      retainKeys,
    );
  }
  return { kind: 'struct', name: head, retainKeys };
}

function list(
  ssa: ListType['ssa'],
  keys: string[],
  keyDefaults: Record<string, string | number>,
  smp: ListType['smp'],
  item: string | undefined,
  itemAtomic: boolean,
  itemRetainKeys: boolean,
): ListType {
  return { kind: 'list', ssa, keys, keyDefaults, smp, item, itemAtomic, itemRetainKeys };
}
