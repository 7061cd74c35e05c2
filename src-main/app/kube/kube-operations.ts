import { parseAllDocuments } from 'yaml';
import type {
  AppliedObject,
  DeletePropagation,
  DrainResult,
  KubeObject,
  ObjectRef,
  ResourceAddress,
  ResourceType,
  RolloutRevision,
} from '../../ipc/contract';
import { InvalidError, NotFoundError, kubedeskError } from '../../ipc/errors';
import { findType } from './discovery';
import type { KubeRest } from './kube-rest';
import { CORE, collectionPath, objectPath, parseApiVersion } from './resource-paths';

/** The field manager Kubedesk's writes are recorded under. */
export const FIELD_MANAGER = 'kubedesk';
const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
const MERGE_PATCH = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';

/** Parses YAML text into objects, one per non-empty document; syntax errors are Invalid. */
export function parseManifests(text: string): KubeObject[] {
  const docs = parseAllDocuments(text);
  const objects: KubeObject[] = [];
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      throw new InvalidError({
        kind: 'Invalid',
        message: `YAML document ${index + 1}: ${doc.errors[0].message}`,
        causes: doc.errors.map((error) => ({ message: error.message, reason: 'YAMLSyntax' })),
      });
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    const items =
      typeof value === 'object' &&
      (value as KubeObject).kind?.endsWith('List') &&
      Array.isArray((value as KubeObject).items)
        ? ((value as KubeObject).items as unknown[])
        : [value];
    for (const item of items) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw kubedeskError('Invalid', `YAML document ${index + 1} is not an object`);
      }
      const object = item as KubeObject;
      if (!object.apiVersion || !object.kind) {
        throw kubedeskError('Invalid', `YAML document ${index + 1}: apiVersion and kind are required`);
      }
      if (!object.metadata?.name) {
        throw kubedeskError(
          'Invalid',
          `YAML document ${index + 1} (${object.kind}): metadata.name is required`,
        );
      }
      objects.push(object);
    }
  });
  if (objects.length === 0) throw kubedeskError('Invalid', 'no objects in the YAML');
  return objects;
}

/** Kubernetes operations the dashboard offers, over one cluster's REST access. */
export class KubeOperations {
  constructor(
    private readonly rest: KubeRest,
    private readonly types: () => Promise<ResourceType[]>,
  ) {}

  list(type: ResourceAddress, namespace?: string, labelSelector?: string, fieldSelector?: string) {
    return this.rest
      .request<{ items?: KubeObject[]; metadata?: { resourceVersion?: string } }>({
        path: collectionPath(type, namespace),
        query: { labelSelector, fieldSelector },
        timeoutMs: 60_000,
      })
      .then((list) => ({ items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? '' }));
  }

  get(ref: Omit<ObjectRef, 'cluster'>): Promise<KubeObject> {
    return this.rest.request<KubeObject>({ path: objectPath(ref.type, ref.namespace, ref.name) });
  }

  delete(
    ref: Omit<ObjectRef, 'cluster'>,
    propagationPolicy: DeletePropagation = 'Background',
  ): Promise<void> {
    return this.rest
      .request({
        method: 'DELETE',
        path: objectPath(ref.type, ref.namespace, ref.name),
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy },
      })
      .then(() => undefined);
  }

  /**
   * Applies every object of `text`. `apply` uses server-side apply (forced, so the dashboard's
   * edit wins over other managers as `kubectl apply --server-side --force-conflicts` does).
   */
  async apply(
    text: string,
    mode: 'apply' | 'create' | 'replace',
    namespace = 'default',
    dryRun = false,
  ): Promise<AppliedObject[]> {
    const objects = parseManifests(text);
    const dry = dryRun ? { dryRun: 'All' } : {};
    const types = await this.types();
    const results: AppliedObject[] = [];
    for (const object of objects) {
      const { group, version } = parseApiVersion(object.apiVersion ?? '');
      const type = findType(types, group, version, object.kind ?? '');
      if (!type) {
        throw new NotFoundError({
          kind: 'NotFound',
          message: `the server does not serve kind "${object.kind}" in version "${object.apiVersion}"`,
        });
      }
      const ns = type.namespaced ? (object.metadata.namespace ?? namespace) : undefined;
      const body: KubeObject = {
        ...object,
        metadata: { ...object.metadata, ...(ns ? { namespace: ns } : {}), managedFields: undefined },
      };
      const name = object.metadata.name ?? '';
      const summary = { kind: object.kind ?? '', name, ...(ns ? { namespace: ns } : {}) };
      if (mode === 'create') {
        await this.rest.request({
          method: 'POST',
          path: collectionPath(type, ns),
          body,
          query: { fieldManager: FIELD_MANAGER, ...dry },
        });
        results.push({ ...summary, action: 'created' });
      } else if (mode === 'replace') {
        await this.rest.request({
          method: 'PUT',
          path: objectPath(type, ns, name),
          body,
          query: { fieldManager: FIELD_MANAGER, ...dry },
        });
        results.push({ ...summary, action: 'replaced' });
      } else {
        const existed = await this.exists(type, ns, name);
        // Server-side apply rejects a body that carries these; they belong to the live object.
        const {
          resourceVersion: _rv,
          uid: _uid,
          creationTimestamp: _ct,
          managedFields: _mf,
          ...metadata
        } = body.metadata;
        await this.rest.request({
          method: 'PATCH',
          path: objectPath(type, ns, name),
          body: { ...body, metadata, status: undefined },
          contentType: 'application/apply-patch+yaml',
          query: { fieldManager: FIELD_MANAGER, force: true, ...dry },
        });
        results.push({ ...summary, action: existed ? 'configured' : 'created' });
      }
    }
    return results;
  }

  /**
   * Sends the difference between two versions of one object as a JSON merge patch, as `kubectl
   * edit` does: fields the user did not touch (status, a resourceVersion that moved meanwhile)
   * are not sent, so only a conflicting change of the same field wins over theirs.
   */
  async edit(
    originalText: string,
    editedText: string,
    namespace = 'default',
    dryRun = false,
  ): Promise<AppliedObject> {
    const dry = dryRun ? { dryRun: 'All' } : {};
    const [original] = parseManifests(originalText);
    const edited = parseManifests(editedText);
    if (edited.length !== 1) throw kubedeskError('Invalid', 'an edit must hold exactly one object');
    const [object] = edited;
    for (const field of ['apiVersion', 'kind'] as const) {
      if (object[field] !== original[field]) {
        throw kubedeskError('Invalid', `${field} cannot be changed in an edit (was ${original[field]})`, {
          causes: [{ field, message: 'field is immutable', reason: 'FieldValueInvalid' }],
        });
      }
    }
    if (
      object.metadata.name !== original.metadata.name ||
      (object.metadata.namespace ?? '') !== (original.metadata.namespace ?? '')
    ) {
      throw kubedeskError('Invalid', 'metadata.name and metadata.namespace cannot be changed in an edit', {
        causes: [{ field: 'metadata.name', message: 'field is immutable', reason: 'FieldValueInvalid' }],
      });
    }
    const { group, version } = parseApiVersion(object.apiVersion ?? '');
    const type = findType(await this.types(), group, version, object.kind ?? '');
    if (!type)
      throw kubedeskError(
        'NotFound',
        `the server does not serve kind "${object.kind}" in version "${object.apiVersion}"`,
      );
    const ns = type.namespaced ? (object.metadata.namespace ?? namespace) : undefined;
    const name = object.metadata.name ?? '';
    const summary = { kind: object.kind ?? '', name, ...(ns ? { namespace: ns } : {}) };
    const patch = createMergePatch(withoutServerFields(original), withoutServerFields(object));
    if (patch === undefined) return { ...summary, action: 'unchanged' };
    await this.rest.request({
      method: 'PATCH',
      path: objectPath(type, ns, name),
      contentType: MERGE_PATCH,
      body: patch,
      query: { fieldManager: FIELD_MANAGER, ...dry },
    });
    return { ...summary, action: 'edited' };
  }

  private async exists(type: ResourceAddress, ns: string | undefined, name: string): Promise<boolean> {
    try {
      await this.rest.request({ path: objectPath(type, ns, name) });
      return true;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  }

  /** Sets `spec.replicas` (through the object, so it works for any scalable kind the server has). */
  scale(ref: Omit<ObjectRef, 'cluster'>, replicas: number): Promise<KubeObject> {
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw kubedeskError('Invalid', `replicas must be a whole number ≥ 0, not ${replicas}`);
    }
    return this.mergePatch(ref, { spec: { replicas } });
  }

  /** What `kubectl rollout restart` does: stamps the pod template so every pod is replaced. */
  rolloutRestart(ref: Omit<ObjectRef, 'cluster'>, now: Date = new Date()): Promise<KubeObject> {
    return this.mergePatch(ref, {
      spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: now.toISOString() } } } },
    });
  }

  /** The revisions of a Deployment, newest first, from the ReplicaSets it controls. */
  async rolloutHistory(ref: Omit<ObjectRef, 'cluster'>): Promise<RolloutRevision[]> {
    const deployment = await this.get(ref);
    const uid = deployment.metadata.uid;
    const { items } = await this.list(CORE.replicaSets, ref.namespace);
    const currentRevision = deployment.metadata.annotations?.[REVISION_ANNOTATION];
    return items
      .filter((rs) => rs.metadata.ownerReferences?.some((owner) => owner.uid === uid && owner.controller))
      .map((rs): RolloutRevision => {
        const spec = (rs.spec ?? {}) as { template?: { spec?: { containers?: { image?: string }[] } } };
        const revision = Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
        return {
          revision,
          replicaSet: rs.metadata.name ?? '',
          ...(rs.metadata.creationTimestamp ? { createdAt: rs.metadata.creationTimestamp } : {}),
          images: (spec.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
          ...(rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION]
            ? { changeCause: rs.metadata.annotations[CHANGE_CAUSE_ANNOTATION] }
            : {}),
          template: stripHash(spec.template),
          current: String(revision) === currentRevision,
        };
      })
      .sort((a, b) => b.revision - a.revision);
  }

  /**
   * What `kubectl rollout undo` does: the Deployment's pod template becomes that of `toRevision`
   * (default: the revision before the current one).
   */
  async rolloutUndo(ref: Omit<ObjectRef, 'cluster'>, toRevision?: number): Promise<KubeObject> {
    const history = await this.rolloutHistory(ref);
    const current = history.find((revision) => revision.current) ?? history[0];
    const target =
      toRevision !== undefined && toRevision !== 0
        ? history.find((revision) => revision.revision === toRevision)
        : history.find((revision) => current && revision.revision < current.revision);
    if (!target) {
      throw kubedeskError(
        'NotFound',
        toRevision
          ? `unable to find specified revision ${toRevision} in history`
          : 'no rollout history found',
      );
    }
    return this.rest.request<KubeObject>({
      method: 'PATCH',
      path: objectPath(ref.type, ref.namespace, ref.name),
      contentType: JSON_PATCH,
      body: [{ op: 'replace', path: '/spec/template', value: target.template }],
      query: { fieldManager: FIELD_MANAGER },
    });
  }

  cordon(name: string, unschedulable: boolean): Promise<KubeObject> {
    return this.mergePatch({ type: CORE.nodes, name }, { spec: { unschedulable: unschedulable || null } });
  }

  /**
   * Cordons the node and evicts its pods (through the eviction API, so disruption budgets hold),
   * leaving DaemonSet pods and mirror pods, as `kubectl drain --ignore-daemonsets` does.
   */
  async drain(name: string): Promise<DrainResult> {
    await this.cordon(name, true);
    const { items } = await this.list(CORE.pods, undefined, undefined, `spec.nodeName=${name}`);
    const result: DrainResult = { evicted: [], skipped: [] };
    for (const pod of items.filter((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName === name)) {
      const label = `${pod.metadata.namespace}/${pod.metadata.name}`;
      if (pod.metadata.annotations?.['kubernetes.io/config.mirror']) {
        result.skipped.push({ name: label, reason: 'mirror pod' });
        continue;
      }
      if (pod.metadata.ownerReferences?.some((owner) => owner.kind === 'DaemonSet' && owner.controller)) {
        result.skipped.push({ name: label, reason: 'managed by a DaemonSet' });
        continue;
      }
      await this.rest.request({
        method: 'POST',
        path: objectPath(CORE.pods, pod.metadata.namespace, pod.metadata.name ?? '', 'eviction'),
        body: {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace },
        },
      });
      result.evicted.push(label);
    }
    return result;
  }

  private mergePatch(ref: Omit<ObjectRef, 'cluster'>, patch: unknown): Promise<KubeObject> {
    return this.rest.request<KubeObject>({
      method: 'PATCH',
      path: objectPath(ref.type, ref.namespace, ref.name),
      contentType: MERGE_PATCH,
      body: patch,
      query: { fieldManager: FIELD_MANAGER },
    });
  }
}

/** An object without what the server owns (status, versions, timestamps): edits never send these. */
function withoutServerFields(object: KubeObject): KubeObject {
  const {
    resourceVersion: _rv,
    uid: _uid,
    generation: _generation,
    creationTimestamp: _created,
    managedFields: _managed,
    ...metadata
  } = object.metadata;
  const { status: _status, ...rest } = object;
  return { ...rest, metadata };
}

/**
 * The RFC 7386 merge patch that turns `from` into `to` (undefined when they are equal): changed
 * values are set, removed keys are null, arrays are replaced whole.
 */
export function createMergePatch(from: unknown, to: unknown): unknown {
  if (isPlainObject(from) && isPlainObject(to)) {
    const patch: Record<string, unknown> = {};
    for (const key of Object.keys(to)) {
      if (!(key in from)) patch[key] = to[key];
      else {
        const inner = createMergePatch(from[key], to[key]);
        if (inner !== undefined) patch[key] = inner;
      }
    }
    for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
    return Object.keys(patch).length > 0 ? patch : undefined;
  }
  return JSON.stringify(from) === JSON.stringify(to) ? undefined : (to ?? null);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A ReplicaSet's template without the hash label the Deployment controller adds to it. */
function stripHash(template: unknown): unknown {
  if (typeof template !== 'object' || template === null) return template;
  const copy = structuredClone(template) as { metadata?: { labels?: Record<string, string> } };
  if (copy.metadata?.labels) delete copy.metadata.labels['pod-template-hash'];
  return copy;
}
