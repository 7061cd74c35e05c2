import type { ObjectApi } from '../../apiserver/object-api';
import { ApiError } from '../../apiserver/status';
import type { KubeObject } from '../../k8s-object';
import { isPlainObject } from '../../k8s-object';
import { isControlledBy, num, rec } from './pods';
import { CONTROLLER_REVISIONS } from '../shared/resources';
import { controllerRef } from '../shared/owners';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted, so equal templates hash alike however they were written. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => value[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** FNV-1a (32-bit) over the UTF-8 bytes of `text`. */
function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A template hash in the shape Kubernetes uses for `controller-revision-hash` and
 * `pod-template-hash`: the decimal FNV-32a value with each character's byte mapped onto the "safe" alphabet (no
 * vowels, so it never spells words).
 */
export function templateHash(template: unknown, collisionCount = 0): string {
  const text = canonicalJson(template) + (collisionCount ? String(collisionCount) : '');
  return [...String(fnv32a(text))]
    .map((digit) => SAFE_ALPHABET[digit.charCodeAt(0) % SAFE_ALPHABET.length])
    .join('');
}

export interface RevisionInfo {
  name: string;
  revision: number;
  template: Record<string, unknown>;
}

/** The template a ControllerRevision of a DaemonSet or StatefulSet stores. */
export function revisionTemplate(revision: KubeObject): Record<string, unknown> {
  const template = { ...rec(rec(rec(revision.data).spec).template) };
  delete template.$patch;
  return template;
}

/**
 * Makes sure the owner's current template is recorded as a ControllerRevision named
 * `<owner>-<hash>` (data `{spec:{template:…,$patch:replace}}`) holding the highest revision
 * number; returns it with the revisions the owner has.
 */
export function ensureRevision(
  api: ObjectApi,
  owner: KubeObject,
  kind: string,
  hash: string,
  existing: KubeObject[],
): { current: RevisionInfo; all: KubeObject[] } {
  const namespace = owner.metadata.namespace;
  const name = `${owner.metadata.name}-${hash}`;
  const template = rec(rec(owner.spec).template);
  const owned = existing.filter((r) => isControlledBy(r, owner));
  const max = owned.reduce((m, r) => Math.max(m, num(r.revision) ?? 0), 0);
  let revision = owned.find((r) => r.metadata.name === name);
  if (!revision) {
    try {
      revision = api.create(CONTROLLER_REVISIONS, namespace, {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: {
          name,
          namespace,
          labels: {
            ...(rec(rec(template).metadata).labels as Record<string, string>),
            'controller-revision-hash': hash,
          },
          ownerReferences: [controllerRef(owner, 'apps/v1', kind)],
        },
        data: { spec: { template: { ...template, $patch: 'replace' } } },
        revision: max + 1,
      });
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 409)) throw error;
      revision = api.get(CONTROLLER_REVISIONS, namespace, name);
    }
  } else if ((num(revision.revision) ?? 0) < max) {
    // Rolling back to an earlier template makes that revision the newest again.
    revision = api.update(CONTROLLER_REVISIONS, namespace, { ...revision, revision: max + 1 });
  }
  const all = [...owned.filter((r) => r.metadata.name !== name), revision];
  return {
    current: { name, revision: num(revision.revision) ?? max + 1, template },
    all,
  };
}

/** Deletes the oldest revisions beyond `limit` that no live pod still uses. */
export function pruneRevisions(
  api: ObjectApi,
  revisions: KubeObject[],
  inUse: Set<string>,
  limit: number,
): void {
  const candidates = revisions
    .filter((r) => !inUse.has(r.metadata.name ?? ''))
    .sort((a, b) => (num(a.revision) ?? 0) - (num(b.revision) ?? 0));
  const excess = candidates.length - limit;
  for (let i = 0; i < excess; i++) {
    try {
      api.delete(CONTROLLER_REVISIONS, candidates[i].metadata.namespace, candidates[i].metadata.name ?? '');
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 404)) throw error;
    }
  }
}
