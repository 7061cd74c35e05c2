import type { KubeObject } from '../../k8s-object';
import { isPlainObject } from '../../k8s-object';
import { ApiError, badRequest } from '../status';
import type { StatusCause } from '../status';
import { FieldSet, pathToString } from './managed-fields/field-set';
import type { FieldPath } from './managed-fields/field-set';
import {
  capUpdateManagers,
  managerKey,
  ownable,
  readManagers,
  rfc3339,
  STRIPPED_PATHS,
  writeManagers,
} from './managed-fields/managers';
import type { ManagerEntry } from './managed-fields/managers';
import {
  compare,
  dropNulls,
  findListProblem,
  mergeApplied,
  removePaths,
  structType,
  toFieldSet,
} from './managed-fields/typed-walk';
import type { NodeType } from './managed-fields/typed-walk';
import { patchUnclassified } from './patch-errors';
import { recordUpdate } from './record-update';
import { rootTypeOf, UNTYPED } from './schema';
import { jsonEqual } from './json-equal';

export interface ApplyArgs {
  /** The stored object; undefined when apply creates it. */
  live: KubeObject | undefined;
  /** The applied configuration (the request body). */
  applied: KubeObject;
  manager: string;
  force: boolean;
  /** The API version the request used, e.g. `apps/v1`. */
  apiVersion: string;
  now: Date;
  /** Top-level fields whose ownership is not tracked for this write (e.g. `status` on the main resource). */
  ignoredFields?: readonly string[];
  /** `status`…: apply through a subresource, recorded on the entry like Kubernetes does. */
  subresource?: string;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Server-side apply: merges `applied` into `live` (keyed lists merge by key, atomic values are
 * replaced), removes fields this manager applied before and no longer applies unless another
 * manager owns them, and records `applied`'s fields as owned by `manager` (operation Apply).
 * A field owned by another manager whose value would change is a conflict: 409 Conflict with
 * Kubernetes' message and `FieldManagerConflict` causes, unless `force` moves the ownership.
 * As in Kubernetes, the manager `kubectl` may take fields recorded in the client-side
 * last-applied annotation without conflict, and keeps that annotation in step. An object
 * nobody tracked yet has its fields attributed to `before-first-apply` first. When nothing
 * changes, the entry's time is left alone. A body carrying managedFields, or of another API
 * version than the request, is a 400 BadRequest.
 */
export function applyServerSide(args: ApplyArgs): KubeObject {
  const { live, applied, manager, force, apiVersion, now, ignoredFields, subresource } = args;
  if (applied.metadata?.managedFields != null) throw badRequest('metadata.managedFields must be nil');
  if (applied.apiVersion !== apiVersion) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion ?? ''}, expected: ${apiVersion}`,
    );
  }
  const kind = applied.kind ?? live?.kind ?? '';
  const type = structType(rootTypeOf(apiVersion, kind) ?? UNTYPED);
  const config = withoutManaged(applied);
  const problem = findListProblem(config, type);
  if (problem) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    throw patchUnclassified(
      `failed to create typed patch object (${group}/${version}, Kind=${kind}): ${problem}`,
    );
  }
  const appliedSet = toFieldSet(config, type);
  const self = { manager, operation: 'Apply' as const, apiVersion, subresource };
  const selfKey = managerKey(self);

  if (!live) {
    const created = dropNulls(config) as KubeObject;
    created.metadata = {
      ...created.metadata,
      managedFields: writeManagers([
        { ...self, time: rfc3339(now), fields: ownable(appliedSet, ignoredFields) },
      ]),
    };
    return created;
  }

  const liveBody = withoutManaged(live);
  const managers = readManagers(live);
  if (managers.length === 0) {
    // Kubernetes attributes an untracked object's fields to "before-first-apply" first, so
    // the first applier conflicts on values it did not set.
    const tracked = recordUpdate({
      old: undefined,
      updated: liveBody,
      manager: 'before-first-apply',
      apiVersion,
      now,
    });
    managers.push(...readManagers(tracked));
  }
  const previous = managers.find((e) => managerKey(e) === selfKey);
  const others = managers.filter((e) => managerKey(e) !== selfKey);
  let merged = mergeApplied(liveBody, config, type) as KubeObject;
  if (previous) merged = prune(merged, previous.fields, appliedSet, others, type);
  merged = dropNulls(merged) as KubeObject;

  const diff = compare(liveBody, merged, type);
  const changed = diff.added.union(diff.modified);
  const conflicts = others
    .map((e) => ({ entry: e, fields: ownable(e.fields.intersection(changed), ignoredFields) }))
    .filter((c) => !c.fields.isEmpty());
  if (conflicts.length > 0 && !force) {
    const allowed = manager === 'kubectl' ? lastAppliedAllowance(live, liveBody, type) : undefined;
    const remaining = conflicts
      .map((c) => ({ ...c, fields: allowed ? c.fields.difference(allowed) : c.fields }))
      .filter((c) => !c.fields.isEmpty());
    if (remaining.length > 0) throw conflictError(remaining);
  }

  const entries: ManagerEntry[] = others.map((e) => ({
    ...e,
    fields: e.fields.difference(changed).difference(diff.removed),
  }));
  // Like Kubernetes, an apply that leaves the object as it was does not touch the time.
  const unchanged = jsonEqual(liveBody, merged);
  entries.push({
    ...self,
    time: unchanged ? previous?.time : rfc3339(now),
    fields: ownable(appliedSet, ignoredFields),
  });
  if (manager === 'kubectl') syncLastApplied(merged, config);
  merged.metadata = { ...merged.metadata, managedFields: writeManagers(capUpdateManagers(entries)) };
  return merged;
}

/**
 * Removes what `manager` applied last time and not now, unless someone else owns it (or
 * something below it): structured-merge-diff's prune with its add-back of owned items.
 */
function prune(
  obj: KubeObject,
  last: FieldSet,
  now: FieldSet,
  others: ManagerEntry[],
  type: NodeType,
): KubeObject {
  const ownedByOthers = others.reduce((acc, e) => acc.union(e.fields), FieldSet.empty());
  const protectedPaths = FieldSet.of(STRIPPED_PATHS);
  const candidates = new Map<string, FieldPath>();
  for (const p of last.paths()) {
    for (let n = 1; n <= p.length; n++) {
      const prefix = p.slice(0, n);
      candidates.set(JSON.stringify(prefix), prefix);
    }
  }
  const removals: FieldPath[] = [];
  const sorted = [...candidates.values()].sort((a, b) => a.length - b.length);
  for (const p of sorted) {
    if (protectedPaths.has(p)) continue;
    if (removals.some((r) => r.length < p.length && r.every((pe, i) => pe === p[i]))) continue;
    if (now.hasPrefix(p) || ownedByOthers.hasPrefix(p)) continue;
    removals.push(p);
  }
  return removePaths(obj, removals, type) as KubeObject;
}

/** Fields the client-side last-applied annotation declares and that still hold those values. */
function lastAppliedAllowance(live: KubeObject, liveBody: KubeObject, type: NodeType): FieldSet | undefined {
  const raw = live.metadata?.annotations?.[LAST_APPLIED];
  if (!raw) return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isPlainObject(lastApplied)) return undefined;
  const declared = toFieldSet(lastApplied, type);
  return declared.difference(compare(lastApplied, liveBody, type).modified);
}

/** kubectl's server-side apply keeps an existing client-side annotation equal to what it applied. */
function syncLastApplied(merged: KubeObject, config: KubeObject): void {
  const annotations = merged.metadata?.annotations;
  if (!annotations || !(LAST_APPLIED in annotations)) return;
  const copy = structuredClone(config);
  if (copy.metadata?.annotations) delete copy.metadata.annotations[LAST_APPLIED];
  annotations[LAST_APPLIED] = `${stableStringify(copy)}\n`;
}

/** JSON with object keys sorted, as Go encodes maps. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function conflictError(conflicts: { entry: ManagerEntry; fields: FieldSet }[]): ApiError {
  const all = conflicts.flatMap((c) =>
    c.fields.paths().map((p) => ({ who: describeManager(c.entry), path: pathToString(p) })),
  );
  const causes: StatusCause[] = all.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${c.who}`,
    field: c.path,
  }));
  let message: string;
  if (all.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${all[0].who}: ${all[0].path}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of all) byManager.set(c.who, [...(byManager.get(c.who) ?? []), c.path]);
    const lines: string[] = [];
    for (const who of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${who}:`);
      for (const path of byManager.get(who) ?? []) lines.push(`- ${path}`);
    }
    message = `Apply failed with ${all.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, { causes });
}

/** `"kubectl"` for appliers, `"kubectl-edit" using apps/v1` (plus subresource) for updaters. */
function describeManager(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

function withoutManaged(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  if (copy.metadata) {
    copy.metadata = { ...copy.metadata };
    delete copy.metadata.managedFields;
  }
  return copy;
}
