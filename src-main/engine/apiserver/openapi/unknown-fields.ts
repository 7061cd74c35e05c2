import { loadDefinitions, refName } from './definitions';
import type { SchemaNode } from './definitions';

let gvkIndex: Map<string, string> | undefined;

function indexKey(apiVersion: string, kind: string): string {
  return `${apiVersion}\u0000${kind}`;
}

/** Definition name for an apiVersion/kind pair, from the definitions' x-kubernetes-group-version-kind. */
export function definitionForKind(apiVersion: string, kind: string): string | undefined {
  if (!gvkIndex) {
    gvkIndex = new Map();
    for (const [name, def] of Object.entries(loadDefinitions().definitions)) {
      const gvks = def['x-kubernetes-group-version-kind'];
      if (!Array.isArray(gvks)) continue;
      for (const g of gvks as { group: string; version: string; kind: string }[]) {
        const av = g.group ? `${g.group}/${g.version}` : g.version;
        // Shared meta kinds (DeleteOptions, WatchEvent) list every group; the first owner wins.
        if (!gvkIndex.has(indexKey(av, g.kind))) gvkIndex.set(indexKey(av, g.kind), name);
      }
    }
  }
  return gvkIndex.get(indexKey(apiVersion, kind));
}

/** True when the server publishes a schema for this apiVersion/kind. */
export function hasSchema(apiVersion: string, kind: string): boolean {
  return definitionForKind(apiVersion, kind) !== undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * Field paths of `obj` that the kind's schema does not declare, formatted the way
 * Kubernetes' strict decoding reports them (`spec.template.spec.containers[0].imagePullPolcy`),
 * in document order. Maps (additionalProperties), `x-kubernetes-preserve-unknown-fields`
 * and free-form types (RawExtension, FieldsV1) accept any content. Returns [] for kinds
 * without a schema.
 */
export function findUnknownFields(apiVersion: string, kind: string, obj: unknown): string[] {
  const name = definitionForKind(apiVersion, kind);
  if (!name) return [];
  const defs = loadDefinitions().definitions;
  const out: string[] = [];

  const resolve = (node: SchemaNode): SchemaNode => {
    let n = node;
    // A $ref node may carry its own description next to the reference; the target holds the shape.
    for (let i = 0; n.$ref && i < 8; i++) n = defs[refName(n.$ref)] ?? {};
    return n;
  };

  const walk = (value: unknown, node: SchemaNode, path: string): void => {
    const schema = resolve(node);
    if (schema['x-kubernetes-preserve-unknown-fields'] === true) return;
    if (Array.isArray(value)) {
      if (schema.items) value.forEach((item, i) => walk(item, schema.items as SchemaNode, `${path}[${i}]`));
      return;
    }
    if (!isPlainObject(value)) return;
    if (schema.properties) {
      for (const [key, v] of Object.entries(value)) {
        const prop = schema.properties[key];
        if (prop) walk(v, prop, join(path, key));
        else out.push(join(path, key));
      }
      return;
    }
    const ap = schema.additionalProperties;
    if (ap && typeof ap === 'object') {
      for (const [key, v] of Object.entries(value)) walk(v, ap, join(path, key));
    }
  };

  walk(obj, defs[name], '');
  return out;
}
