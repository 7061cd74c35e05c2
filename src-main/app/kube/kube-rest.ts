import type { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import { errorFromStatus, kubedeskError } from '../../ipc/errors';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RestRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  /** Content type of the body; JSON by default (patches name their own). */
  contentType?: string;
  timeoutMs?: number;
}

/** A watch in progress: `stop()` ends it without an error. */
export interface WatchHandle {
  stop(): void;
}

export interface WatchCallbacks {
  onEvent(type: string, object: unknown): void;
  /** Called once when the stream ends; `error` is absent when it ended cleanly or was stopped. */
  onEnd(error?: Error): void;
}

/**
 * HTTP access to one cluster's API server with the credentials of a kubeconfig context. The
 * authentication (certificates, tokens, exec plugins) is applied by @kubernetes/client-node's
 * `KubeConfig`; non-2xx answers are thrown as typed errors built from their `Status`.
 */
export class KubeRest {
  constructor(private readonly config: KubeConfig) {}

  /** The API server URL of the context. */
  get server(): string {
    const cluster = this.config.getCurrentCluster();
    if (!cluster)
      throw kubedeskError('BadRequest', `context "${this.config.getCurrentContext()}" has no cluster`);
    return cluster.server;
  }

  /** Sends one request and resolves with the parsed JSON answer. */
  async request<T = unknown>(req: RestRequest): Promise<T> {
    const { response, body } = await this.send(req);
    const text = body.toString('utf8');
    const parsed = parseJson(text);
    const code = response.statusCode ?? 0;
    if (code < 200 || code >= 300) throw errorFromStatus(parsed ?? text, code);
    return parsed as T;
  }

  /** Streams watch events of `path` (a collection path) until stopped or the server closes it. */
  async watch(path: string, query: Query, callbacks: WatchCallbacks): Promise<WatchHandle> {
    const url = this.url(path, { ...query, watch: true, allowWatchBookmarks: true });
    const options = await this.options('GET');
    let stopped = false;
    let ended = false;
    const end = (error?: Error) => {
      if (ended) return;
      ended = true;
      callbacks.onEnd(stopped ? undefined : error);
    };
    const request = transport(url).request(url, options, (response) => {
      const code = response.statusCode ?? 0;
      if (code < 200 || code >= 300) {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          end(errorFromStatus(parseJson(text) ?? text, code));
        });
        return;
      }
      let partial = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.trim()) continue;
          const event = parseJson(line) as { type?: string; object?: unknown } | undefined;
          if (!event?.type) continue;
          if (event.type === 'ERROR') {
            const status = event.object as { code?: number } | undefined;
            end(errorFromStatus(status, status?.code ?? 500));
            request.destroy();
            return;
          }
          callbacks.onEvent(event.type, event.object);
        }
      });
      response.on('end', () => end());
      response.on('error', (err) => end(err));
    });
    request.on('error', (err) => end(connectionError(err, this.safeServer())));
    request.end();
    return {
      stop: () => {
        stopped = true;
        request.destroy();
        end();
      },
    };
  }

  private safeServer(): string {
    try {
      return this.server;
    } catch {
      return 'the API server';
    }
  }

  private url(path: string, query: Query = {}): URL {
    const url = new URL(this.server.replace(/\/+$/, '') + path);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    return url;
  }

  private async options(method: string, contentType?: string): Promise<https.RequestOptions> {
    const options: https.RequestOptions = { method, headers: { Accept: 'application/json' } };
    await this.config.applyToHTTPSOptions(options);
    if (contentType) options.headers = { ...options.headers, 'Content-Type': contentType };
    return options;
  }

  private async send(req: RestRequest): Promise<{ response: http.IncomingMessage; body: Buffer }> {
    const url = this.url(req.path, req.query);
    const method = req.method ?? 'GET';
    const payload =
      req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    const options = await this.options(
      method,
      payload !== undefined ? (req.contentType ?? 'application/json') : undefined,
    );
    options.timeout = req.timeoutMs ?? 30_000;
    // A sized body rather than a chunked one: some servers refuse chunked DELETE bodies.
    if (payload !== undefined)
      options.headers = { ...options.headers, 'Content-Length': Buffer.byteLength(payload) };
    const server = this.safeServer();
    return new Promise((resolve, reject) => {
      const request = transport(url).request(url, options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ response, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      request.on('timeout', () => {
        request.destroy(kubedeskError('Timeout', `${server} did not answer within ${options.timeout} ms`));
      });
      request.on('error', (err) => reject(connectionError(err, server)));
      if (payload !== undefined) request.write(payload);
      request.end();
    });
  }
}

function transport(url: URL): typeof https | typeof http {
  return url.protocol === 'http:' ? http : https;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function connectionError(err: Error, server: string): Error {
  if ('kind' in err) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND') {
    return kubedeskError('Unavailable', `cannot reach ${server}: ${err.message}`);
  }
  return kubedeskError('Unavailable', `request to ${server} failed: ${err.message}`);
}
