import type { KubeObject } from '../../k8s-object';
import {
  capUpdateManagers,
  managerKey,
  ownable,
  readManagers,
  rfc3339,
  writeManagers,
} from './managed-fields/managers';
import type { ManagerEntry } from './managed-fields/managers';
import { compare, structType } from './managed-fields/typed-walk';
import { withZeroContainers } from './managed-fields/zero-values';
import { rootTypeOf, UNTYPED } from './schema';

export interface RecordUpdateArgs {
  /** The stored object before the write; undefined on create. */
  old: KubeObject | undefined;
  /** The object about to be stored (after defaulting and the kind's strategy). */
  updated: KubeObject;
  manager: string;
  /** The API version the request used, e.g. `apps/v1`. */
  apiVersion: string;
  now: Date;
  /** `status`, `scale`…: recorded on the entry like Kubernetes does. */
  subresource?: string;
  /** Top-level fields whose ownership is not tracked for this write (e.g. `status` on the main resource). */
  ignoredFields?: readonly string[];
}

/**
 * Managed-fields bookkeeping for a non-apply write (create, update, JSON/merge/strategic
 * patch): every field the write added or changed becomes owned by `manager` (operation
 * Update) and is taken away from every other manager, removed fields leave every set, and the
 * writer's entry gets `time: now`. A write that changes no field leaves the entries as they
 * were. Returns a copy of `updated` with `metadata.managedFields` set. Entries sent in
 * `updated.metadata.managedFields` (non-empty, not on a subresource) replace the stored ones,
 * as in Kubernetes; `[{}]` therefore clears them.
 */
export function recordUpdate(args: RecordUpdateArgs): KubeObject {
  const { old, updated, manager, apiVersion, now, subresource, ignoredFields } = args;
  const kind = updated.kind ?? old?.kind ?? '';
  const type = structType(rootTypeOf(updated.apiVersion ?? apiVersion, kind) ?? UNTYPED);
  const before = withZeroContainers(stripManaged(old ?? { metadata: {} }), kind);
  const after = withZeroContainers(stripManaged(updated), kind);
  const diff = compare(before, after, type);
  const changed = ownable(diff.added.union(diff.modified), ignoredFields);
  const removed = diff.removed;

  const self: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'> = {
    manager,
    operation: 'Update',
    apiVersion,
    subresource,
  };
  const selfKey = managerKey(self);
  // Like Kubernetes, managedFields sent with the write replace the stored ones (that is how
  // clients reset or migrate ownership); absent or sent to a subresource, the stored ones count.
  const sent = updated.metadata?.managedFields;
  const base =
    Array.isArray(sent) && sent.length > 0 && !subresource ? readManagers(updated) : readManagers(old);
  const entries = base.map((e) => ({
    ...e,
    fields:
      managerKey(e) === selfKey
        ? e.fields.difference(removed)
        : e.fields.difference(changed).difference(removed),
  }));
  if (!changed.isEmpty()) {
    const mine = entries.find((e) => managerKey(e) === selfKey);
    if (mine) {
      mine.fields = mine.fields.union(changed);
      mine.time = rfc3339(now);
    } else {
      entries.push({ ...self, time: rfc3339(now), fields: changed });
    }
  }
  const out = structuredClone(updated);
  out.metadata = { ...out.metadata, managedFields: writeManagers(capUpdateManagers(entries)) };
  if (out.metadata.managedFields?.length === 0) delete out.metadata.managedFields;
  return out;
}

function stripManaged(obj: KubeObject): Record<string, unknown> {
  const copy = structuredClone(obj) as Record<string, unknown> & KubeObject;
  if (copy.metadata) {
    copy.metadata = { ...copy.metadata };
    delete copy.metadata.managedFields;
  }
  return copy;
}
