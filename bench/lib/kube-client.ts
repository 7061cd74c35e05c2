import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';

/** A response of the API server: status code and the parsed JSON body (undefined if not JSON). */
export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
  /** Bytes of the body as received. */
  bytes: number;
}

/** A running watch; `close` ends the connection. */
export interface WatchHandle {
  close(): void;
  /** Resolves once the server has answered the watch request (headers received). */
  opened: Promise<void>;
}

export interface KubeEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string } } & Record<string, unknown>;
}

/**
 * A minimal HTTPS client for the profile's API server with the admin client certificate: one
 * keep-alive connection pool per instance, so several instances act as independent clients.
 */
export class KubeClient {
  private readonly agent: Agent;

  constructor(
    readonly server: { host: string; port: number },
    private readonly tls: { ca: Buffer; cert: Buffer; key: Buffer },
    maxSockets = 8,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets, ca: tls.ca, cert: tls.cert, key: tls.key });
  }

  /** A client for profile `name` under `home`, from the profile's PKI folder and port. */
  static forProfile(home: string, name: string, port: number, maxSockets = 8): KubeClient {
    const pki = join(home, 'profiles', name, 'pki');
    return new KubeClient(
      { host: '127.0.0.1', port },
      {
        ca: readFileSync(join(pki, 'ca.crt')),
        cert: readFileSync(join(pki, 'admin.crt')),
        key: readFileSync(join(pki, 'admin.key')),
      },
      maxSockets,
    );
  }

  /** Sends one request; JSON bodies are serialized, JSON answers parsed. Never throws on a status. */
  request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<KubeResponse<T>> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.server.host,
          port: this.server.port,
          method,
          path,
          agent: this.agent,
          headers: {
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
            ...headers,
          },
          timeout: 120_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks);
            let parsed: unknown;
            try {
              parsed = text.length ? JSON.parse(text.toString('utf8')) : undefined;
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T, bytes: text.length });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like `request`, but rejects unless the status is 2xx. */
  async ok<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    const response = await this.request<T>(method, path, body, headers);
    if (response.status < 200 || response.status > 299) {
      throw new Error(`${method} ${path}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body;
  }

  /**
   * Watches `path` (a collection URL; `watch=1` is added) on its own connection and calls
   * `onEvent` for each event line as it arrives.
   */
  watch(path: string, onEvent: (event: KubeEvent) => void, onEnd?: (error?: Error) => void): WatchHandle {
    let opened!: () => void;
    let failed!: (error: Error) => void;
    const openedPromise = new Promise<void>((resolve, reject) => {
      opened = resolve;
      failed = reject;
    });
    openedPromise.catch(() => undefined);
    const separator = path.includes('?') ? '&' : '?';
    const req = request(
      {
        host: this.server.host,
        port: this.server.port,
        method: 'GET',
        path: `${path}${separator}watch=1`,
        // A watch holds its socket for good; it must not take one of the pool's.
        agent: new Agent({ keepAlive: false, ca: this.tls.ca, cert: this.tls.cert, key: this.tls.key }),
        headers: { accept: 'application/json' },
      },
      (res) => {
        if (res.statusCode !== 200) {
          failed(new Error(`watch ${path}: HTTP ${res.statusCode}`));
          res.resume();
          return;
        }
        opened();
        let pending = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          pending += chunk;
          let newline = pending.indexOf('\n');
          while (newline >= 0) {
            const line = pending.slice(0, newline).trim();
            pending = pending.slice(newline + 1);
            if (line) onEvent(JSON.parse(line) as KubeEvent);
            newline = pending.indexOf('\n');
          }
        });
        res.on('end', () => onEnd?.());
        res.on('error', (error) => onEnd?.(error));
      },
    );
    req.on('error', (error) => {
      failed(error);
      onEnd?.(error);
    });
    req.end();
    return { close: () => req.destroy(), opened: openedPromise };
  }

  close(): void {
    this.agent.destroy();
  }
}
