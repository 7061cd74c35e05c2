import { isPlainObject } from '../../../k8s-object';
import { fieldTypeOf, UNTYPED } from '../schema';
import type { FieldType, ListType } from '../schema';
import { jsonEqual } from '../json-equal';
import { FieldSet, fieldElement, indexElement, keyElement, pathToString, valueElement } from './field-set';
import type { FieldPath, PathElement } from './field-set';

/** The type of the value at one node of a walk. */
export type NodeType = { kind: 'struct'; name: string } | { kind: 'atomic' } | ListType;

type JsonMap = Record<string, unknown>;

export function structType(name: string): NodeType {
  return { kind: 'struct', name };
}

function childType(parent: string, key: string, value: unknown): NodeType {
  return fromField(fieldTypeOf(parent, key, value));
}

function fromField(type: FieldType): NodeType {
  return type.kind === 'struct' ? { kind: 'struct', name: type.name } : type;
}

function itemType(list: ListType): NodeType {
  if (list.itemAtomic) return { kind: 'atomic' };
  return { kind: 'struct', name: list.item ?? UNTYPED };
}

/** Whether a value of this type at this node is compared as a whole. */
function isLeaf(type: NodeType, value: unknown): boolean {
  if (type.kind === 'atomic') return true;
  if (type.kind === 'list') return type.ssa === 'atomic' || !Array.isArray(value);
  return !isPlainObject(value);
}

function isAssociative(type: NodeType): type is ListType {
  return type.kind === 'list' && type.ssa !== 'atomic';
}

/** The path element naming `item` inside an associative list. */
export function elementOf(list: ListType, item: unknown, index: number): PathElement {
  if (list.ssa === 'set') return valueElement(item);
  if (!isPlainObject(item)) return indexElement(index);
  const key: JsonMap = {};
  for (const k of list.keys) {
    if (k in item) key[k] = item[k];
    else if (k in list.keyDefaults) key[k] = list.keyDefaults[k];
  }
  return keyElement(key);
}

/** The fields a value sets, as structured-merge-diff's ToFieldSet: leaves, list elements, empty maps. */
export function toFieldSet(value: unknown, type: NodeType): FieldSet {
  const paths: FieldPath[] = [];
  const walk = (v: unknown, t: NodeType, path: PathElement[]): void => {
    if (isLeaf(t, v)) {
      paths.push(path);
      return;
    }
    if (isAssociative(t) && Array.isArray(v)) {
      v.forEach((item, i) => {
        const itemPath = [...path, elementOf(t, item, i)];
        walk(item, t.ssa === 'set' ? { kind: 'atomic' } : itemType(t), itemPath);
        paths.push(itemPath);
      });
      return;
    }
    if (!isPlainObject(v)) return;
    const name = t.kind === 'struct' ? t.name : UNTYPED;
    for (const [key, child] of Object.entries(v)) {
      const childPath = [...path, fieldElement(key)];
      if (child === null || (isPlainObject(child) && Object.keys(child).length === 0)) {
        paths.push(childPath);
        continue;
      }
      walk(child, childType(name, key, child), childPath);
    }
  };
  walk(value, type, []);
  return FieldSet.of(paths.filter((p) => p.length > 0));
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

const isEmptyish = (v: unknown): boolean =>
  v === null ||
  v === undefined ||
  (isPlainObject(v) && Object.keys(v).length === 0) ||
  (Array.isArray(v) && v.length === 0);

/**
 * Differences between two versions of an object as structured-merge-diff's Compare reports
 * them: changed leaves, and containers (maps, lists, list elements) that appeared or vanished.
 */
export function compare(lhs: unknown, rhs: unknown, type: NodeType): Comparison {
  const added: FieldPath[] = [];
  const modified: FieldPath[] = [];
  const removed: FieldPath[] = [];
  const walk = (l: unknown, r: unknown, t: NodeType, path: PathElement[]): void => {
    if (l === undefined && r === undefined) return;
    const lc = l !== undefined && l !== null && !isLeaf(t, l);
    const rc = r !== undefined && r !== null && !isLeaf(t, r);
    const lOk = lc || l === undefined || l === null;
    const rOk = rc || r === undefined || r === null;
    if (!(lOk && rOk && (lc || rc)) || (isEmptyish(l) && isEmptyish(r))) {
      if (l === undefined) added.push(path);
      else if (r === undefined) removed.push(path);
      else if (!jsonEqual(l, r)) modified.push(path);
      return;
    }
    if (isAssociative(t)) {
      const left = indexList(t, l);
      const right = indexList(t, r);
      const child = t.ssa === 'set' ? ({ kind: 'atomic' } as NodeType) : itemType(t);
      for (const pe of new Set([...left.keys(), ...right.keys()]))
        walk(left.get(pe), right.get(pe), child, [...path, pe]);
    } else {
      const lm = isPlainObject(l) ? l : {};
      const rm = isPlainObject(r) ? r : {};
      const name = t.kind === 'struct' ? t.name : UNTYPED;
      for (const key of new Set([...Object.keys(lm), ...Object.keys(rm)])) {
        const [lv, rv] = [own(lm, key), own(rm, key)];
        walk(lv, rv, childType(name, key, rv ?? lv), [...path, fieldElement(key)]);
      }
    }
    if (l === undefined) added.push(path);
    else if (r === undefined) removed.push(path);
  };
  walk(lhs, rhs, type, []);
  const nonRoot = (paths: FieldPath[]): FieldSet => FieldSet.of(paths.filter((p) => p.length > 0));
  return { added: nonRoot(added), modified: nonRoot(modified), removed: nonRoot(removed) };
}

/** A key's own value: a field named like an Object.prototype member (`constructor`) is not inherited. */
function own(map: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

function indexList(list: ListType, value: unknown): Map<PathElement, unknown> {
  const out = new Map<PathElement, unknown>();
  if (!Array.isArray(value)) return out;
  value.forEach((item, i) => {
    const pe = elementOf(list, item, i);
    if (!out.has(pe)) out.set(pe, item);
  });
  return out;
}

/**
 * Merges an applied configuration into the live object as server-side apply does: the
 * configuration wins on every leaf it sets, maps merge field by field, associative lists merge
 * by key keeping the configuration's order and live-only elements near their neighbours.
 */
export function mergeApplied(live: unknown, config: unknown, type: NodeType): unknown {
  if (config === undefined) return structuredClone(live);
  if (live === undefined || isLeaf(type, config) || isLeaf(type, live)) return structuredClone(config);
  if (isAssociative(type)) {
    if (!Array.isArray(live) || !Array.isArray(config)) return structuredClone(config);
    return mergeList(live, config, type);
  }
  if (!isPlainObject(live) || !isPlainObject(config)) return structuredClone(config);
  const name = type.kind === 'struct' ? type.name : UNTYPED;
  const out: JsonMap = {};
  for (const key of new Set([...Object.keys(live), ...Object.keys(config)])) {
    const [lv, cv] = [own(live, key), own(config, key)];
    out[key] = mergeApplied(lv, cv, childType(name, key, cv ?? lv));
  }
  return out;
}

function mergeList(lhs: unknown[], rhs: unknown[], list: ListType): unknown[] {
  const child = list.ssa === 'set' ? ({ kind: 'atomic' } as NodeType) : itemType(list);
  const lPEs = lhs.map((item, i) => elementOf(list, item, i));
  const rPEs = rhs.map((item, i) => elementOf(list, item, i));
  const lByPE = new Map(lPEs.map((pe, i) => [pe, lhs[i]] as const));
  const rSet = new Set(rPEs);
  const sharedOrder = rPEs.filter((pe) => lByPE.has(pe));
  let nextShared = sharedOrder.shift();
  const merged = new Set<PathElement>();
  const out: unknown[] = [];
  let l = 0;
  let r = 0;
  while (l < lPEs.length || r < rPEs.length) {
    if (l < lPEs.length && r < rPEs.length) {
      const pe = lPEs[l];
      if (pe === rPEs[r]) {
        merged.add(pe);
        out.push(mergeApplied(lhs[l], rhs[r], child));
        l++;
        r++;
        nextShared = sharedOrder.shift();
        continue;
      }
      if (rSet.has(pe) && nextShared !== undefined && nextShared !== pe) {
        l++;
        continue;
      }
    }
    if (l < lPEs.length) {
      const pe = lPEs[l];
      if (!rSet.has(pe)) {
        out.push(structuredClone(lhs[l]));
        l++;
        continue;
      }
      if (merged.has(pe)) {
        l++;
        continue;
      }
    }
    if (r < rPEs.length) {
      const pe = rPEs[r];
      merged.add(pe);
      out.push(mergeApplied(lByPE.get(pe), rhs[r], child));
      r++;
      if (nextShared === pe) nextShared = sharedOrder.shift();
    }
  }
  return out;
}

/** Removes the values at `paths` (each path's whole subtree) from a copy of `value`. */
export function removePaths(value: unknown, paths: readonly FieldPath[], type: NodeType): unknown {
  const out = structuredClone(value);
  for (const path of paths) removeOne(out, path, type);
  return out;
}

function removeOne(root: unknown, path: FieldPath, type: NodeType): void {
  let node: unknown = root;
  let t = type;
  for (let i = 0; i < path.length; i++) {
    const pe = path[i];
    const last = i === path.length - 1;
    if (pe.startsWith('f:')) {
      if (!isPlainObject(node)) return;
      const key = pe.slice(2);
      if (last) {
        delete node[key];
        return;
      }
      t = childType(t.kind === 'struct' ? t.name : UNTYPED, key, node[key]);
      node = node[key];
    } else {
      if (!Array.isArray(node) || !isAssociative(t)) return;
      const list: ListType = t;
      const at = node.findIndex((item, idx) => elementOf(list, item, idx) === pe);
      if (at < 0) return;
      if (last) {
        node.splice(at, 1);
        return;
      }
      node = node[at];
      t = list.ssa === 'set' ? { kind: 'atomic' } : itemType(list);
    }
  }
}

/** Drops `null` members (typed decoding in Kubernetes leaves none behind). */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isPlainObject(value)) return value;
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
  return out;
}

/**
 * The first problem structured-merge-diff reports for an applied configuration's keyed lists
 * and sets (`.spec.x: element 0: associative list with keys has an element that omits key
 * field "name" (and doesn't have default value)`, duplicates), or undefined.
 */
export function findListProblem(value: unknown, type: NodeType): string | undefined {
  let problem: string | undefined;
  const walk = (v: unknown, t: NodeType, path: PathElement[]): void => {
    if (problem || isLeaf(t, v)) return;
    if (isAssociative(t) && Array.isArray(v)) {
      const seen = new Set<PathElement>();
      v.forEach((item, i) => {
        if (problem) return;
        const where = pathToString(path);
        if (t.ssa === 'map') {
          if (item === null)
            problem = `${where}: element ${i}: associative list with keys may not have a null element`;
          else if (!isPlainObject(item)) {
            problem = `${where}: element ${i}: associative list with keys may not have non-map elements`;
          } else {
            const missing = t.keys.find((k) => !(k in item) && !(k in t.keyDefaults));
            if (missing) {
              problem = `${where}: element ${i}: associative list with keys has an element that omits key field ${JSON.stringify(missing)} (and doesn't have default value)`;
            }
          }
        }
        if (problem) return;
        const pe = elementOf(t, item, i);
        if (seen.has(pe)) problem = `${where}: duplicate entries for key ${pathToString([pe])}`;
        seen.add(pe);
        walk(item, t.ssa === 'set' ? { kind: 'atomic' } : itemType(t), [...path, pe]);
      });
      return;
    }
    if (!isPlainObject(v)) return;
    const name = t.kind === 'struct' ? t.name : UNTYPED;
    for (const [key, child] of Object.entries(v)) {
      if (child !== null && child !== undefined)
        walk(child, childType(name, key, child), [...path, fieldElement(key)]);
    }
  };
  walk(value, type, []);
  return problem;
}
