import { randomInt } from 'node:crypto';
import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';

/** RFC 3339 with second precision, as Kubernetes writes `metav1.Time`. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A `metav1.Time` value for object metadata. Objects are JSON data, so the value is the
 * RFC 3339 string; client-node's V1ObjectMeta declares these fields as Date, hence the cast.
 */
export function metaTime(date: Date): Date {
  return formatTime(date) as unknown as Date;
}

// Kubernetes' generateName alphabet leaves out vowels and look-alikes so names never spell words.
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomNameSuffix(): string {
  let out = '';
  for (let i = 0; i < 5; i++) out += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return out;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Deep equality of JSON data (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/** The object without metadata and status: what `generation` tracks. */
export function specPart(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

export function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

export function setPath(obj: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur: Record<string, unknown> = obj;
  for (const p of path.slice(0, -1)) {
    const next = cur[p];
    if (!isPlainObject(next)) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = value;
}

/**
 * Removes a field named the way schema checks report it (`spec.foo`,
 * `spec.containers[0].foo`, `metadata.labels.a.b` is not split inside maps — callers
 * report the first unknown segment). Missing paths are ignored.
 */
export function removeFieldPath(obj: unknown, path: string): void {
  const segments: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return;
    if (m[1]) segments.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) segments.push(Number(idx[1]));
  }
  let cur: unknown = obj;
  for (let i = 0; i < segments.length - 1; i++) {
    const s = segments[i];
    if (typeof s === 'number') cur = Array.isArray(cur) ? cur[s] : undefined;
    else cur = isPlainObject(cur) ? cur[s] : undefined;
    if (cur === undefined) return;
  }
  const last = segments[segments.length - 1];
  if (typeof last === 'string' && isPlainObject(cur)) delete cur[last];
}
