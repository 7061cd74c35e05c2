import { isPlainObject } from '../../../k8s-object';
import type { KubeObject } from '../../../k8s-object';
import type { SubresourceDefinition } from '../types';

/** The eight verbs of an ordinary resource. */
export const STANDARD_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** Verbs of a `/status` subresource. */
export const STATUS_VERBS = ['get', 'patch', 'update'];

/** A core/v1 subresource answering with `kind`. */
export function coreSubresource(name: string, kind: string, verbs: string[]): SubresourceDefinition {
  return { name, kind, group: '', version: 'v1', verbs };
}

/** The `status` subresource of a core kind. */
export function statusSubresource(kind: string): SubresourceDefinition {
  return coreSubresource('status', kind, STATUS_VERBS);
}

/** A record view of `value`, or an empty record when it is not an object. */
export function rec(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

/** An array view of `value`, or an empty array. */
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Array items that are objects (others are skipped). */
export function records(value: unknown): Record<string, unknown>[] {
  return arr(value).filter(isPlainObject);
}

/** `value` when it is a string, else "". */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** `value` when it is a number, else undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A string-valued map view of `value` (non-string values are skipped). */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec(value))) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Returns `obj[key]` as an object, creating `{}` there when missing or not an object. */
export function ensureRecord(obj: Record<string, unknown>, key: string): Record<string, unknown> {
  const current = obj[key];
  if (isPlainObject(current)) return current;
  const created: Record<string, unknown> = {};
  obj[key] = created;
  return created;
}

/** `obj.spec`, created when missing. */
export function specOf(obj: KubeObject): Record<string, unknown> {
  return ensureRecord(obj, 'spec');
}

/** Sets `obj[key] = value` when the field is absent (undefined, null or ""). */
export function setDefault(obj: Record<string, unknown>, key: string, value: unknown): void {
  const current = obj[key];
  if (current === undefined || current === null || current === '') obj[key] = value;
}

/** Reads a nested field by path, or undefined. */
export function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Field selector value for a string field at `path` ("" when absent, as Kubernetes reports it). */
export function fieldAt(path: readonly string[]): (obj: KubeObject) => string {
  return (obj) => {
    const value = getPath(obj, path);
    if (value === undefined || value === null) return '';
    return typeof value === 'string' ? value : String(value);
  };
}

/** Deep copy of a JSON value. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
