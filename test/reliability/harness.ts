/**
 * Drives a real engine as a user does: the `kubedesk` CLI with a temp KUBEDESK_HOME and
 * KUBECONFIG, the real kubectl, the docker CLI, and raw HTTPS calls with the profile's admin
 * certificate. Every profile made here is deleted (engine, containers, network) by `cleanup`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import type { Agent } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const KUBEDESK = join(ROOT, 'bin/kubedesk.mjs');
export const TEST_IMAGE = process.env.KUBEDESK_TEST_IMAGE ?? 'kubedesk-test/busybox:1';

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function run(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeout?: number; input?: string } = {},
): Promise<Result> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { env: options.env ?? process.env, timeout: options.timeout ?? 170_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, ms: Date.now() - started });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

export const docker = (...args: string[]) => run('docker', args, { timeout: 60_000 });

/** Throws with everything the command printed, so a failure explains itself. */
export function ok(result: Result): string {
  if (result.code !== 0) {
    throw new Error(`exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
  return result.stdout;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One profile under its own temp KUBEDESK_HOME. */
export class TestProfile {
  readonly name: string;
  private constructor(
    readonly home: string,
    readonly kubeconfig: string,
    prefix: string,
    readonly extraEnv: NodeJS.ProcessEnv,
    name?: string,
  ) {
    this.name = name ?? `${prefix}-${randomBytes(3).toString('hex')}`;
  }

  /** A profile named `<prefix>-<random>` (or `name`) in `home` or a new temp home. */
  static async create(
    prefix: string,
    extraEnv: NodeJS.ProcessEnv = {},
    home?: string,
    name?: string,
  ): Promise<TestProfile> {
    const dir = home ?? (await mkdtemp(join(tmpdir(), `kubedesk-${prefix}-`)));
    return new TestProfile(dir, join(dir, 'kube', 'config'), prefix, extraEnv, name);
  }

  get dir(): string {
    return join(this.home, 'profiles', this.name);
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      KUBEDESK_PAUSE_IMAGE: 'kubedesk-test/pause:1',
      KUBEDESK_AGENT_BASE_IMAGE: 'kubedesk-test/node:1',
      ...process.env,
      KUBEDESK_HOME: this.home,
      KUBECONFIG: this.kubeconfig,
      ...this.extraEnv,
      ...extra,
    };
    delete env.KUBEDESK_ENGINE_ENTRY;
    delete env.KUBEDESK_PROFILE;
    return env;
  }

  kubedesk(args: string[], options: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<Result> {
    return run(process.execPath, [KUBEDESK, ...args, '-p', this.name], {
      env: this.env(options.env),
      timeout: options.timeout,
    });
  }

  /** `timeoutMs` bounds the kubectl process: raise it with kubectl's own `--timeout` on waits. */
  kubectl(args: string[], input?: string, timeoutMs = 150_000): Promise<Result> {
    return run('kubectl', ['--request-timeout=30s', ...args], { env: this.env(), timeout: timeoutMs, input });
  }

  async kubectlJson<T = Record<string, unknown>>(args: string[]): Promise<T> {
    return JSON.parse(ok(await this.kubectl([...args, '-o', 'json']))) as T;
  }

  async start(extra: string[] = []): Promise<void> {
    ok(await this.kubedesk(['start', ...extra]));
  }

  async enginePid(): Promise<number | undefined> {
    const text = await readFile(join(this.dir, 'engine.pid'), 'utf8').catch(() => '');
    const pid = Number.parseInt(text.trim(), 10);
    return Number.isFinite(pid) ? pid : undefined;
  }

  /** kill -9 of the engine; resolves once the process is gone. */
  async killEngine(): Promise<void> {
    const pid = await this.enginePid();
    if (pid === undefined) throw new Error('no engine pid');
    process.kill(pid, 'SIGKILL');
    await waitFor('the engine to exit', async () => !alive(pid), 10_000, 50);
  }

  async port(): Promise<number> {
    const config = JSON.parse(await readFile(join(this.dir, 'config.json'), 'utf8')) as {
      apiServerPort: number;
    };
    return config.apiServerPort;
  }

  async engineLog(): Promise<string> {
    return readFile(join(this.dir, 'engine.log'), 'utf8').catch(() => '');
  }

  private pkiCache: { ca: string; cert: string; key: string } | undefined;

  async pki(): Promise<{ ca: string; cert: string; key: string }> {
    if (!this.pkiCache) {
      const [ca, cert, key] = await Promise.all(
        ['ca.crt', 'admin.crt', 'admin.key'].map((f) => readFile(join(this.dir, 'pki', f), 'utf8')),
      );
      this.pkiCache = { ca, cert, key };
    }
    return this.pkiCache;
  }

  /** An HTTPS call to the API server; the admin client certificate unless `anonymous`. */
  async call(
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string> = {},
    options: { anonymous?: boolean; host?: string; timeoutMs?: number } = {},
  ): Promise<HttpAnswer> {
    const pki = await this.pki();
    const port = await this.port();
    return httpsCall({
      host: options.host ?? '127.0.0.1',
      port,
      method,
      path,
      body,
      headers,
      ca: pki.ca,
      ...(options.anonymous ? {} : { cert: pki.cert, key: pki.key }),
      timeoutMs: options.timeoutMs,
    });
  }

  /** Deletes the profile (engine, containers, network, files) and its temp home. */
  async cleanup(): Promise<void> {
    await this.kubedesk(['delete'], { timeout: 120_000 });
    const pid = await this.enginePid();
    if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGKILL');
    const leftovers = await docker('ps', '-aq', '--filter', `label=io.kubedesk.profile=${this.name}`);
    const ids = leftovers.stdout.split('\n').filter(Boolean);
    if (ids.length) await docker('rm', '-f', ...ids);
    await rm(this.home, { recursive: true, force: true });
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function httpsCall(options: {
  host: string;
  port: number;
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  ca: string;
  cert?: string;
  key?: string;
  timeoutMs?: number;
  agent?: Agent;
}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: options.host,
        port: options.port,
        method: options.method,
        path: options.path,
        ca: options.ca,
        cert: options.cert,
        key: options.key,
        agent: options.agent,
        // The serving certificate's names are checked elsewhere; here only who may talk matters.
        checkServerIdentity: () => undefined,
        headers: {
          ...(options.body !== undefined
            ? { 'content-length': String(Buffer.byteLength(options.body)) }
            : {}),
          ...options.headers,
        },
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${options.method} ${options.path} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Container ids of a profile's pods, by `namespace/pod/container`, from the Docker labels. */
export async function podContainers(profile: string): Promise<Map<string, string>> {
  const out = ok(
    await docker(
      'ps',
      '--filter',
      `label=io.kubedesk.profile=${profile}`,
      '--filter',
      'label=io.kubedesk.container',
      '--format',
      '{{.ID}} {{.Label "io.kubedesk.pod-namespace"}}/{{.Label "io.kubedesk.pod-name"}}/{{.Label "io.kubedesk.container"}}',
    ),
  );
  const map = new Map<string, string>();
  for (const line of out.split('\n').filter(Boolean)) {
    const [id, key] = line.split(' ');
    if (id && key) map.set(key, id);
  }
  return map;
}

export interface WatchEventLine {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string }; code?: number };
}

/** A watch over HTTPS: collects events until stopped or the connection ends. */
export async function openWatch(
  profile: TestProfile,
  path: string,
): Promise<{ events: WatchEventLine[]; ended: Promise<void>; stop(): void }> {
  const pki = await profile.pki();
  const port = await profile.port();
  const events: WatchEventLine[] = [];
  let stop = () => undefined as void;
  const ended = new Promise<void>((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'GET', ca: pki.ca, cert: pki.cert, key: pki.key },
      (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let nl;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (line) events.push(JSON.parse(line) as WatchEventLine);
          }
        });
        res.on('end', resolve);
        res.on('error', () => resolve());
        res.on('close', resolve);
      },
    );
    req.on('error', () => resolve());
    req.end();
    stop = () => {
      req.destroy();
      resolve();
    };
  });
  return { events, ended, stop: () => stop() };
}
