import https from 'node:https';
import type { IncomingMessage } from 'node:http';

/** How the agent reaches the API server: candidate hosts tried in turn, mTLS material. */
export interface ApiConnection {
  hosts: string[];
  port: number;
  caPem: string;
  certPem: string;
  keyPem: string;
  /** The name the serving certificate is checked against (the hosts are bare IPs). */
  serverName: string;
}

export interface WatchHandlers<T> {
  /** The full state after a (re)list. */
  reset(items: T[]): void;
  put(item: T): void;
  remove(item: T): void;
}

interface ListBody<T> {
  metadata?: { resourceVersion?: string };
  items?: T[];
}

interface WatchLine<T> {
  type: string;
  object: T & { metadata?: { resourceVersion?: string }; code?: number };
}

const RETRY_MS = 500;
const MAX_RETRY_MS = 5000;
/** While the API server stays away (engine stopped), one log line per this many failures. */
const LOG_EVERY = 60;
/** Ask the server to end a watch before idle proxies would, then resume from the last revision. */
const WATCH_TIMEOUT_SECONDS = 300;

/**
 * Keeps `handlers` in step with one collection, like an informer: list, then watch from the
 * list's resourceVersion; a dropped watch resumes where it stopped, an expired one (410)
 * re-lists. Never gives up; `stop()` ends it.
 */
export class ListWatch<T> {
  private stopped = false;
  private current: IncomingMessage | undefined;
  private hostIndex = 0;
  private synced = false;
  private failures = 0;
  private address: string | undefined;

  constructor(
    private readonly api: ApiConnection,
    private readonly path: string,
    private readonly handlers: WatchHandlers<T>,
    private readonly log: (message: string) => void,
  ) {}

  /** Resolves after the first successful list. */
  start(): Promise<void> {
    return new Promise((resolve) => {
      void this.loop(resolve);
    });
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** The IP the API server last answered from (how containers on this network reach it). */
  apiAddress(): string | undefined {
    return this.address;
  }

  stop(): void {
    this.stopped = true;
    this.current?.destroy();
  }

  private async loop(onSynced: () => void): Promise<void> {
    let revision: string | undefined;
    while (!this.stopped) {
      try {
        if (revision === undefined) {
          const list = (await this.getJson(this.path)) as ListBody<T>;
          this.handlers.reset(list.items ?? []);
          if (this.failures > 0) this.log(`watch ${this.path}: connected again`);
          this.failures = 0;
          revision = list.metadata?.resourceVersion ?? '0';
          if (!this.synced) {
            this.synced = true;
            onSynced();
          }
        }
        revision = await this.watch(revision);
      } catch (error) {
        if (this.stopped) return;
        if (error instanceof GoneError) revision = undefined;
        else {
          this.failures++;
          if (this.failures === 1 || this.failures % LOG_EVERY === 0) {
            const message = error instanceof Error ? error.message : String(error);
            this.log(`watch ${this.path}: ${message} (failure ${this.failures}, retrying)`);
          }
          this.hostIndex = (this.hostIndex + 1) % this.api.hosts.length;
          const delay = Math.min(RETRY_MS * 2 ** Math.min(this.failures - 1, 10), MAX_RETRY_MS);
          await new Promise((r) => setTimeout(r, delay));
        }
      }
    }
  }

  /** Streams events until the server closes the watch; answers the last revision seen. */
  private watch(revision: string): Promise<string> {
    const query = `watch=1&allowWatchBookmarks=true&timeoutSeconds=${WATCH_TIMEOUT_SECONDS}&resourceVersion=${encodeURIComponent(revision)}`;
    return new Promise((resolve, reject) => {
      let last = revision;
      let buffered = '';
      const request = this.request(`${this.path}?${query}`, (response) => {
        if (response.statusCode === 410) {
          response.resume();
          reject(new GoneError());
          return;
        }
        if (response.statusCode !== 200) {
          response.resume();
          reject(new Error(`watch answered ${response.statusCode}`));
          return;
        }
        this.current = response;
        this.failures = 0;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffered += chunk;
          let newline = buffered.indexOf('\n');
          while (newline >= 0) {
            const line = buffered.slice(0, newline).trim();
            buffered = buffered.slice(newline + 1);
            newline = buffered.indexOf('\n');
            if (!line) continue;
            const event = JSON.parse(line) as WatchLine<T>;
            if (event.type === 'ERROR') {
              response.destroy();
              reject(event.object.code === 410 ? new GoneError() : new Error(JSON.stringify(event.object)));
              return;
            }
            last = event.object.metadata?.resourceVersion ?? last;
            if (event.type === 'ADDED' || event.type === 'MODIFIED') this.handlers.put(event.object);
            else if (event.type === 'DELETED') this.handlers.remove(event.object);
          }
        });
        response.on('end', () => resolve(last));
        response.on('close', () => resolve(last));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end();
    });
  }

  private getJson(path: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const request = this.request(path, (response) => {
        this.address = response.socket.remoteAddress?.replace(/^::ffff:/, '') ?? this.address;
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          if (response.statusCode !== 200)
            reject(new Error(`GET ${path} answered ${response.statusCode}: ${body}`));
          else {
            try {
              resolve(JSON.parse(body));
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          }
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.setTimeout(10_000, () => request.destroy(new Error('request timed out')));
      request.end();
    });
  }

  private request(path: string, onResponse: (response: IncomingMessage) => void) {
    return https.request(
      {
        host: this.api.hosts[this.hostIndex],
        port: this.api.port,
        path,
        method: 'GET',
        ca: this.api.caPem,
        cert: this.api.certPem,
        key: this.api.keyPem,
        servername: this.api.serverName,
        headers: { Accept: 'application/json', 'User-Agent': 'kubedesk-network-agent' },
      },
      onResponse,
    );
  }
}

class GoneError extends Error {
  constructor() {
    super('resource version expired');
  }
}
