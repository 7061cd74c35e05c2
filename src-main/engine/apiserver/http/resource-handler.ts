import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import type { DeleteOptions, ListOptions, PatchOptions, WriteOptions } from '../object-api';
import type { GroupVersionResource, ResourceDefinition } from '../registry/types';
import { forbiddenRequest } from '../rbac/forbidden';
import { ApiError, badRequest, methodNotAllowed } from '../status';
import type { ObjectStorage } from '../storage/object-storage';
import type { Authorizer, UserInfo } from './auth';
import { decodeObjectBody, decodePatchBody, readBody } from './body';
import type { ProtobufDecoder } from './body';
import { negotiateRepresentation } from './negotiation';
import { sendJson } from './respond';
import type { Warnings } from './respond';
import type { ResourceRoute } from './router';
import type { SubresourceHandlers } from './subresource-handlers';
import {
  buildTable,
  parseIncludeObject,
  partialObjectMetadata,
  partialObjectMetadataList,
  scaleTableDefinition,
} from './table';
import { streamWatch } from './watch-stream';

/** What resource requests need from the server. */
export interface ResourceServerDeps {
  storage: ObjectStorage;
  authorize: Authorizer;
  decodeProtobuf?: ProtobufDecoder;
  subresources: SubresourceHandlers;
  now: () => Date;
  log: (message: string) => void;
  /** Watches without timeoutSeconds end after this long (clients re-watch). */
  defaultWatchTimeoutSeconds: number;
}

export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  user: UserInfo;
  warnings: Warnings;
  route: ResourceRoute;
  definition: ResourceDefinition;
}

/** Subresources the generic storage serves itself. */
const STORAGE_SUBRESOURCES = new Set([
  'status',
  'scale',
  'finalize',
  'binding',
  'eviction',
  'ephemeralcontainers',
]);

function verbOf(method: string, route: ResourceRoute, query: URLSearchParams): string {
  const watch = route.legacyWatch || query.get('watch') === 'true' || query.get('watch') === '1';
  switch (method) {
    case 'GET':
    case 'HEAD':
      return route.name ? (watch ? 'watch' : 'get') : watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return route.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`${name}: Invalid value: "${raw}": must be an integer`);
  return Number(raw);
}

function boolParam(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  return raw === 'true' || raw === '1';
}

function fieldManagerOf(req: IncomingMessage, query: URLSearchParams): string {
  const explicit = query.get('fieldManager');
  if (explicit) {
    if (explicit.length > 128) throw badRequest('fieldManager: Too long: may not be more than 128 bytes');
    return explicit;
  }
  const agent = req.headers['user-agent'] ?? '';
  return agent.split('/')[0] || 'unknown';
}

function writeOptions(ctx: ResourceRequest): WriteOptions {
  const query = ctx.url.searchParams;
  const validation = query.get('fieldValidation');
  if (validation && validation !== 'Strict' && validation !== 'Warn' && validation !== 'Ignore') {
    throw badRequest(
      `fieldValidation: Unsupported value: "${validation}": supported values: "Ignore", "Strict", "Warn"`,
    );
  }
  const dryRun = query.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All'))
    throw badRequest(`dryRun: Unsupported value: "${dryRun.join(',')}": supported values: "All"`);
  return {
    dryRun: dryRun.length > 0,
    fieldManager: fieldManagerOf(ctx.req, query),
    fieldValidation: (validation as WriteOptions['fieldValidation']) ?? 'Warn',
    onWarning: ctx.warnings.add,
    ...(ctx.route.subresource ? { subresource: ctx.route.subresource } : {}),
  };
}

function listOptions(ctx: ResourceRequest): ListOptions {
  const query = ctx.url.searchParams;
  return {
    namespace: ctx.route.namespace,
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
    limit: intParam(query, 'limit'),
    continue: query.get('continue') ?? undefined,
    resourceVersion: query.get('resourceVersion') ?? undefined,
  };
}

function deleteOptions(query: URLSearchParams, body: KubeObject | undefined): DeleteOptions {
  const fromBody: Record<string, unknown> = body && isPlainObject(body) ? body : {};
  const options: DeleteOptions = {};
  const grace =
    intParam(query, 'gracePeriodSeconds') ??
    (typeof fromBody.gracePeriodSeconds === 'number' ? fromBody.gracePeriodSeconds : undefined);
  if (grace !== undefined) options.gracePeriodSeconds = grace;
  const policy =
    query.get('propagationPolicy') ??
    (typeof fromBody.propagationPolicy === 'string' ? fromBody.propagationPolicy : undefined);
  const orphan =
    query.get('orphanDependents') ??
    (typeof fromBody.orphanDependents === 'boolean' ? String(fromBody.orphanDependents) : undefined);
  if (policy) {
    if (policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
      throw badRequest(
        `propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
      );
    }
    options.propagationPolicy = policy;
  } else if (orphan === 'true') {
    options.propagationPolicy = 'Orphan';
  }
  if (isPlainObject(fromBody.preconditions)) {
    const p = fromBody.preconditions;
    options.preconditions = {
      ...(typeof p.uid === 'string' ? { uid: p.uid } : {}),
      ...(typeof p.resourceVersion === 'string' ? { resourceVersion: p.resourceVersion } : {}),
    };
  }
  const dryRun = [...query.getAll('dryRun'), ...(Array.isArray(fromBody.dryRun) ? fromBody.dryRun : [])];
  if (dryRun.length) options.dryRun = true;
  return options;
}

/** Serves one request for a resource, its collection, or one of its subresources. */
export async function handleResource(ctx: ResourceRequest, deps: ResourceServerDeps): Promise<void> {
  const { req, res, url, route, definition: def } = ctx;
  const query = url.searchParams;
  const method = req.method ?? 'GET';
  const verb = verbOf(method, route, query);
  const gvr: GroupVersionResource = { group: def.group, version: def.version, resource: def.plural };
  const namespace = def.namespaced ? route.namespace : undefined;
  if (!def.namespaced && route.namespace !== undefined) {
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  }
  // Writes to one namespaced object need its namespace in the path, as in Kubernetes.
  const writesOne = verb === 'create' || verb === 'update' || verb === 'patch' || verb === 'delete';
  if (def.namespaced && route.namespace === undefined && (writesOne || verb === 'get')) {
    throw methodNotAllowed('the server does not allow this method on the requested resource');
  }

  const attributes = {
    verb,
    group: def.group,
    version: def.version,
    resource: def.plural,
    subresource: route.subresource,
    namespace,
    name: route.name,
  };
  if (!(await deps.authorize(ctx.user, attributes))) throw forbiddenRequest(ctx.user.username, attributes);

  if (route.subresource && !STORAGE_SUBRESOURCES.has(route.subresource)) {
    const handler = deps.subresources.find(def.group, def.plural, route.subresource);
    const known = def.subresources.some((s) => s.name === route.subresource);
    if (!handler?.handle) {
      throw new ApiError(
        404,
        'NotFound',
        known
          ? `${route.subresource} is not available yet`
          : 'the server could not find the requested resource',
      );
    }
    await handler.handle(
      {
        req,
        user: ctx.user,
        definition: def,
        namespace,
        name: route.name ?? '',
        subresource: route.subresource,
        rest: route.rest ?? '',
        query,
        objectApi: deps.storage,
        readObject: async () =>
          decodeObjectBody(await readBody(req), req.headers['content-type'], deps.decodeProtobuf),
      },
      res,
    );
    return;
  }

  const mainVerbs = new Set(def.verbs);
  if (!route.subresource && !mainVerbs.has(verb)) {
    throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  }
  if (route.subresource && route.name === undefined) {
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  }

  const representation = negotiateRepresentation(req.headers.accept);
  const now = deps.now();

  switch (verb) {
    case 'get': {
      const obj = deps.storage.get(gvr, namespace, route.name ?? '', route.subresource);
      if (representation.as === 'Table') {
        const includeObject = parseIncludeObject(query.get('includeObject'));
        const table = buildTable(
          route.subresource === 'scale' ? scaleTableDefinition(def) : def,
          [obj],
          { resourceVersion: obj.metadata.resourceVersion },
          { version: representation.version, includeObject, now },
        );
        sendJson(res, 200, table, {}, ctx.warnings);
      } else if (representation.as === 'PartialObjectMetadata') {
        sendJson(res, 200, partialObjectMetadata(obj, representation.version), {}, ctx.warnings);
      } else {
        sendJson(res, 200, obj, {}, ctx.warnings);
      }
      return;
    }
    case 'list': {
      const list = deps.storage.list(gvr, listOptions(ctx));
      if (representation.as === 'Table') {
        const includeObject = parseIncludeObject(query.get('includeObject'));
        sendJson(
          res,
          200,
          buildTable(def, list.items, list.metadata, { version: representation.version, includeObject, now }),
          {},
          ctx.warnings,
        );
      } else if (representation.as === 'PartialObjectMetadata') {
        sendJson(res, 200, partialObjectMetadataList(list, representation.version), {}, ctx.warnings);
      } else {
        sendJson(res, 200, list, {}, ctx.warnings);
      }
      return;
    }
    case 'watch': {
      const options = listOptions(ctx);
      if (route.name)
        options.fieldSelector = [`metadata.name=${route.name}`, options.fieldSelector]
          .filter(Boolean)
          .join(',');
      streamWatch(ctx, deps, gvr, {
        ...options,
        allowWatchBookmarks: boolParam(query, 'allowWatchBookmarks'),
        sendInitialEvents: boolParam(query, 'sendInitialEvents'),
        timeoutSeconds: intParam(query, 'timeoutSeconds') ?? deps.defaultWatchTimeoutSeconds,
        representation,
        includeObject:
          representation.as === 'Table' ? parseIncludeObject(query.get('includeObject')) : 'Metadata',
      });
      return;
    }
    case 'create': {
      const body = decodeObjectBody(await readBody(req), req.headers['content-type'], deps.decodeProtobuf);
      const options = writeOptions(ctx);
      if (route.subresource) {
        body.metadata = {
          ...(isPlainObject(body.metadata) ? body.metadata : {}),
          name: body.metadata?.name || route.name,
        };
        if (body.metadata.name !== route.name) {
          throw badRequest(`name in URL does not match name in ${String(body.kind ?? 'object')}`);
        }
      } else if (route.name !== undefined) {
        throw methodNotAllowed('the server does not allow this method on the requested resource');
      }
      const created = deps.storage.create(gvr, namespace, body, options);
      sendJson(res, 201, created, {}, ctx.warnings);
      return;
    }
    case 'update': {
      const body = decodeObjectBody(await readBody(req), req.headers['content-type'], deps.decodeProtobuf);
      const name = route.name ?? '';
      const bodyName = isPlainObject(body.metadata) ? body.metadata.name : undefined;
      if (route.subresource !== 'scale') deps.storage.checkBodyIdentity(def, body, namespace, name);
      if (bodyName !== undefined && bodyName !== name) {
        throw badRequest(
          `the name of the object (${String(bodyName)}) does not match the name on the URL (${name})`,
        );
      }
      body.metadata = { ...(isPlainObject(body.metadata) ? body.metadata : {}), name };
      const existed = existsNow(deps.storage, gvr, namespace, name);
      const updated = deps.storage.update(gvr, namespace, body, writeOptions(ctx));
      sendJson(res, existed ? 200 : 201, updated, {}, ctx.warnings);
      return;
    }
    case 'patch': {
      const { type, patch } = decodePatchBody(await readBody(req), req.headers['content-type']);
      const name = route.name ?? '';
      const force = query.get('force');
      if (type !== 'apply' && force !== null)
        throw badRequest('force: Forbidden: may not be specified for non-apply patch');
      if (type === 'apply' && !query.get('fieldManager')) {
        throw badRequest(
          'PATCH, application/apply-patch+yaml: fieldManager: Required value: is required for apply patch',
        );
      }
      const existed = type === 'apply' ? existsNow(deps.storage, gvr, namespace, name) : true;
      const options: PatchOptions = { ...writeOptions(ctx), force: force === 'true' };
      const patched = deps.storage.patch(gvr, namespace, name, type, patch, options);
      sendJson(res, existed ? 200 : 201, patched, {}, ctx.warnings);
      return;
    }
    case 'delete': {
      const raw = await readBody(req);
      const body =
        raw.length > 0
          ? decodeObjectBody(raw, req.headers['content-type'] || 'application/json', deps.decodeProtobuf)
          : undefined;
      const name = route.name ?? '';
      // Kubernetes answers 200 whether the object went at once or was only marked (graceful
      // deletion, finalizers); clients tell the two apart by deletionTimestamp.
      const result = deps.storage.delete(gvr, namespace, name, deleteOptions(query, body));
      sendJson(res, 200, result, {}, ctx.warnings);
      return;
    }
    case 'deletecollection': {
      const raw = await readBody(req);
      const body =
        raw.length > 0
          ? decodeObjectBody(raw, req.headers['content-type'] || 'application/json', deps.decodeProtobuf)
          : undefined;
      const list = deps.storage.deleteCollection(gvr, listOptions(ctx), deleteOptions(query, body));
      sendJson(res, 200, list, {}, ctx.warnings);
      return;
    }
    default:
      throw methodNotAllowed('the server does not allow this method on the requested resource');
  }
}

function existsNow(
  storage: ObjectStorage,
  gvr: GroupVersionResource,
  namespace: string | undefined,
  name: string,
): boolean {
  try {
    storage.get(gvr, namespace, name);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.code === 404) return false;
    throw error;
  }
}
