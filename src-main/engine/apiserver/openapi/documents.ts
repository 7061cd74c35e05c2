import { createHash } from 'node:crypto';
import { closure, loadDefinitions, refName } from './definitions';
import type { SchemaNode } from './definitions';
import { groupVersionPaths } from './operations';
import type { OperationSpec, ParamSpec, PathSpec } from './operations';
import { COMMON_DEFINITIONS, SERVED_GROUP_VERSIONS, groupVersionPath } from './served-resources';
import type { ServedGroupVersion } from './served-resources';

type Json = Record<string, unknown>;

const PRODUCES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const WATCH_PRODUCES = [
  ...PRODUCES,
  'application/json;stream=watch',
  'application/vnd.kubernetes.protobuf;stream=watch',
];

function rootsOf(gv: ServedGroupVersion): string[] {
  const roots = [...COMMON_DEFINITIONS];
  for (const r of gv.resources) {
    roots.push(r.definition);
    if (r.listDefinition) roots.push(r.listDefinition);
    for (const s of r.subresources) if (s.definition) roots.push(s.definition);
  }
  return roots;
}

function v2Param(p: ParamSpec): Json {
  return {
    description: p.description,
    in: p.in,
    name: p.name,
    ...(p.required ? { required: true } : {}),
    type: p.type,
    uniqueItems: true,
  };
}

function producesOf(o: OperationSpec): string[] {
  return o.produces ?? (o.action === 'list' ? WATCH_PRODUCES : PRODUCES);
}

function v2ResponseSchema(o: OperationSpec): Json {
  return o.response ? { $ref: `#/definitions/${o.response}` } : { type: 'string' };
}

function v2Operation(o: OperationSpec): Json {
  const parameters: Json[] = [];
  if (o.body) {
    parameters.push({
      in: 'body',
      name: 'body',
      required: true,
      schema: { $ref: `#/definitions/${o.body}` },
    });
  }
  parameters.push(...o.query.map(v2Param));
  return {
    consumes: o.consumes,
    description: o.description,
    operationId: o.operationId,
    parameters,
    produces: producesOf(o),
    responses: {
      '200': { description: 'OK', schema: v2ResponseSchema(o) },
      ...(o.action === 'post' ? { '201': { description: 'Created', schema: v2ResponseSchema(o) } } : {}),
      '401': { description: 'Unauthorized' },
    },
    schemes: ['https'],
    tags: [o.tag],
    'x-kubernetes-action': o.action,
    'x-kubernetes-group-version-kind': o.gvk,
  };
}

function v2PathItem(p: PathSpec): Json {
  const item: Json = {};
  for (const o of p.operations) item[o.method] = v2Operation(o);
  item.parameters = p.params.map(v2Param);
  return item;
}

let v2Cache: Json | undefined;

/** The Swagger 2.0 document for every served group-version (what `/openapi/v2` returns). */
export function buildOpenapiV2(): Json {
  if (v2Cache) return v2Cache;
  const { definitions, sourceVersion } = loadDefinitions();
  const paths: Json = {};
  const roots: string[] = [];
  for (const gv of SERVED_GROUP_VERSIONS) {
    for (const p of groupVersionPaths(gv)) paths[p.path] = v2PathItem(p);
    roots.push(...rootsOf(gv));
  }
  const defs: Record<string, SchemaNode> = {};
  for (const name of closure(roots, definitions)) defs[name] = definitions[name];
  v2Cache = {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: sourceVersion },
    paths,
    definitions: defs,
    securityDefinitions: {
      BearerToken: {
        description: 'Bearer Token authentication',
        in: 'header',
        name: 'authorization',
        type: 'apiKey',
      },
    },
    security: [{ BearerToken: [] }],
  };
  return v2Cache;
}

/** Converts a Swagger 2.0 schema node to OpenAPI 3 form (component refs, allOf-wrapped refs). */
function toV3Schema(node: SchemaNode, asProperty: boolean): Json {
  if (node.$ref) {
    const ref = `#/components/schemas/${refName(node.$ref)}`;
    const { $ref: _ignored, ...rest } = node;
    if (!asProperty && Object.keys(rest).length === 0) return { $ref: ref };
    const out: Json = { allOf: [{ $ref: ref }] };
    for (const [k, v] of Object.entries(rest)) out[k] = v;
    return out;
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties' && v && typeof v === 'object') {
      const props: Json = {};
      for (const [pk, pv] of Object.entries(v as Record<string, SchemaNode>))
        props[pk] = toV3Schema(pv, true);
      out.properties = props;
    } else if (k === 'items' && v && typeof v === 'object') {
      out.items = toV3Schema(v as SchemaNode, false);
    } else if (k === 'additionalProperties' && v && typeof v === 'object') {
      out.additionalProperties = toV3Schema(v as SchemaNode, false);
    } else {
      out[k] = v;
    }
  }
  return out;
}

function v3Param(p: ParamSpec): Json {
  return {
    description: p.description,
    in: p.in,
    name: p.name,
    ...(p.required ? { required: true } : {}),
    schema: { type: p.type, uniqueItems: true },
  };
}

/** Content map for a definition, or for plain text/streams when `def` is undefined. */
function v3Content(def: string | undefined, types: string[]): Json {
  const content: Json = {};
  for (const t of types) {
    content[t] = { schema: def ? { $ref: `#/components/schemas/${def}` } : { type: 'string' } };
  }
  return content;
}

function v3Operation(o: OperationSpec): Json {
  const out: Json = {
    description: o.description,
    operationId: o.operationId,
    parameters: o.query.map(v3Param),
    responses: {
      '200': {
        description: 'OK',
        content: v3Content(o.response, producesOf(o)),
      },
      ...(o.action === 'post'
        ? { '201': { description: 'Created', content: v3Content(o.response, producesOf(o)) } }
        : {}),
      '401': { description: 'Unauthorized' },
    },
    tags: [o.tag],
    'x-kubernetes-action': o.action,
    'x-kubernetes-group-version-kind': o.gvk,
  };
  if (o.body) out.requestBody = { content: v3Content(o.body, o.consumes), required: true };
  return out;
}

/**
 * Types whose v3 schema lists alternatives instead of one `type` (as Kubernetes publishes
 * them); kubectl then names them (`<IntOrString>`, `<map[string]Quantity>`) instead of `<string>`.
 */
const V3_ONE_OF: Record<string, Json[]> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': [{ type: 'string' }, { type: 'number' }],
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': [{ type: 'integer' }, { type: 'string' }],
};

interface V3Entry {
  document: Json;
  hash: string;
}

const v3Cache = new Map<string, V3Entry>();

function buildV3(gv: ServedGroupVersion): V3Entry {
  const key = groupVersionPath(gv);
  const hit = v3Cache.get(key);
  if (hit) return hit;
  const { definitions, sourceVersion } = loadDefinitions();
  const paths: Json = {};
  for (const p of groupVersionPaths(gv)) {
    const item: Json = {};
    for (const o of p.operations) item[o.method] = v3Operation(o);
    item.parameters = p.params.map(v3Param);
    paths[p.path] = item;
  }
  const schemas: Json = {};
  for (const name of closure(rootsOf(gv), definitions)) {
    const schema = toV3Schema(definitions[name], false);
    const alternatives = V3_ONE_OF[name];
    if (alternatives) {
      delete schema.type;
      schema.oneOf = alternatives;
    }
    schemas[name] = schema;
  }
  const document: Json = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: sourceVersion },
    paths,
    components: {
      schemas,
      securitySchemes: {
        BearerToken: {
          description: 'Bearer Token authentication',
          in: 'header',
          name: 'authorization',
          type: 'apiKey',
        },
      },
    },
  };
  const hash = createHash('sha512').update(JSON.stringify(document)).digest('hex').toUpperCase();
  const entry = { document, hash };
  v3Cache.set(key, entry);
  return entry;
}

/** The OpenAPI v3 document of one group-version path ("api/v1", "apis/apps/v1"), or undefined. */
export function buildOpenapiV3(groupVersionPathKey: string): V3Entry | undefined {
  const key = groupVersionPathKey.replace(/^\/+|\/+$/g, '');
  const gv = SERVED_GROUP_VERSIONS.find((g) => groupVersionPath(g) === key);
  return gv ? buildV3(gv) : undefined;
}

/** Every served group-version path key, in discovery order. */
export function v3GroupVersionPaths(): string[] {
  return SERVED_GROUP_VERSIONS.map(groupVersionPath);
}
