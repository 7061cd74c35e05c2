import type { V1ManagedFieldsEntry } from '@kubernetes/client-node';
import type { KubeObject } from '../../../k8s-object';
import { isPlainObject } from '../../../k8s-object';
import { FieldSet } from './field-set';
import type { FieldPath } from './field-set';

export type Operation = 'Apply' | 'Update';

/** One manager's ownership, as decoded from a `metadata.managedFields` entry. */
export interface ManagerEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  /** RFC 3339, seconds precision. */
  time?: string;
  fields: FieldSet;
}

/**
 * The identity Kubernetes keys managers by: name, operation, subresource and, for Update
 * only, the API version (an applier keeps one entry whatever version it applies with).
 */
export function managerKey(
  e: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>,
): string {
  return JSON.stringify([
    e.manager,
    e.operation,
    e.operation === 'Apply' ? '' : e.apiVersion,
    e.subresource ?? '',
  ]);
}

/** Decodes the entries of `obj.metadata.managedFields`, skipping malformed ones. */
export function readManagers(obj: KubeObject | undefined): ManagerEntry[] {
  const raw: unknown = obj?.metadata?.managedFields;
  if (!Array.isArray(raw)) return [];
  const out: ManagerEntry[] = [];
  for (const e of raw) {
    if (!isPlainObject(e) || typeof e.manager !== 'string') continue;
    if (e.operation !== 'Apply' && e.operation !== 'Update') continue;
    const time =
      e.time instanceof Date ? e.time.toISOString() : typeof e.time === 'string' ? e.time : undefined;
    out.push({
      manager: e.manager,
      operation: e.operation,
      apiVersion: typeof e.apiVersion === 'string' ? e.apiVersion : '',
      subresource: typeof e.subresource === 'string' && e.subresource ? e.subresource : undefined,
      time,
      fields: FieldSet.fromFieldsV1(e.fieldsV1),
    });
  }
  return out;
}

/**
 * Encodes managers as `metadata.managedFields`, in Kubernetes' order: Apply before Update,
 * then by time, manager, apiVersion, subresource. Managers owning nothing are dropped.
 */
export function writeManagers(entries: ManagerEntry[]): V1ManagedFieldsEntry[] {
  const seconds = (t?: string): number => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  return entries
    .filter((e) => !e.fields.isEmpty())
    .sort(
      (a, b) =>
        cmp(a.operation, b.operation) ||
        seconds(a.time) - seconds(b.time) ||
        cmp(a.manager, b.manager) ||
        cmp(a.apiVersion, b.apiVersion) ||
        cmp(a.subresource ?? '', b.subresource ?? ''),
    )
    .map((e) => {
      // Field order follows Kubernetes' ManagedFieldsEntry so JSON output reads the same.
      const entry: Record<string, unknown> = {
        manager: e.manager,
        operation: e.operation,
        apiVersion: e.apiVersion,
      };
      if (e.time) entry.time = e.time;
      entry.fieldsType = 'FieldsV1';
      entry.fieldsV1 = e.fields.toFieldsV1();
      if (e.subresource) entry.subresource = e.subresource;
      return entry as unknown as V1ManagedFieldsEntry;
    });
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `2026-11-22T02:08:49Z`: Kubernetes' metav1.Time wire form. */
export function rfc3339(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Fields Kubernetes never records ownership of (its stripMeta manager). */
export const STRIPPED_PATHS: FieldPath[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ['f:metadata', 'f:name'],
  ['f:metadata', 'f:namespace'],
  ['f:metadata', 'f:creationTimestamp'],
  ['f:metadata', 'f:selfLink'],
  ['f:metadata', 'f:uid'],
  ['f:metadata', 'f:clusterName'],
  ['f:metadata', 'f:generation'],
  ['f:metadata', 'f:managedFields'],
  ['f:metadata', 'f:resourceVersion'],
];

const STRIPPED = FieldSet.of(STRIPPED_PATHS);

/** `set` without the stripped metadata paths and the ignored top-level fields. */
export function ownable(set: FieldSet, ignoredFields: readonly string[] = []): FieldSet {
  return set.difference(STRIPPED).withoutTopLevel(ignoredFields.map((f) => `f:${f}`));
}

/** Kubernetes' DefaultMaxUpdateManagers. */
export const MAX_UPDATE_MANAGERS = 10;

/**
 * Keeps at most `max` Update entries the way Kubernetes does: the oldest ones are folded, per
 * API version, into an `ancient-changes` entry (the first of a version waits in place until a
 * second one of that version needs folding). Returns a new list.
 */
export function capUpdateManagers(entries: ManagerEntry[], max = MAX_UPDATE_MANAGERS): ManagerEntry[] {
  const out = entries.filter((e) => !e.fields.isEmpty()).map((e) => ({ ...e }));
  const seconds = (t?: string): number => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  const updaters = out
    .filter((e) => e.operation === 'Update')
    .sort((a, b) => seconds(a.time) - seconds(b.time) || cmp(managerKey(a), managerKey(b)));
  let length = updaters.length;
  const firstOfVersion = new Map<string, ManagerEntry>();
  for (let i = 0; i < updaters.length && length > max; i++) {
    const entry = updaters[i];
    const first = firstOfVersion.get(entry.apiVersion);
    if (!first) {
      firstOfVersion.set(entry.apiVersion, entry);
      continue;
    }
    let bucket = out.find(
      (e) =>
        e.manager === ANCIENT &&
        e.operation === 'Update' &&
        e.apiVersion === entry.apiVersion &&
        !e.subresource,
    );
    if (!bucket) {
      bucket = first;
      bucket.manager = ANCIENT;
      bucket.subresource = undefined;
    }
    bucket.fields = entry.fields.union(bucket.fields);
    bucket.time = entry.time;
    out.splice(out.indexOf(entry), 1);
    length--;
  }
  return out;
}

const ANCIENT = 'ancient-changes';
