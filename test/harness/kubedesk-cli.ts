/**
 * A profile driven through the real `kubedesk` command, as a user would, for integration tests:
 * a temporary KUBEDESK_HOME and KUBECONFIG, runners for kubedesk, kubectl and docker, and a
 * clean-up that leaves no engine behind.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLockOwner } from '../../src-main/engine/profiles/engine-lock';
import { profilePaths } from '../../src-main/engine/profiles/paths';
import { isProcessAlive } from '../../src-main/engine/profiles/process-alive';

const KUBEDESK = fileURLToPath(new URL('../../bin/kubedesk.mjs', import.meta.url));

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Returns `result` when it exited 0; otherwise fails with everything it printed. */
export function expectSuccess(result: CommandResult): CommandResult {
  if (result.code !== 0) {
    throw new Error(`exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
  return result;
}

export interface CliTestProfileOptions {
  /** Start of the profile name; a random hex suffix keeps concurrent runs apart. */
  namePrefix: string;
  /** Start of the temporary KUBEDESK_HOME. */
  homePrefix: string;
  /** kubectl's `--request-timeout`, e.g. "20s". */
  kubectlRequestTimeout: string;
  /** How long one kubectl process may run. */
  kubectlTimeoutMs: number;
}

export interface CliTestProfile {
  /** The profile's name (`<namePrefix><6 hex>`). */
  readonly name: string;
  /** KUBEDESK_HOME of every command. Set by `createHome`. */
  readonly home: string;
  /** KUBECONFIG of every command: `<home>/kube/config`. Set by `createHome`. */
  readonly kubeconfig: string;
  /** Makes the temporary home. Call from `beforeAll`, before any command. */
  createHome(): Promise<void>;
  /** Runs any program with the profile's environment; never rejects. */
  readonly run: (file: string, args: string[], timeout?: number) => Promise<CommandResult>;
  /** `kubedesk <args> -p <name>`. */
  readonly kubedesk: (...args: string[]) => Promise<CommandResult>;
  /** `kubectl <args>` through the kubeconfig the CLI writes. */
  readonly kubectl: (...args: string[]) => Promise<CommandResult>;
  readonly docker: (...args: string[]) => Promise<CommandResult>;
  /** `kubedesk delete`, then kills an engine that outlived it. */
  deleteProfile(): Promise<void>;
  /** Removes the temporary home. */
  removeHome(): Promise<void>;
}

/** Describes a CLI-driven profile for one test file; nothing happens until `createHome`. */
export function cliTestProfile(options: CliTestProfileOptions): CliTestProfile {
  const name = `${options.namePrefix}${randomBytes(3).toString('hex')}`;
  let home: string | undefined;
  const requireHome = (): string => {
    if (home === undefined) throw new Error('the test profile has no home yet: call createHome() first');
    return home;
  };
  const kubeconfigOf = (dir: string) => join(dir, 'kube', 'config');

  const run = (file: string, args: string[], timeout = 170_000): Promise<CommandResult> => {
    const dir = requireHome();
    const env: NodeJS.ProcessEnv = {
      // The images npm test builds locally; no public registry is reachable from tests.
      KUBEDESK_PAUSE_IMAGE: 'kubedesk-test/pause:1',
      KUBEDESK_AGENT_BASE_IMAGE: 'kubedesk-test/node:1',
      KUBEDESK_REGISTRY_IMAGE: 'kubedesk-test/registry:1',
      ...process.env,
      KUBEDESK_HOME: dir,
      KUBECONFIG: kubeconfigOf(dir),
    };
    // The real engine, and only this profile, whatever the shell running the tests has set.
    delete env.KUBEDESK_ENGINE_ENTRY;
    delete env.KUBEDESK_PROFILE;
    return new Promise((resolve) => {
      execFile(file, args, { env, timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  };
  const kubedesk = (...args: string[]) => run(process.execPath, [KUBEDESK, ...args, '-p', name]);

  return {
    name,
    get home() {
      return requireHome();
    },
    get kubeconfig() {
      return kubeconfigOf(requireHome());
    },
    async createHome() {
      home = await mkdtemp(join(tmpdir(), options.homePrefix));
    },
    run,
    kubedesk,
    kubectl: (...args) =>
      run(
        'kubectl',
        [...args, `--request-timeout=${options.kubectlRequestTimeout}`],
        options.kubectlTimeoutMs,
      ),
    docker: (...args) => run('docker', args, 60_000),
    async deleteProfile() {
      if (home === undefined) return;
      await kubedesk('delete');
      const pid = await readLockOwner(profilePaths(name, home).lock);
      if (pid !== undefined && isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
    },
    async removeHome() {
      if (home !== undefined) await rm(home, { recursive: true, force: true });
    },
  };
}
