/**
 * The real `kubedesk` command and the real engine (Docker, SQLite, API server) driven as a user
 * would, with the real kubectl talking to the cluster through the kubeconfig the CLI wrote.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readLockOwner } from '../engine/profiles/engine-lock';
import { profilePaths } from '../engine/profiles/paths';
import { isProcessAlive } from '../engine/profiles/process-alive';
import { PROFILE_LABEL } from './docker-cleanup';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KUBEDESK = join(ROOT, 'bin/kubedesk.mjs');
const profile = `it-${randomBytes(3).toString('hex')}`;
const TEST_IMAGE = process.env.KUBEDESK_TEST_IMAGE ?? 'kubedesk-test/busybox:1';

let home: string;
let kubeconfig: string;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], timeout = 170_000): Promise<Result> {
  const env: NodeJS.ProcessEnv = {
    // The images npm test builds locally; no public registry is reachable from tests.
    KUBEDESK_PAUSE_IMAGE: 'kubedesk-test/pause:1',
    KUBEDESK_AGENT_BASE_IMAGE: 'kubedesk-test/node:1',
    KUBEDESK_REGISTRY_IMAGE: 'kubedesk-test/registry:1',
    ...process.env,
    KUBEDESK_HOME: home,
    KUBECONFIG: kubeconfig,
  };
  delete env.KUBEDESK_ENGINE_ENTRY;
  delete env.KUBEDESK_PROFILE;
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const kubedesk = (...args: string[]) => run(process.execPath, [KUBEDESK, ...args, '-p', profile]);
const kubectl = (...args: string[]) => run('kubectl', [...args, '--request-timeout=20s'], 60_000);
const docker = (...args: string[]) => run('docker', args, 60_000);

/** Fails with everything the command printed, so a broken start explains itself. */
function expectSuccess(result: Result): void {
  if (result.code !== 0) {
    throw new Error(`exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'kubedesk-cli-int-'));
  kubeconfig = join(home, 'kube', 'config');
});

afterAll(async () => {
  // Whatever happened above, leave no engine, container or network behind.
  await kubedesk('delete');
  const pid = await readLockOwner(profilePaths(profile, home).lock);
  if (pid !== undefined && isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
  await rm(home, { recursive: true, force: true });
});

describe('kubedesk against the real engine', () => {
  it('starts a cluster and points kubectl at it', async () => {
    const result = await kubedesk('start');
    expectSuccess(result);
    expect(result.stdout).toMatch(/✓ API server answering on https:\/\/127\.0\.0\.1:\d+/);
    expect(result.stdout).toContain(`Done! kubectl is now configured to use "${profile}"`);
    const config = parse(await readFile(kubeconfig, 'utf8')) as { 'current-context': string };
    expect(config['current-context']).toBe(profile);
  });

  it('reports the profile as Running', async () => {
    const result = await kubedesk('status', '-o', 'json');
    expectSuccess(result);
    expect(JSON.parse(result.stdout)).toMatchObject({
      name: profile,
      state: 'Running',
      apiServerReady: true,
    });
  });

  it('serves kubectl', async () => {
    const version = await kubectl('version', '-o', 'json');
    expectSuccess(version);
    expect(JSON.parse(version.stdout)).toHaveProperty('serverVersion.gitVersion');
    const namespaces = await kubectl('get', 'ns', '-o', 'name');
    expectSuccess(namespaces);
    expect(namespaces.stdout.split('\n')).toContain('namespace/default');
  });

  it('runs a pod as containers on its node', async () => {
    const node = await kubectl('get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}');
    expectSuccess(node);
    expect(node.stdout).not.toBe('');
    const manifest = join(home, 'pod.yaml');
    await writeFile(
      manifest,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'sleeper', namespace: 'default' },
        // Bound by hand: the test should not depend on the scheduler.
        spec: {
          nodeName: node.stdout,
          containers: [{ name: 'main', image: TEST_IMAGE, command: ['sleep', '3600'] }],
        },
      }),
    );
    expectSuccess(await kubectl('apply', '-f', manifest));
    expectSuccess(await kubectl('wait', '--for=condition=Ready', 'pod/sleeper', '--timeout=120s'));
    const containers = await docker('ps', '-q', '--filter', `label=${PROFILE_LABEL}=${profile}`);
    expect(containers.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(2);
  });

  it('does nothing when started again', async () => {
    const result = await kubedesk('start');
    expectSuccess(result);
    expect(result.stdout).toContain(`Profile "${profile}" is already running`);
  });

  it('stops, keeping its state, and starts again', async () => {
    const created = await kubectl('create', 'namespace', 'kept-across-restarts');
    expectSuccess(created);

    expectSuccess(await kubedesk('stop'));
    const stopped = await kubedesk('status');
    expect(stopped.code).toBe(7);
    expect(stopped.stdout).toMatch(/^state:\s+Stopped$/m);
    expect((await kubectl('get', 'ns')).code).not.toBe(0);

    expectSuccess(await kubedesk('start'));
    expectSuccess(await kubedesk('status'));
    const namespaces = await kubectl('get', 'ns', '-o', 'name');
    expectSuccess(namespaces);
    expect(namespaces.stdout.split('\n')).toContain('namespace/kept-across-restarts');
  });

  it('deletes everything: engine, profile folder, kubeconfig entries, containers and networks', async () => {
    const pid = await readLockOwner(profilePaths(profile, home).lock);
    expectSuccess(await kubedesk('delete'));
    if (pid !== undefined) expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(profilePaths(profile, home).dir)).toBe(false);

    const config = parse(await readFile(kubeconfig, 'utf8')) as Record<string, { name: string }[] | string>;
    for (const list of ['clusters', 'contexts', 'users']) {
      expect((config[list] as { name: string }[]).map((entry) => entry.name)).not.toContain(profile);
    }
    expect(config['current-context']).toBeUndefined();

    const label = `label=${PROFILE_LABEL}=${profile}`;
    expect((await docker('ps', '-aq', '--filter', label)).stdout.trim()).toBe('');
    expect((await docker('network', 'ls', '-q', '--filter', label)).stdout.trim()).toBe('');
    expect((await kubedesk('status')).code).toBe(1);
  });
});
