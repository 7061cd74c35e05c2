import { isPlainObject } from '../../k8s-object';
import { loadDefinitions, refName } from '../openapi/definitions';
import type { SchemaNode } from '../openapi/definitions';
import { definitionForKind } from '../openapi';

interface Context {
  /** Go name of the struct holding the field, e.g. DeploymentSpec. */
  parent: string;
  /** JSON path from the root without indexes, e.g. spec.template.spec.containers. */
  path: string;
}

const shortName = (definition: string): string => definition.slice(definition.lastIndexOf('.') + 1);

/** `io.k8s.api.core.v1.PodSpec` → `v1.PodSpec`, as Go prints a named type. */
function goNamedType(definition: string): string {
  const parts = definition.split('.');
  return parts.length >= 2 ? `${parts[parts.length - 2]}.${parts[parts.length - 1]}` : definition;
}

function goType(node: SchemaNode): string {
  if (node.$ref) return goNamedType(refName(node.$ref));
  switch (node.type) {
    case 'integer':
      return node.format === 'int32' ? 'int32' : node.format === 'int64' ? 'int64' : 'int';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'array':
      return `[]${node.items ? goType(node.items) : 'interface {}'}`;
    default:
      return isPlainObject(node.additionalProperties)
        ? `map[string]${goType(node.additionalProperties as SchemaNode)}`
        : 'map[string]interface {}';
  }
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  return 'object';
}

/**
 * The first value of `obj` whose JSON type the kind's schema does not allow (a string
 * where an int32 belongs, a list where an object belongs…), worded like Kubernetes' JSON
 * decoder: `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas
 * of type int32`. Undefined when the object decodes, or the kind has no schema. Quantities
 * and IntOrStrings take strings and numbers; free-form fields take anything.
 */
export function findTypeError(apiVersion: string, kind: string, obj: unknown): string | undefined {
  const root = definitionForKind(apiVersion, kind);
  if (!root) return undefined;
  const defs = loadDefinitions().definitions;

  const fail = (value: unknown, node: SchemaNode, ctx: Context, detail?: string): string =>
    `json: cannot unmarshal ${detail ?? jsonKind(value)} into Go struct field ${ctx.parent}.${ctx.path} of type ${goType(node)}`;

  const walk = (value: unknown, node: SchemaNode, ctx: Context): string | undefined => {
    if (value === null || value === undefined) return undefined;
    let schema = node;
    let definition: string | undefined;
    for (let i = 0; schema.$ref && i < 8; i++) {
      definition = refName(schema.$ref);
      schema = defs[definition] ?? {};
    }
    if (schema['x-kubernetes-preserve-unknown-fields'] === true) return undefined;
    if (schema.format === 'int-or-string' || definition?.endsWith('.Quantity')) {
      return typeof value === 'string' || typeof value === 'number' ? undefined : fail(value, node, ctx);
    }
    switch (schema.type) {
      case 'string':
        return typeof value === 'string' ? undefined : fail(value, node, ctx);
      case 'boolean':
        return typeof value === 'boolean' ? undefined : fail(value, node, ctx);
      case 'number':
        return typeof value === 'number' ? undefined : fail(value, node, ctx);
      case 'integer':
        if (typeof value !== 'number') return fail(value, node, ctx);
        return Number.isInteger(value) ? undefined : fail(value, node, ctx, `number ${value}`);
      case 'array': {
        if (!Array.isArray(value)) return fail(value, node, ctx);
        if (!schema.items) return undefined;
        for (const item of value) {
          const error = walk(item, schema.items, ctx);
          if (error) return error;
        }
        return undefined;
      }
      default:
        break;
    }
    if (schema.properties) {
      if (!isPlainObject(value)) return fail(value, node, ctx);
      const parent = definition ? shortName(definition) : ctx.parent;
      for (const [key, v] of Object.entries(value)) {
        const prop = schema.properties[key];
        if (!prop) continue;
        const error = walk(v, prop, { parent, path: ctx.path ? `${ctx.path}.${key}` : key });
        if (error) return error;
      }
      return undefined;
    }
    if (isPlainObject(schema.additionalProperties)) {
      if (!isPlainObject(value)) return fail(value, node, ctx);
      for (const v of Object.values(value)) {
        const error = walk(v, schema.additionalProperties as SchemaNode, ctx);
        if (error) return error;
      }
    }
    return undefined;
  };

  return walk(obj, { $ref: `#/definitions/${root}` }, { parent: shortName(root), path: '' });
}
