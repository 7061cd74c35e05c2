import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planFor } from '../../src-main/engine/network/network-plan';
import { KubeClient } from './kube-client';

/** The checkout the benchmarks run in. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO_ROOT, 'bin', 'kubedesk.mjs');

/** The outcome of a child process. */
export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in ms. */
  ms: number;
}

/** Runs a command to completion, feeding `input` to its stdin. */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {},
): Promise<ProcessResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd ?? REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
    child.stdin.end(options.input ?? '');
  });
}

/** Like `run`, but rejects with the command's output unless it exits 0. */
export async function runOk(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<ProcessResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
  return result;
}

/** A private KUBEDESK_HOME and KUBECONFIG, so benchmarks never touch the user's clusters. */
export class BenchHome {
  readonly dir = mkdtempSync(join(tmpdir(), 'kubedesk-bench-'));
  readonly home = join(this.dir, 'home');
  readonly kubeconfig = join(this.dir, 'kubeconfig');
  readonly env: NodeJS.ProcessEnv = {
    ...process.env,
    KUBEDESK_HOME: this.home,
    KUBECONFIG: this.kubeconfig,
  };

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One benchmark profile, driven through the real `kubedesk` command. */
export class BenchProfile {
  constructor(
    readonly where: BenchHome,
    readonly name: string,
  ) {}

  private cli(args: string[]): Promise<ProcessResult> {
    return run(process.execPath, [CLI, ...args, '-p', this.name], { env: this.where.env });
  }

  /** `kubedesk start`; rejects with its output when it fails. */
  async start(): Promise<ProcessResult> {
    const result = await this.cli(['start']);
    if (result.code !== 0) throw new Error(`kubedesk start failed:\n${result.stdout}${result.stderr}`);
    return result;
  }

  /** Spawns `kubedesk start` without waiting, for timing phases while it runs. */
  startAsync(): Promise<ProcessResult> {
    return this.cli(['start']);
  }

  async stop(): Promise<void> {
    await this.cli(['stop']);
  }

  async delete(): Promise<void> {
    await this.cli(['delete']);
  }

  private get dir(): string {
    return join(this.where.home, 'profiles', this.name);
  }

  private readJson<T>(file: string): T | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  /** The API server port, once the profile exists. */
  port(): number | undefined {
    return this.readJson<{ apiServerPort?: number }>('config.json')?.apiServerPort;
  }

  /** The engine's pid while it serves. */
  enginePid(): number | undefined {
    return this.readJson<{ pid?: number }>('engine.json')?.pid;
  }

  /** The address pods use as their DNS server (the network agent), once the network exists. */
  dnsServer(): string | undefined {
    const subnet = this.readJson<{ subnet?: string }>('network.json')?.subnet;
    const octet = subnet && /^10\.(\d+)\.0\.0\/16$/.exec(subnet)?.[1];
    return octet ? planFor(this.name, Number(octet)).agentIp : undefined;
  }

  /** The profile's Docker network. */
  get network(): string {
    return `kubedesk-${this.name}`;
  }

  client(maxSockets = 8): KubeClient {
    const port = this.port();
    if (!port) throw new Error(`profile ${this.name} has no API server port yet`);
    return KubeClient.forProfile(this.where.home, this.name, port, maxSockets);
  }

  /** Runs the real kubectl against this profile. */
  kubectl(args: string[], input?: string): Promise<ProcessResult> {
    return run('kubectl', ['--context', this.name, ...args], { env: this.where.env, input });
  }
}

/** Polls `probe` every `intervalMs` until it answers true; rejects after `timeoutMs`. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean> | boolean,
  timeoutMs: number,
  intervalMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Milliseconds since `start` (a performance.now() reading). */
export function since(start: number): number {
  return performance.now() - start;
}
