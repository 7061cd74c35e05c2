import type { V1ObjectMeta } from '@kubernetes/client-node';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
} from './names';

/** Kubernetes' `FieldImmutableErrorMsg`. */
export const FIELD_IMMUTABLE = 'field is immutable';
/** Kubernetes' `IsNegativeErrorMsg`. */
export const IS_NEGATIVE = 'must be greater than or equal to 0';
/** 256 KiB: the total size limit of an object's annotations. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/**
 * A name check as Kubernetes' ValidateNameFunc: `prefix` is true when checking a
 * generateName, where a trailing dash is allowed.
 */
export type NameValidator = (name: string, prefix: boolean) => string[];

function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/** Names that must be DNS-1123 subdomains (pods, configmaps, secrets, nodes, most kinds). */
export const nameIsDnsSubdomain: NameValidator = (name, prefix) =>
  isDns1123Subdomain(prefix ? maskTrailingDash(name) : name);
/** Names that must be DNS-1123 labels (namespaces). */
export const nameIsDnsLabel: NameValidator = (name, prefix) =>
  isDns1123Label(prefix ? maskTrailingDash(name) : name);
/** Names that must be DNS-1035 labels (services). */
export const nameIsDns1035Label: NameValidator = (name, prefix) =>
  isDns1035Label(prefix ? maskTrailingDash(name) : name);
/** Names that only have to be valid path segments (e.g. RBAC roles). */
export const nameIsPathSegment: NameValidator = (name) => isValidPathSegmentName(name);

/** `metadata.labels` syntax; every problem is reported against the labels map itself. */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(key)) errs.push(fieldErrors.invalid(path, key, msg));
    for (const msg of isValidLabelValue(String(value))) errs.push(fieldErrors.invalid(path, value, msg));
  }
  return errs;
}

/** `metadata.annotations` key syntax (case-insensitive) and the 256 KiB total size limit. */
export function validateAnnotations(
  annotations: Record<string, string> | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(key.toLowerCase())) errs.push(fieldErrors.invalid(path, key, msg));
    size += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(fieldErrors.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

/** A non-negative integer field (`must be greater than or equal to 0`). */
export function validateNonnegative(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && value < 0 ? [fieldErrors.invalid(path, value, IS_NEGATIVE)] : [];
}

/** An unchanged field, or `Invalid value: <new>: field is immutable`. */
export function validateImmutable(newValue: unknown, oldValue: unknown, path: string): FieldError[] {
  return deepEqual(newValue, oldValue) ? [] : [fieldErrors.invalid(path, newValue ?? '', FIELD_IMMUTABLE)];
}

/** Structural equality of JSON values (undefined and missing keys are equal). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => deepEqual(v, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    for (const k of keys) if (!deepEqual(ra[k], rb[k])) return false;
    return true;
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return false;
}

function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const finalizer of finalizers ?? []) {
    for (const msg of isQualifiedName(finalizer)) errs.push(fieldErrors.invalid(path, finalizer, msg));
  }
  const list = finalizers ?? [];
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(fieldErrors.invalid(path, list, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

function validateOwnerReferences(meta: V1ObjectMeta, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const controllers: string[] = [];
  for (const ref of meta.ownerReferences ?? []) {
    const version = (ref.apiVersion ?? '').split('/').pop() ?? '';
    if (!version)
      errs.push(fieldErrors.invalid(`${path}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(fieldErrors.invalid(`${path}.kind`, ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(fieldErrors.invalid(`${path}.name`, ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(fieldErrors.invalid(`${path}.uid`, ref.uid ?? '', 'uid must not be empty'));
    if (ref.controller) controllers.push(`${ref.kind}/${ref.name}`);
  }
  if (controllers.length > 1) {
    errs.push(
      fieldErrors.invalid(
        path,
        meta.ownerReferences,
        `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`,
      ),
    );
  }
  return errs;
}

export interface ObjectMetaRules {
  /** True for namespaced kinds (namespace required), false for cluster-scoped (namespace forbidden). */
  namespaced: boolean;
  /** The kind's name rule; defaults to DNS-1123 subdomain. */
  name?: NameValidator;
  /** Path prefix, `metadata` unless validating an embedded template's metadata. */
  path?: string;
}

/**
 * ValidateObjectMeta: name (or generateName) syntax, namespace presence, generation,
 * labels, annotations, owner references and finalizers, with Kubernetes' field paths.
 */
export function validateObjectMeta(meta: V1ObjectMeta | undefined, rules: ObjectMetaRules): FieldError[] {
  const m = meta ?? {};
  const path = rules.path ?? 'metadata';
  const nameFn = rules.name ?? nameIsDnsSubdomain;
  const errs: FieldError[] = [];
  if (m.generateName) {
    for (const msg of nameFn(m.generateName, true)) {
      errs.push(fieldErrors.invalid(`${path}.generateName`, m.generateName, msg));
    }
  }
  if (!m.name) {
    errs.push(fieldErrors.required(`${path}.name`, 'name or generateName is required'));
  } else {
    for (const msg of nameFn(m.name, false)) errs.push(fieldErrors.invalid(`${path}.name`, m.name, msg));
  }
  if (rules.namespaced) {
    if (!m.namespace) {
      errs.push(fieldErrors.required(`${path}.namespace`));
    } else {
      for (const msg of nameIsDnsLabel(m.namespace, false)) {
        errs.push(fieldErrors.invalid(`${path}.namespace`, m.namespace, msg));
      }
    }
  } else if (m.namespace) {
    errs.push(fieldErrors.forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  errs.push(...validateNonnegative(m.generation, `${path}.generation`));
  errs.push(...validateLabels(m.labels, `${path}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(m, `${path}.ownerReferences`));
  errs.push(...validateFinalizers(m.finalizers, `${path}.finalizers`));
  return errs;
}

/**
 * ValidateObjectMetaUpdate: name, namespace and uid are immutable, generation may not go
 * down, no new finalizers once deletion started, and the new labels/annotations are valid.
 */
export function validateObjectMetaUpdate(
  meta: V1ObjectMeta | undefined,
  old: V1ObjectMeta | undefined,
  path = 'metadata',
): FieldError[] {
  const m = meta ?? {};
  const o = old ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const extra = (m.finalizers ?? []).filter((f) => !(o.finalizers ?? []).includes(f));
    if (extra.length > 0) {
      errs.push(
        fieldErrors.forbidden(
          `${path}.finalizers`,
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra
            .sort()
            .map((f) => JSON.stringify(f))
            .join(', ')}}`,
        ),
      );
    }
  }
  if ((m.generation ?? 0) < (o.generation ?? 0)) {
    errs.push(fieldErrors.invalid(`${path}.generation`, m.generation ?? 0, 'must not be decremented'));
  }
  errs.push(...validateImmutable(m.name, o.name, `${path}.name`));
  errs.push(...validateImmutable(m.namespace ?? '', o.namespace ?? '', `${path}.namespace`));
  if (m.uid && o.uid) errs.push(...validateImmutable(m.uid, o.uid, `${path}.uid`));
  errs.push(...validateLabels(m.labels, `${path}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(m, `${path}.ownerReferences`));
  errs.push(...validateFinalizers(m.finalizers, `${path}.finalizers`));
  return errs;
}
