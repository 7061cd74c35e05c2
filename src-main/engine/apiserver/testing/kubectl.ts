import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProfilePki } from '../../profiles/types';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** Which binary: "kubectl" (default) or e.g. "/usr/lib/google-cloud-sdk/bin/kubectl.1.27". */
  binary?: string;
  /** Written to stdin (for `apply -f -`). */
  input?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** The kubectl binaries of other minor versions found on test machines. */
export const KUBECTL_VERSIONS: Record<string, string> = Object.fromEntries(
  ['27', '28', '29', '30', '31', '32', '33'].map((m) => [
    `1.${m}`,
    `/usr/lib/google-cloud-sdk/bin/kubectl.1.${m}`,
  ]),
);

/**
 * Writes a kubeconfig as minikube does: cluster CA and client certificate as file paths,
 * context `kubedesk` with namespace default. Returns its path.
 */
export async function writeTestKubeconfig(
  dir: string,
  port: number,
  pki: ProfilePki,
  user = { cert: pki.adminCertPem, key: pki.adminKeyPem },
): Promise<string> {
  const ca = join(dir, 'ca.crt');
  const cert = join(dir, 'client.crt');
  const key = join(dir, 'client.key');
  await writeFile(ca, pki.caCertPem);
  await writeFile(cert, user.cert);
  await writeFile(key, user.key, { mode: 0o600 });
  const path = join(dir, 'kubeconfig');
  await writeFile(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: kubedesk',
      '  cluster:',
      `    certificate-authority: ${ca}`,
      `    server: https://127.0.0.1:${port}`,
      'contexts:',
      '- name: kubedesk',
      '  context:',
      '    cluster: kubedesk',
      '    user: kubedesk',
      '    namespace: default',
      'current-context: kubedesk',
      'users:',
      '- name: kubedesk',
      '  user:',
      `    client-certificate: ${cert}`,
      `    client-key: ${key}`,
      '',
    ].join('\n'),
  );
  return path;
}

/** Runs kubectl against `kubeconfig` with an isolated HOME (its own discovery cache). */
export function runKubectl(
  kubeconfig: string,
  home: string,
  args: string[],
  options: KubectlOptions = {},
): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.binary ?? 'kubectl', args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: kubeconfig, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A long-running kubectl (e.g. `get -w`) whose output can be awaited line by line. */
export interface KubectlProcess {
  output(): string;
  /** What it wrote to stderr so far. */
  errors(): string;
  /** Resolves when stdout (or stderr) contains `text` (rejects after `timeoutMs`). */
  waitFor(text: string | RegExp, timeoutMs?: number, stream?: 'stdout' | 'stderr'): Promise<string>;
  stop(): void;
}

export function spawnKubectl(
  kubeconfig: string,
  home: string,
  args: string[],
  options: KubectlOptions = {},
): KubectlProcess {
  const child = spawn(options.binary ?? 'kubectl', args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: kubeconfig, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of waiters) w();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of waiters) w();
  });
  return {
    output: () => stdout,
    errors: () => stderr,
    waitFor: (text, timeoutMs = 20_000, stream = 'stdout') =>
      new Promise((resolve, reject) => {
        const check = () => {
          const seen = stream === 'stdout' ? stdout : stderr;
          const hit = typeof text === 'string' ? seen.includes(text) : text.test(seen);
          if (hit) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(seen);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${String(text)}; stdout: ${stdout}; stderr: ${stderr}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    stop: () => {
      child.kill('SIGTERM');
    },
  };
}
