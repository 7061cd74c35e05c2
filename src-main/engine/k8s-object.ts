import type { V1ObjectMeta } from '@kubernetes/client-node';

/**
 * Any Kubernetes object as plain JSON data. The engine treats objects as data and keeps
 * per-kind knowledge in the apiserver registry, so this type is deliberately loose below
 * `metadata`.
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: V1ObjectMeta;
  [field: string]: unknown;
}

/** A JSON value, as found inside any object. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
