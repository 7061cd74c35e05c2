import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../k8s-object';
import type { ObjectApi } from '../object-api';
import type { ResourceDefinition } from '../registry/types';
import type { UserInfo } from './auth';

/** Everything a subresource handler needs about the request it serves. */
export interface SubresourceRequest {
  req: IncomingMessage;
  user: UserInfo;
  definition: ResourceDefinition;
  namespace: string | undefined;
  name: string;
  subresource: string;
  /** Path segments after the subresource (e.g. `proxy/<path>`), joined with "/". */
  rest: string;
  query: URLSearchParams;
  objectApi: ObjectApi;
  /**
   * Reads and decodes the request body as an object (JSON, YAML or Kubernetes protobuf,
   * 3 MiB limit); throws ApiError 400/413/415 like every other endpoint.
   */
  readObject(): Promise<KubeObject>;
}

/**
 * A handler for a streaming or proxying subresource (log, exec, attach, portforward,
 * proxy). `handle` serves plain HTTP; `upgrade` serves WebSocket/SPDY upgrade requests and
 * owns the socket from then on. Errors thrown before anything was written are answered as
 * Status by the server.
 */
export interface SubresourceHandler {
  handle?(request: SubresourceRequest, res: ServerResponse): void | Promise<void>;
  upgrade?(request: SubresourceRequest, socket: Duplex, head: Buffer): void | Promise<void>;
}

/** Registers a handler for `<plural>/<subresource>` in `group` ("" for core). */
export type RegisterSubresourceHandler = (
  group: string,
  plural: string,
  subresource: string,
  handler: SubresourceHandler,
) => void;

export class SubresourceHandlers {
  private readonly handlers = new Map<string, SubresourceHandler>();

  register: RegisterSubresourceHandler = (group, plural, subresource, handler) => {
    this.handlers.set(`${group}/${plural}/${subresource}`, handler);
  };

  find(group: string, plural: string, subresource: string): SubresourceHandler | undefined {
    return this.handlers.get(`${group}/${plural}/${subresource}`);
  }
}
