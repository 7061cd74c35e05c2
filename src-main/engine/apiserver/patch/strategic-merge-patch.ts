import type { KubeObject } from '../../k8s-object';
import { isPlainObject } from '../../k8s-object';
import { goFormat } from './go-format';
import { jsonEqual } from './json-equal';
import {
  CUSTOM_RESOURCE_PATCH_TYPES,
  patchBadRequest,
  patchNotApplicable,
  patchUnclassified,
  unsupportedPatchType,
} from './patch-errors';
import { fieldTypeOf, rootTypeOf, UNTYPED } from './schema';
import type { ListType } from './schema';

type JsonMap = Record<string, unknown>;

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_PREFIX = '$deleteFromPrimitiveList/';
const ORDER_PREFIX = '$setElementOrder/';

const ERR_RETAIN_KEYS = 'invalid patch format of retainKeys';
const ERR_ORDER_LIST = 'invalid patch format of setElementOrder list';
const ERR_PRIMITIVE_LIST = 'invalid patch format of primitive list';

/**
 * Applies a Kubernetes strategic merge patch (as the API server does: parallel deletion lists
 * merged, unmatched nulls ignored) to a copy of `doc`. Lists merge by their patch merge key
 * where the type declares `patchStrategy: merge` and are replaced otherwise; the directives
 * `$patch` (replace/delete), `$retainKeys`, `$setElementOrder/<list>` and
 * `$deleteFromPrimitiveList/<list>` are honoured and never left in the result. Kinds without
 * patch metadata (custom resources) get 415 UnsupportedMediaType; malformed patches get the
 * status codes and messages Kubernetes gives.
 */
export function applyStrategicMergePatch(
  doc: KubeObject,
  patch: unknown,
  apiVersion: string,
  kind: string,
): KubeObject {
  const root = rootTypeOf(apiVersion, kind);
  if (root === undefined) throw unsupportedPatchType(CUSTOM_RESOURCE_PATCH_TYPES);
  if (!isPlainObject(patch)) {
    const got = Array.isArray(patch) ? 'array' : patch === null ? 'null' : typeof patch;
    throw patchBadRequest(`json: cannot unmarshal ${got} into Go value of type map[string]interface {}`);
  }
  return mergeMap(structuredClone(doc), structuredClone(patch), root) as KubeObject;
}

function mergeMap(original: JsonMap, patch: JsonMap, typeName: string): JsonMap {
  if (DIRECTIVE in patch) {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') {
      const rest = { ...patch };
      delete rest[DIRECTIVE];
      return mergeMap({}, rest, typeName);
    }
    if (directive === 'delete') return {};
    throw patchUnclassified(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(patch)}`);
  }
  applyRetainKeys(original, patch);
  mergeOrderedLists(original, patch, typeName);

  for (const [rawKey, patchValue] of Object.entries(patch)) {
    let key = rawKey;
    const isDeleteList = rawKey.startsWith(DELETE_PREFIX);
    if (isDeleteList) key = rawKey.slice(DELETE_PREFIX.length);
    if (patchValue === null) {
      delete original[key];
      continue;
    }
    if (!(key in original)) {
      if (!isDeleteList) original[key] = cleanValue(patchValue, typeName, key);
      continue;
    }
    const originalValue = original[key];
    if (kindOf(originalValue) !== kindOf(patchValue)) {
      if (!isDeleteList) original[key] = cleanValue(patchValue, typeName, key);
      continue;
    }
    const fieldType = fieldTypeOf(typeName, key, patchValue);
    if (isPlainObject(originalValue) && isPlainObject(patchValue)) {
      original[key] = mergeMap(
        originalValue,
        patchValue,
        fieldType.kind === 'struct' ? fieldType.name : UNTYPED,
      );
    } else if (Array.isArray(originalValue) && Array.isArray(patchValue)) {
      const list = fieldType.kind === 'list' ? fieldType : undefined;
      if (isDeleteList) {
        assertScalarList(patchValue);
        original[key] = originalValue.filter((v) => !patchValue.some((d) => jsonEqual(d, v)));
      } else if (list?.smp) {
        original[key] = mergeSlice(originalValue, patchValue, list);
      } else {
        original[key] = cleanValue(patchValue, typeName, key);
      }
    } else {
      original[key] = patchValue;
    }
  }
  return original;
}

/** `$retainKeys`: every key of the patch must be listed; original keys not listed are cleared. */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!(RETAIN_KEYS in patch)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw patchBadRequest(ERR_RETAIN_KEYS);
  const keep = new Set(retain.map(String));
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_PREFIX) || k.startsWith(ORDER_PREFIX)) continue;
    if (!keep.has(k)) throw patchBadRequest(ERR_RETAIN_KEYS);
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/**
 * `$setElementOrder/<list>`: merge the list (if patched) and order it: the directive's order
 * first, then server-only elements keep their relative place (Kubernetes' normalizeElementOrder).
 */
function mergeOrderedLists(original: JsonMap, patch: JsonMap, typeName: string): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(ORDER_PREFIX)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) {
      throw patchUnclassified(`expected a []interface {}, but received a ${goTypeName(order)}`);
    }
    const listKey = key.slice(ORDER_PREFIX.length);
    const list = listTypeOf(typeName, listKey);
    const mergeKey = list.smp?.mergeKey ?? '';
    const originalList = original[listKey];
    const patchList = patch[listKey];
    const foundOriginal = Array.isArray(originalList);
    const foundPatch = Array.isArray(patchList);
    if (listKey in patch && !foundPatch && patchList !== null) throw patchBadRequest(ERR_ORDER_LIST);
    validateOrderList(foundPatch ? patchList : [], order, mergeKey);
    let merged: unknown[];
    if (foundOriginal && foundPatch) {
      merged = list.smp
        ? mergeSlice(originalList, patchList, list)
        : (cleanValue(patchList, typeName, listKey) as unknown[]);
    } else if (foundPatch) {
      merged = cleanValue(patchList, typeName, listKey) as unknown[];
    } else if (foundOriginal) {
      merged = originalList;
    } else {
      continue;
    }
    const inOrder = (item: unknown): boolean => indexIn(order, item, mergeKey) >= 0;
    const patchItems = merged.filter(inOrder);
    const serverOnly = merged.filter((item) => !inOrder(item));
    original[listKey] = normalizeElementOrder(
      patchItems,
      serverOnly,
      order,
      foundOriginal ? originalList : [],
      mergeKey,
    );
    delete patch[listKey];
  }
}

/** The relative order of patch elements must match the `$setElementOrder` list. */
function validateOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = patchList.filter((item) => !(isPlainObject(item) && DIRECTIVE in item));
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (
      keyOf(items[p], mergeKey) !== undefined &&
      jsonEqual(keyOf(items[p], mergeKey), keyOf(order[o], mergeKey))
    )
      p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw patchUnclassified(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${ORDER_PREFIX} list:\n${goFormat(order)}\n`,
    );
  }
}

function mergeSlice(original: unknown[], patch: unknown[], list: ListType): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const elementKind = sliceElementKind(original, patch);
  const mergeKey = list.smp?.mergeKey ?? '';
  let merged: unknown[];
  let base = original;
  let patchItems = patch;
  if (elementKind !== 'map') {
    merged = [];
    for (const v of [...original, ...patch]) if (!merged.some((m) => jsonEqual(m, v))) merged.push(v);
  } else {
    if (!mergeKey) throw patchUnclassified(`cannot merge lists without merge key for ${list.item ?? 'list'}`);
    [base, patchItems] = applySpecialElements(original, patch, mergeKey);
    merged = [...base];
    for (const item of patchItems) {
      const typed = item as JsonMap;
      if (!(mergeKey in typed)) {
        throw patchUnclassified(`map: ${goFormat(typed)} does not contain declared merge key: ${mergeKey}`);
      }
      const at = merged.findIndex((m) => isPlainObject(m) && jsonEqual(m[mergeKey], typed[mergeKey]));
      const itemType = list.item ?? UNTYPED;
      if (at >= 0) merged[at] = mergeMap(merged[at] as JsonMap, typed, itemType);
      else merged.push(mergeMap({}, typed, itemType));
    }
  }
  const inPatch = (item: unknown): boolean => indexIn(patch, item, mergeKey) >= 0;
  return normalizeElementOrder(
    merged.filter(inPatch),
    merged.filter((m) => !inPatch(m)),
    patch,
    original,
    mergeKey,
  );
}

/** `$patch: delete` removes matching elements; `$patch: replace` makes the patch the whole list. */
function applySpecialElements(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
): [unknown[], unknown[]] {
  const plain: unknown[] = [];
  let replace = false;
  let base = original;
  for (const item of patch) {
    const typed = item as JsonMap;
    if (!(DIRECTIVE in typed)) {
      plain.push(item);
      continue;
    }
    const directive = typed[DIRECTIVE];
    if (directive === 'delete') {
      if (!(mergeKey in typed)) {
        throw patchUnclassified(`map: ${goFormat(typed)} does not contain declared merge key: ${mergeKey}`);
      }
      base = base.filter((m) => !(isPlainObject(m) && jsonEqual(m[mergeKey], typed[mergeKey])));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw patchUnclassified('merging lists cannot yet be specified in the patch');
    } else {
      throw patchUnclassified(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(typed)}`);
    }
  }
  return replace ? [[], plain] : [base, plain];
}

/**
 * Orders patch elements by `patchOrder` and server-only elements by `serverOrder`, then
 * interleaves them: a server-only element goes before the first patch element that comes
 * after it in the live list (Kubernetes' mergeSortedSlice).
 */
function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
): unknown[] {
  const right = sortByOrder(patchItems, patchOrder, mergeKey);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function sortByOrder(items: unknown[], order: unknown[], mergeKey: string): unknown[] {
  const rank = (item: unknown): number => {
    const at = indexIn(order, item, mergeKey);
    return at < 0 ? Number.MAX_SAFE_INTEGER : at;
  };
  return items
    .map((item, position) => ({ item, position, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank || a.position - b.position)
    .map((e) => e.item);
}

function indexIn(list: unknown[], item: unknown, mergeKey: string): number {
  const wanted = keyOf(item, mergeKey);
  if (wanted === undefined) return -1;
  return list.findIndex((candidate) => {
    if (mergeKey && isPlainObject(candidate) && candidate[DIRECTIVE] === 'delete') return false;
    return jsonEqual(keyOf(candidate, mergeKey), wanted);
  });
}

function keyOf(item: unknown, mergeKey: string): unknown {
  if (!mergeKey) return item;
  return isPlainObject(item) ? item[mergeKey] : undefined;
}

function sliceElementKind(...lists: unknown[][]): 'map' | 'scalar' {
  let kind: 'map' | 'scalar' | undefined;
  for (const list of lists) {
    for (const v of list) {
      if (Array.isArray(v)) throw patchNotApplicable('lists of lists are not supported');
      const k = isPlainObject(v) ? 'map' : 'scalar';
      if (kind && kind !== k) {
        throw patchUnclassified(
          `expected a ${kind === 'map' ? 'map[string]interface {}' : 'scalar'}, but received a ${goTypeName(v)}`,
        );
      }
      kind = k;
    }
  }
  return kind ?? 'scalar';
}

function assertScalarList(list: unknown[]): void {
  if (list.some((v) => isPlainObject(v) || Array.isArray(v))) throw patchBadRequest(ERR_PRIMITIVE_LIST);
}

function listTypeOf(typeName: string, key: string): ListType {
  const type = fieldTypeOf(typeName, key, []);
  if (type.kind !== 'list') throw patchBadRequest(ERR_ORDER_LIST);
  return type;
}

/**
 * A patch value stored where nothing was: nulls dropped and directives applied against an
 * empty original, since the typed decode Kubernetes does next would drop them too.
 */
function cleanValue(value: unknown, typeName: string, key: string): unknown {
  if (isPlainObject(value)) {
    const type = fieldTypeOf(typeName, key, value);
    return mergeMap({}, value, type.kind === 'struct' ? type.name : UNTYPED);
  }
  if (Array.isArray(value)) {
    const type = fieldTypeOf(typeName, key, value);
    if (type.kind === 'list' && type.smp) return mergeSlice([], value, type);
    return value.map((v) =>
      isPlainObject(v) ? mergeMap({}, v, type.kind === 'list' ? (type.item ?? UNTYPED) : UNTYPED) : v,
    );
  }
  return value;
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (isPlainObject(v)) return 'map';
  return typeof v;
}

function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return '[]interface {}';
  if (isPlainObject(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}
