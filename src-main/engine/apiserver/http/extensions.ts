import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceDefinition } from '../registry/types';
import type { UserInfo } from './auth';

/** A request for a resource served by code instead of storage (e.g. metrics.k8s.io). */
export interface VirtualResourceRequest {
  req: IncomingMessage;
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection */
  verb: string;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
  query: URLSearchParams;
}

/**
 * A resource that appears in discovery like any other but whose requests go to `handle`
 * (which answers with sendJson/sendError, or throws ApiError before writing).
 */
export interface VirtualResource {
  definition: ResourceDefinition;
  handle(request: VirtualResourceRequest, res: ServerResponse): void | Promise<void>;
}

/** A handler for a non-resource path such as `/openid/v1/jwks` or `/metrics`. */
export interface PathHandler {
  /** Serve requests without credentials too (as `/version` is). */
  anonymous?: boolean;
  handle(req: IncomingMessage, res: ServerResponse, user: UserInfo | undefined): void | Promise<void>;
}

/** Code-served resources and paths that other engine parts add to the API server. */
export class ApiExtensions {
  private readonly resources = new Map<string, VirtualResource>();
  private readonly paths = new Map<string, PathHandler>();

  /** Adds (or replaces) a code-served resource; it shows in discovery from then on. */
  registerVirtualResource = (resource: VirtualResource): void => {
    const d = resource.definition;
    this.resources.set(`${d.group}/${d.version}/${d.plural}`, resource);
  };

  /** Serves the exact path `path` (no trailing slash) with `handler`. */
  registerPathHandler = (path: string, handler: PathHandler): void => {
    this.paths.set(path.replace(/\/+$/, '') || '/', handler);
  };

  findResource(group: string, version: string, plural: string): VirtualResource | undefined {
    return this.resources.get(`${group}/${version}/${plural}`);
  }

  findPath(pathname: string): PathHandler | undefined {
    return this.paths.get(pathname.replace(/\/+$/, '') || '/');
  }

  definitions(): ResourceDefinition[] {
    return [...this.resources.values()].map((r) => r.definition);
  }
}
