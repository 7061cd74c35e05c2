import { request } from 'node:https';
import type { GroupVersionResource } from '../apiserver/registry/types';
import { ApiError } from '../apiserver/status';
import type { KubeObject } from '../k8s-object';
import { isPlainObject } from '../k8s-object';
import type { ApiEndpoint } from '../profiles/api-probe';
import type { ClusterClient } from './cluster-client';
import { FIELD_MANAGER } from './cluster-client';

/** The REST path of a collection or object, as Kubernetes lays them out. */
export function resourcePath(
  gvr: GroupVersionResource,
  namespace: string | undefined,
  name?: string,
): string {
  const base = gvr.group ? `/apis/${gvr.group}/${gvr.version}` : `/api/${gvr.version}`;
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${gvr.resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

/**
 * A ClusterClient that talks to a running engine's API server over HTTPS as the profile's admin
 * (client certificate, server verified against the profile CA). Failures throw ApiError with
 * the server's Status, or a plain Error when no answer came.
 */
export function httpClusterClient(endpoint: ApiEndpoint, timeoutMs = 15_000): ClusterClient {
  const call = (method: string, path: string, body?: unknown, contentType = 'application/json') =>
    send(endpoint, method, path, body, contentType, timeoutMs);
  const manager = `fieldManager=${FIELD_MANAGER}`;
  return {
    get: async (gvr, namespace, name) => {
      try {
        return asObject(await call('GET', resourcePath(gvr, namespace, name)));
      } catch (error) {
        if (error instanceof ApiError && error.code === 404) return undefined;
        throw error;
      }
    },
    create: async (gvr, namespace, obj) =>
      asObject(await call('POST', `${resourcePath(gvr, namespace)}?${manager}`, obj)),
    mergePatch: async (gvr, namespace, name, patch) =>
      asObject(
        await call(
          'PATCH',
          `${resourcePath(gvr, namespace, name)}?${manager}`,
          patch,
          'application/merge-patch+json',
        ),
      ),
    delete: async (gvr, namespace, name, options) => {
      try {
        await call(
          'DELETE',
          resourcePath(gvr, namespace, name),
          options?.propagationPolicy
            ? { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: options.propagationPolicy }
            : undefined,
        );
      } catch (error) {
        if (error instanceof ApiError && error.code === 404) return;
        throw error;
      }
    },
  };
}

function asObject(value: unknown): KubeObject {
  if (isPlainObject(value) && isPlainObject(value.metadata)) return value as KubeObject;
  throw new Error('the API server answered with something that is not an object');
}

function send(
  endpoint: ApiEndpoint,
  method: string,
  path: string,
  body: unknown,
  contentType: string,
  timeoutMs: number,
): Promise<unknown> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: endpoint.port,
        path,
        method,
        ca: endpoint.caCertPem,
        cert: endpoint.clientCertPem,
        key: endpoint.clientKeyPem,
        headers: {
          Accept: 'application/json',
          ...(payload ? { 'Content-Type': contentType, 'Content-Length': payload.length } : {}),
        },
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(parsed);
          const statusObject = isPlainObject(parsed) ? parsed : {};
          reject(
            new ApiError(
              status,
              typeof statusObject.reason === 'string' ? statusObject.reason : 'Unknown',
              typeof statusObject.message === 'string'
                ? statusObject.message
                : `HTTP ${status} ${text.slice(0, 200)}`,
            ),
          );
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer from the API server within ${timeoutMs / 1000}s`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}
