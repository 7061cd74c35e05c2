import type { KubeObject } from '../../k8s-object';
import type { KeyValueStore, StoreRecord } from '../../store/types';
import type { ListOptions, ObjectList } from '../object-api';
import { apiVersionOf } from '../registry/types';
import type { ResourceDefinition } from '../registry/types';
import { parseFieldSelector, requiredFieldValue } from '../selectors/field-selector';
import type { FieldSelector } from '../selectors/field-selector';
import { parseLabelSelector } from '../selectors/label-selector';
import type { LabelSelector } from '../selectors/label-selector';
import { ApiError, badRequest } from '../status';
import { listPrefix, objectKey } from './keys';

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  /** The revision of the first page. */
  rv: number;
  /** The last key the previous page examined. */
  start: string;
  /** How many keys the previous pages examined (for remainingItemCount). */
  seen: number;
}

export function encodeContinue(token: Omit<ContinueToken, 'v'>): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', ...token })).toString('base64url');
}

export function decodeContinue(text: string, prefix: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badRequest(`continue key is not valid: illegal base64 data`);
  }
  const token = parsed as Partial<ContinueToken> | null;
  if (
    !token ||
    token.v !== 'meta.k8s.io/v1' ||
    typeof token.rv !== 'number' ||
    typeof token.start !== 'string' ||
    !token.start.startsWith(prefix)
  ) {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
  return {
    v: token.v,
    rv: token.rv,
    start: token.start,
    seen: typeof token.seen === 'number' ? token.seen : 0,
  };
}

/** Decodes a stored value into an object carrying its revision as resourceVersion. */
export function decodeRecord(record: Pick<StoreRecord, 'value' | 'modRevision'>): KubeObject {
  const obj = JSON.parse(record.value) as KubeObject;
  obj.metadata = { ...obj.metadata, resourceVersion: String(record.modRevision) };
  return obj;
}

export interface Selectors {
  label: LabelSelector;
  field: FieldSelector;
}

export function parseSelectors(
  def: ResourceDefinition,
  options: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>,
): Selectors {
  return {
    label: parseLabelSelector(options.labelSelector),
    field: parseFieldSelector(options.fieldSelector, def.fieldSelectors),
  };
}

export function selectorsMatch(selectors: Selectors, obj: KubeObject): boolean {
  return selectors.label.matches(obj.metadata?.labels) && selectors.field.matches(obj);
}

const SCAN_BATCH = 500;

/**
 * Lists a resource with selectors and paging. The continue token is opaque (base64 JSON);
 * a token older than the store's compaction answers 410 Expired, as Kubernetes does.
 */
export function listObjects(
  store: KeyValueStore,
  def: ResourceDefinition,
  options: ListOptions = {},
  present: (obj: KubeObject) => KubeObject = (obj) => obj,
): ObjectList {
  const namespace = def.namespaced ? options.namespace || undefined : undefined;
  const prefix = listPrefix(def, namespace);
  const selectors = parseSelectors(def, options);
  const apiVersion = apiVersionOf(def);
  const stamp = (obj: KubeObject): KubeObject => ({ ...present(obj), apiVersion, kind: def.kind });

  let startAfter: string | undefined;
  let seen = 0;
  let listRevision = store.currentRevision();
  if (options.continue) {
    const token = decodeContinue(options.continue, prefix);
    if (token.rv < store.compactedRevision()) {
      throw new ApiError(
        410,
        'Expired',
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
    }
    startAfter = token.start;
    seen = token.seen;
    listRevision = token.rv;
  }

  // `metadata.name=x` within one namespace (or cluster scope) is a single key read.
  const exactName = requiredFieldValue(selectors.field, 'metadata.name');
  if (exactName !== undefined && !options.continue && (namespace || !def.namespaced)) {
    const record = store.get(objectKey(def, namespace, exactName));
    const obj = record ? decodeRecord(record) : undefined;
    return {
      apiVersion,
      kind: def.listKind,
      metadata: { resourceVersion: String(store.currentRevision()) },
      items: obj && selectorsMatch(selectors, obj) ? [stamp(obj)] : [],
    };
  }

  const limit = options.limit && options.limit > 0 ? Math.floor(options.limit) : undefined;
  const items: KubeObject[] = [];
  let lastKey: string | undefined;
  let more = false;
  outer: for (;;) {
    const batch = store.list(prefix, { startAfter, limit: SCAN_BATCH });
    for (let i = 0; i < batch.records.length; i++) {
      const record = batch.records[i];
      if (limit !== undefined && items.length >= limit) {
        more = true;
        break outer;
      }
      seen++;
      lastKey = record.key;
      const obj = decodeRecord(record);
      if (selectorsMatch(selectors, obj)) items.push(stamp(obj));
    }
    if (batch.records.length < SCAN_BATCH) break;
    startAfter = batch.records[batch.records.length - 1].key;
  }

  const metadata: ObjectList['metadata'] = { resourceVersion: String(listRevision) };
  if (more && lastKey !== undefined) {
    metadata.continue = encodeContinue({ rv: listRevision, start: lastKey, seen });
    if (selectors.label.empty && selectors.field.empty) {
      metadata.remainingItemCount = Math.max(0, store.count(prefix) - seen);
    }
  }
  return { apiVersion, kind: def.listKind, metadata, items };
}
