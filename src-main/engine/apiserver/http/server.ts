import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ProfilePki } from '../../profiles/types';
import type { ResourceDefinition } from '../registry/types';
import { forbiddenRequest } from '../rbac/forbidden';
import { ApiError, forbidden, unauthorized } from '../status';
import type { ObjectStorage } from '../storage/object-storage';
import { allowAll, authenticateRequest, impersonate } from './auth';
import type { Authorizer, TokenAuthenticator, UserInfo } from './auth';
import { decodeObjectBody, readBody } from './body';
import type { ProtobufDecoder } from './body';
import {
  aggregatedDiscoveryDocument,
  apiGroupDocument,
  apiGroupListDocument,
  apiResourceListDocument,
  apiVersionsDocument,
} from './discovery';
import { discoveryContentType, negotiateDiscovery } from './negotiation';
import { handleResource } from './resource-handler';
import type { ResourceServerDeps } from './resource-handler';
import { sendError, sendJson, Warnings } from './respond';
import { answerReview, findReviewResource, REVIEW_RESOURCES } from './reviews';
import { parseRoute } from './router';
import type { ResourceRoute, Route } from './router';
import { SubresourceHandlers } from './subresource-handlers';
import { ApiExtensions } from './extensions';
import type { VirtualResource } from './extensions';
import { versionInfo } from './version';
import type { VersionInfo } from './version';

/** An answer for `/openapi/...` paths, or undefined to 404. */
export interface OpenApiAnswer {
  status: number;
  contentType: string;
  body: string | Uint8Array;
  headers: Record<string, string>;
}

export interface ApiHttpServerOptions {
  storage: ObjectStorage;
  pki: ProfilePki;
  host?: string;
  port?: number;
  /**
   * More addresses to serve on, same port (e.g. the Docker network's gateway, where pods
   * reach the API server). An address the host does not have is skipped and logged.
   */
  extraHosts?: string[];
  authenticate?: TokenAuthenticator;
  authorize?: Authorizer;
  decodeProtobuf?: ProtobufDecoder;
  openapi?: (pathname: string, accept: string) => OpenApiAnswer | undefined;
  version?: Partial<VersionInfo>;
  subresources?: SubresourceHandlers;
  extensions?: ApiExtensions;
  log?: (message: string) => void;
  defaultWatchTimeoutSeconds?: number;
}

export interface ApiHttpServer {
  server: Server;
  port: number;
  subresources: SubresourceHandlers;
  extensions: ApiExtensions;
  close(): Promise<void>;
}

/** Paths anyone may read, as Kubernetes' system:public-info-viewer role allows. */
const PUBLIC_PATHS = new Set(['/version', '/version/', '/healthz', '/livez', '/readyz']);

/** Review kinds shown in discovery even though they are not stored. */
const REVIEW_DEFINITIONS: ResourceDefinition[] = REVIEW_RESOURCES.map((r) => ({
  group: r.group,
  version: r.version,
  kind: r.kind,
  listKind: `${r.kind}List`,
  plural: r.plural,
  singular: r.plural.replace(/s$/, ''),
  namespaced: false,
  verbs: ['create'],
  subresources: [],
  hasStatusSubresource: false,
  table: { columns: [], cells: () => [] },
}));

/**
 * Starts the HTTPS API server: TLS with the profile's serving certificate, client
 * certificates checked against the cluster CA, discovery, OpenAPI, every CRUD/watch verb
 * and subresource handlers. Every failure is answered as a Status; an unexpected exception
 * is logged and answered 500 without stopping the server.
 */
export async function startApiHttpServer(options: ApiHttpServerOptions): Promise<ApiHttpServer> {
  const log = options.log ?? ((message: string) => console.error(message));
  const subresources = options.subresources ?? new SubresourceHandlers();
  const extensions = options.extensions ?? new ApiExtensions();
  const authorize = options.authorize ?? allowAll;
  const storage = options.storage;
  const deps: ResourceServerDeps = {
    storage,
    authorize,
    decodeProtobuf: options.decodeProtobuf,
    subresources,
    now: storage.now,
    log,
    defaultWatchTimeoutSeconds: options.defaultWatchTimeoutSeconds ?? 1800,
  };
  const version = versionInfo(options.version);

  const definitions = (): ResourceDefinition[] => {
    const defs = [...storage.resources.all()];
    for (const review of [...REVIEW_DEFINITIONS, ...extensions.definitions()]) {
      if (
        !defs.some(
          (d) => d.group === review.group && d.version === review.version && d.plural === review.plural,
        )
      ) {
        defs.push(review);
      }
    }
    return defs;
  };
  const isNamespaced = (group: string, v: string, plural: string) =>
    (storage.resources.find(group, v, plural) ?? extensions.findResource(group, v, plural)?.definition)
      ?.namespaced;

  const tlsOptions = {
    key: options.pki.serverKeyPem,
    cert: options.pki.serverCertPem,
    ca: options.pki.caCertPem,
    requestCert: true,
    rejectUnauthorized: false,
  };
  const server = createServer(tlsOptions);
  let address = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const warnings = new Warnings();
    try {
      const url = new URL(req.url ?? '/', 'https://localhost');
      const pathname = url.pathname;
      const user = await authenticateRequest(req, options.authenticate);
      if (PUBLIC_PATHS.has(pathname) && req.method === 'GET') {
        if (pathname.startsWith('/version')) sendJson(res, 200, version);
        else sendText(res, 200, 'ok');
        return;
      }
      const pathHandler = extensions.findPath(pathname);
      if (pathHandler?.anonymous) {
        await pathHandler.handle(req, res, user);
        return;
      }
      if (!user) throw unauthorized();
      const effective = await impersonate(req, user, authorize);
      if (!effective) throw impersonationForbidden(user, req);
      if (pathHandler) {
        await pathHandler.handle(req, res, effective);
        return;
      }
      const route = parseRoute(pathname, isNamespaced);
      await dispatch(route, req, res, url, effective, warnings);
    } catch (error) {
      sendError(res, error, log, warnings);
    }
  };

  const dispatch = async (
    route: Route,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    user: UserInfo,
    warnings: Warnings,
  ): Promise<void> => {
    const accept = req.headers.accept;
    const method = req.method ?? 'GET';
    const getOnly = (): void => {
      if (method !== 'GET' && method !== 'HEAD')
        throw new ApiError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
    };
    switch (route.kind) {
      case 'coreVersions':
      case 'groupList': {
        getOnly();
        const format = negotiateDiscovery(accept);
        if (format !== 'legacy') {
          const doc = aggregatedDiscoveryDocument(
            definitions(),
            route.kind === 'coreVersions' ? 'core' : 'groups',
            format,
          );
          sendJson(res, 200, doc, { 'Content-Type': discoveryContentType(format), Vary: 'Accept' });
        } else if (route.kind === 'coreVersions') {
          sendJson(res, 200, apiVersionsDocument(address), { Vary: 'Accept' });
        } else {
          sendJson(res, 200, apiGroupListDocument(definitions()), { Vary: 'Accept' });
        }
        return;
      }
      case 'group': {
        getOnly();
        const doc = apiGroupDocument(definitions(), route.group);
        if (!doc) throw notFoundPath();
        sendJson(res, 200, doc);
        return;
      }
      case 'resourceList': {
        getOnly();
        const doc = apiResourceListDocument(definitions(), route.group, route.version);
        if (!doc) throw notFoundPath();
        sendJson(res, 200, doc);
        return;
      }
      case 'nonResource': {
        getOnly();
        const answer = options.openapi?.(route.path, accept ?? '');
        if (!answer) throw notFoundPath();
        res.writeHead(answer.status, { ...answer.headers, 'Content-Type': answer.contentType });
        res.end(answer.body);
        return;
      }
      case 'resource':
        return dispatchResource(route, req, res, url, user, warnings);
    }
  };

  const dispatchResource = async (
    route: ResourceRoute,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    user: UserInfo,
    warnings: Warnings,
  ): Promise<void> => {
    const review = findReviewResource(route.group, route.version, route.plural);
    if (review && !route.name) {
      if (req.method !== 'POST')
        throw new ApiError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
      const allowed = await authorize(user, {
        verb: 'create',
        group: review.group,
        version: review.version,
        resource: review.plural,
      });
      if (!allowed)
        throw forbidden(user.username, 'create', { resource: review.plural, group: review.group });
      const body = decodeObjectBody(await readBody(req), req.headers['content-type'], options.decodeProtobuf);
      sendJson(res, 201, await answerReview(review.kind, body, user, authorize));
      return;
    }
    const virtual = extensions.findResource(route.group, route.version, route.plural);
    if (virtual && !storage.resources.find(route.group, route.version, route.plural)) {
      await handleVirtual(virtual, route, req, res, url, user);
      return;
    }
    const definition = storage.resources.find(route.group, route.version, route.plural);
    if (!definition) throw notFoundPath();
    await handleResource({ req, res, url, user, warnings, route, definition }, deps);
  };

  const handleVirtual = async (
    virtual: VirtualResource,
    route: ResourceRoute,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    user: UserInfo,
  ): Promise<void> => {
    const def = virtual.definition;
    const namespace = def.namespaced ? route.namespace : undefined;
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const method = req.method ?? 'GET';
    const verb =
      method === 'GET' || method === 'HEAD'
        ? watch
          ? 'watch'
          : route.name
            ? 'get'
            : 'list'
        : method === 'POST'
          ? 'create'
          : method === 'PUT'
            ? 'update'
            : method === 'PATCH'
              ? 'patch'
              : method === 'DELETE'
                ? route.name
                  ? 'delete'
                  : 'deletecollection'
                : method.toLowerCase();
    const attributes = {
      verb,
      group: def.group,
      version: def.version,
      resource: def.plural,
      subresource: route.subresource,
      namespace,
      name: route.name,
    };
    if (!(await authorize(user, attributes))) {
      throw forbidden(
        user.username,
        verb,
        { resource: def.plural, group: def.group, name: route.name },
        namespace,
      );
    }
    if (!route.subresource && !def.verbs.includes(verb)) {
      throw new ApiError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
    }
    await virtual.handle(
      {
        req,
        user,
        verb,
        namespace,
        name: route.name,
        subresource: route.subresource,
        query: url.searchParams,
      },
      res,
    );
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res);
  });

  // Upgraded connections (exec, attach, port-forward) leave the HTTP server's bookkeeping;
  // they are tracked here so close() can end them.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    void handleUpgrade(req, socket, head).catch((error: unknown) => {
      const status = error instanceof ApiError ? error : new ApiError(500, 'InternalError', String(error));
      if (!(error instanceof ApiError)) log(`apiserver: upgrade failed: ${String(error)}`);
      writeRawStatus(socket, status);
    });
  });

  const handleUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const authenticated = await authenticateRequest(req, options.authenticate);
    if (!authenticated) throw unauthorized();
    const user = await impersonate(req, authenticated, authorize);
    if (!user) throw impersonationForbidden(authenticated, req);
    const route = parseRoute(url.pathname, isNamespaced);
    if (route.kind !== 'resource' || !route.name || !route.subresource) throw notFoundPath();
    const definition = storage.resources.find(route.group, route.version, route.plural);
    const handler = definition && subresources.find(definition.group, definition.plural, route.subresource);
    if (!definition || !handler?.upgrade) throw notFoundPath();
    const namespace = definition.namespaced ? route.namespace : undefined;
    const verb = req.method === 'GET' ? 'get' : 'create';
    const attributes = {
      verb,
      group: definition.group,
      version: definition.version,
      resource: definition.plural,
      subresource: route.subresource,
      namespace,
      name: route.name,
    };
    if (!(await authorize(user, attributes))) throw forbiddenRequest(user.username, attributes);
    await handler.upgrade(
      {
        req,
        user,
        definition,
        namespace,
        name: route.name,
        subresource: route.subresource,
        rest: route.rest ?? '',
        query: url.searchParams,
        objectApi: storage,
        readObject: async () =>
          decodeObjectBody(await readBody(req), req.headers['content-type'], options.decodeProtobuf),
      },
      socket,
      head,
    );
  };

  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    else socket.destroy();
  });
  server.on('tlsClientError', () => {
    // A client that fails the handshake (e.g. distrusts our CA) just goes away.
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  address = `${options.host ?? '127.0.0.1'}:${port}`;
  const extraServers = await listenOnExtraHosts(
    server,
    tlsOptions,
    options.extraHosts ?? [],
    port,
    options.log,
  );

  return {
    server,
    port,
    subresources,
    extensions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const extra of extraServers) {
          extra.close();
          extra.closeAllConnections();
        }
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
      }),
  };
}

function impersonationForbidden(user: UserInfo, req: IncomingMessage): ApiError {
  const target = req.headers['impersonate-user'] ?? '';
  return new ApiError(
    403,
    'Forbidden',
    `users "${String(target)}" is forbidden: User "${user.username}" cannot impersonate resource "users" in API group "" at the cluster scope`,
  );
}

function notFoundPath(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Answers an upgrade request that failed with a plain HTTP Status response. */
function writeRawStatus(socket: Duplex, error: ApiError): void {
  if (!socket.writable) return;
  const body = JSON.stringify(error.toStatus());
  socket.end(
    `HTTP/1.1 ${error.code} ${error.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Serves the same handlers on more addresses. A second server per address shares every
 * listener of the first, so requests are handled identically wherever they arrive.
 */
async function listenOnExtraHosts(
  primary: Server,
  tlsOptions: Parameters<typeof createServer>[0],
  hosts: string[],
  port: number,
  log?: (message: string) => void,
): Promise<Server[]> {
  const servers: Server[] = [];
  for (const host of hosts) {
    const extra = createServer(tlsOptions);
    for (const event of ['request', 'upgrade', 'clientError', 'tlsClientError'] as const) {
      for (const listener of primary.listeners(event))
        extra.on(event, listener as (...args: unknown[]) => void);
    }
    try {
      await new Promise<void>((resolve, reject) => {
        extra.once('error', reject);
        extra.listen(port, host, () => {
          extra.off('error', reject);
          resolve();
        });
      });
      servers.push(extra);
    } catch (error) {
      log?.(
        `API server: not serving on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return servers;
}
