/**
 * The real `bin/kubedesk.mjs` and the real daemon, in real processes, around a stand-in cluster
 * (testing/fake-engine.ts) so the lifecycle is tested without Docker. cli.int.test.ts runs the
 * same commands against the real engine.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readLockOwner } from '../engine/profiles/engine-lock';
import { profilePaths } from '../engine/profiles/paths';
import { isProcessAlive } from '../engine/profiles/process-alive';
import { readProfileConfig } from '../engine/profiles/profile-store';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KUBEDESK = join(ROOT, 'bin/kubedesk.mjs');
const RUN_TS = join(ROOT, 'bin/run-ts.mjs');
const FAKE_ENGINE = join(ROOT, 'src-main/cli/testing/fake-engine.ts');

let home: string;
let kubeconfig: string;
const startedPids = new Set<number>();

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [command, ...args],
      {
        env: {
          ...process.env,
          KUBEDESK_PROFILE: '',
          KUBEDESK_HOME: home,
          KUBECONFIG: kubeconfig,
          KUBEDESK_ENGINE_ENTRY: FAKE_ENGINE,
          // No Docker here: delete must never touch real containers of a real profile named alike.
          DOCKER_HOST: `unix://${join(home, 'no-docker.sock')}`,
          ...env,
        },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const kubedesk = (args: string[], env?: NodeJS.ProcessEnv) => run(KUBEDESK, args, env);

/** Expects success, failing with everything the command printed. */
function ok(result: Result): Result {
  if (result.code !== 0) {
    throw new Error(`exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
  return result;
}

async function enginePid(name: string): Promise<number | undefined> {
  const pid = await readLockOwner(profilePaths(name, home).lock);
  if (pid !== undefined) startedPids.add(pid);
  return pid;
}

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string } }[];
  contexts: { name: string }[];
  users: { name: string }[];
  'current-context'?: string;
}

async function readKubeconfig(): Promise<Kubeconfig> {
  return parse(await readFile(kubeconfig, 'utf8')) as Kubeconfig;
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'kubedesk-lifecycle-'));
  kubeconfig = join(home, 'kube', 'config');
});

afterAll(async () => {
  for (const pid of startedPids) {
    if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  await rm(home, { recursive: true, force: true });
});

// Each case runs several processes; a busy machine makes them slow, never wrong.
describe('kubedesk start / status / stop', { timeout: 60_000 }, () => {
  it('creates the profile, reports each phase, waits for the API and sets the context', async () => {
    const { stdout, stderr } = ok(await kubedesk(['start', '-p', 'dev', '--nodes', '2']));
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('✓ Created profile "dev" (2 nodes)');
    expect(lines[1]).toMatch(/^✓ Starting control plane \(engine pid \d+, log .*engine\.log\)$/);
    expect(lines).toContain('✓ Starting the API server');
    const config = await readProfileConfig('dev', home);
    expect(lines).toContain(`✓ API server answering on https://127.0.0.1:${config?.apiServerPort}`);
    expect(lines.at(-2)).toMatch(/^✓ Kubeconfig context "dev" set as current/);
    expect(lines.at(-1)).toBe('Done! kubectl is now configured to use "dev"');

    const pid = await enginePid('dev');
    expect(pid && isProcessAlive(pid)).toBe(true);
    const written = await readKubeconfig();
    expect(written['current-context']).toBe('dev');
    expect(written.clusters[0].cluster.server).toBe(`https://127.0.0.1:${config?.apiServerPort}`);
  });

  it('reports a running profile with its engine, API server and nodes', async () => {
    const pid = await enginePid('dev');
    const { code, stdout } = await kubedesk(['status', '-p', 'dev', '-o', 'json']);
    expect(code).toBe(0);
    const config = await readProfileConfig('dev', home);
    expect(JSON.parse(stdout)).toMatchObject({
      name: 'dev',
      state: 'Running',
      apiServerUrl: `https://127.0.0.1:${config?.apiServerPort}`,
      apiServerReady: true,
      nodes: 2,
      nodesListed: 2,
      nodesReady: 2,
      pid,
      currentContext: true,
    });
  });

  it('does nothing on a second start, and says so', async () => {
    const pid = await enginePid('dev');
    const { code, stdout } = await kubedesk(['start', '-p', 'dev']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^Profile "dev" is already running \(API server https:\/\/127\.0\.0\.1:\d+\); nothing to do\.$/m,
    );
    expect(await enginePid('dev')).toBe(pid);
  });

  it('never lets a second engine run the same profile, nor disturb the first', async () => {
    const { code, stdout, stderr } = await run(RUN_TS, [FAKE_ENGINE, '--profile', 'dev']);
    expect(code, `${stdout}\n${stderr}`).toBe(1);
    expect(stdout).toMatch(/\[error\] Profile "dev" already has a running engine \(pid \d+\)/);
    expect(existsSync(profilePaths('dev', home).engine)).toBe(true);
    ok(await kubedesk(['status', '-p', 'dev']));
  });

  it('stops the engine and keeps the profile', async () => {
    const pid = (await enginePid('dev')) as number;
    const { code, stdout } = await kubedesk(['stop', '-p', 'dev']);
    expect(code).toBe(0);
    expect(stdout).toBe('✓ Stopped profile "dev"\n');
    expect(isProcessAlive(pid)).toBe(false);
    const paths = profilePaths('dev', home);
    expect(existsSync(paths.engine)).toBe(false);
    expect(existsSync(paths.lock)).toBe(false);
    expect(existsSync(paths.config)).toBe(true);
    expect(await readFile(paths.log, 'utf8')).toMatch(/\[stopping\] received SIGTERM\n.*\[stopped\]\n$/);

    const status = await kubedesk(['status', '-p', 'dev']);
    expect(status.code).toBe(7);
    expect(status.stdout).toMatch(/^state:\s+Stopped$/m);
    expect((await kubedesk(['stop', '-p', 'dev'])).stdout).toBe('Profile "dev" is not running.\n');
  });

  it('moves to another port when the persisted one was taken, and rewrites the kubeconfig', async () => {
    const before = (await readProfileConfig('dev', home))?.apiServerPort as number;
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(before, '127.0.0.1', resolve));
    try {
      const { stdout } = ok(await kubedesk(['start', '-p', 'dev']));
      const after = (await readProfileConfig('dev', home))?.apiServerPort as number;
      expect(after).not.toBe(before);
      expect(stdout).toContain(
        `Port ${before} is in use by another program; the API server moves to port ${after}`,
      );
      expect((await readKubeconfig()).clusters[0].cluster.server).toBe(`https://127.0.0.1:${after}`);
      await enginePid('dev');
    } finally {
      blocker.close();
    }
    ok(await kubedesk(['stop', '-p', 'dev']));
  });

  it('moves to another port when the engine finds its port taken at listen time', async () => {
    const before = (await readProfileConfig('dev', home))?.apiServerPort as number;
    const { stdout } = ok(await kubedesk(['start', '-p', 'dev'], { FAKE_ENGINE_PORT_TAKEN: '1' }));
    await enginePid('dev');
    const after = (await readProfileConfig('dev', home))?.apiServerPort as number;
    expect(after).not.toBe(before);
    expect(stdout).toContain(`✓ API server answering on https://127.0.0.1:${after}`);
    expect((await readKubeconfig()).clusters[0].cluster.server).toBe(`https://127.0.0.1:${after}`);
    ok(await kubedesk(['stop', '-p', 'dev']));
  });

  it('kills an engine that does not stop within the timeout', async () => {
    ok(await kubedesk(['start', '-p', 'dev'], { FAKE_ENGINE_IGNORE_SIGTERM: '1' }));
    const pid = (await enginePid('dev')) as number;
    const { code, stdout } = await kubedesk(['stop', '-p', 'dev', '--timeout', '1']);
    expect(code).toBe(0);
    expect(stdout).toContain('killed: it did not stop within 1s');
    expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(profilePaths('dev', home).engine)).toBe(false);
    expect(existsSync(profilePaths('dev', home).lock)).toBe(false);
  });

  it('starts again after the engine was killed outright, taking over its stale lock', async () => {
    ok(await kubedesk(['start', '-p', 'dev']));
    const pid = (await enginePid('dev')) as number;
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 5_000;
    while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(profilePaths('dev', home).engine)).toBe(true);

    expect((await kubedesk(['status', '-p', 'dev'])).stdout).toMatch(/^state:\s+Stopped$/m);
    const restarted = await kubedesk(['start', '-p', 'dev']);
    expect(restarted.code).toBe(0);
    const newPid = await enginePid('dev');
    expect(newPid).not.toBe(pid);
    ok(await kubedesk(['status', '-p', 'dev']));
    ok(await kubedesk(['stop', '-p', 'dev']));
  });

  it('prints the cause and the engine log when the engine dies during start', async () => {
    const { code, stdout, stderr } = await kubedesk(['start', '-p', 'dev'], {
      FAKE_ENGINE_FAIL: 'listen EADDRINUSE: the port exploded',
    });
    expect(code).toBe(1);
    expect(stdout).toContain('✗ Starting the API server');
    const lines = stderr.trimEnd().split('\n');
    expect(lines.some((line) => /^ {2}\S+ \[error\] listen EADDRINUSE: the port exploded$/.test(line))).toBe(
      true,
    );
    expect(lines.at(-1)).toMatch(
      /^Error: The engine stopped during start \(Starting the API server\): listen EADDRINUSE: the port exploded\. Full log: .*engine\.log\.$/,
    );
    expect((await kubedesk(['status', '-p', 'dev'])).stdout).toMatch(/^state:\s+Stopped$/m);
    expect(existsSync(profilePaths('dev', home).lock)).toBe(false);
  });
});

describe('kubedesk start that does not finish in time', { timeout: 60_000 }, () => {
  it('gives up after --wait-timeout, naming what it waited for and what to do', async () => {
    const { code, stdout, stderr } = await kubedesk(['start', '-p', 'stuck', '--wait-timeout', '8'], {
      FAKE_ENGINE_HANG: '1',
    });
    expect(code).toBe(1);
    expect(stdout).toContain('✗ Starting the API server');
    expect(stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^Error: Timed out waiting for the engine \(pid \d+\) to report its API server ready; last phase: Starting the API server\. It may still finish: check "kubedesk status -p stuck" and .*engine\.log, or stop it with "kubedesk stop -p stuck"\.$/,
    );
    // The engine is detached: it goes on until stopped, and stop ends it.
    expect((await kubedesk(['status', '-p', 'stuck'])).stdout).toMatch(/^state:\s+Starting$/m);
    ok(await kubedesk(['delete', '-p', 'stuck']));
    expect(existsSync(profilePaths('stuck', home).dir)).toBe(false);
  });
});

describe('kubedesk delete and profile list', { timeout: 60_000 }, () => {
  it('deletes a running profile: engine, folder and its kubeconfig entries, keeping foreign ones', async () => {
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- cluster: {server: "https://prod.example.com"}',
        '  name: prod',
        'contexts:',
        '- context: {cluster: prod, user: prod}',
        '  name: prod',
        'users:',
        '- name: prod',
        '  user: {token: abc}',
        'current-context: prod',
        '',
      ].join('\n'),
    );
    ok(await kubedesk(['start', '-p', 'dev']));
    const pid = (await enginePid('dev')) as number;
    expect((await readKubeconfig()).contexts.map((c) => c.name)).toEqual(['prod', 'dev']);

    const { code, stdout } = await kubedesk(['delete', '-p', 'dev']);
    expect(code).toBe(0);
    expect(stdout).toContain('✓ Stopped the engine of "dev"');
    expect(stdout).toContain(`✓ Removed context "dev" from ${kubeconfig}`);
    expect(stdout).toContain('✓ Deleted profile "dev"');
    expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(profilePaths('dev', home).dir)).toBe(false);
    const after = await readKubeconfig();
    expect(after.clusters.map((c) => c.name)).toEqual(['prod']);
    expect(after.users.map((c) => c.name)).toEqual(['prod']);
    expect(after.contexts.map((c) => c.name)).toEqual(['prod']);
    expect(after['current-context']).toBeUndefined();
  });

  it('lists profiles with their state, and deletes them all', async () => {
    ok(await kubedesk(['start', '-p', 'one']));
    await enginePid('one');
    ok(await kubedesk(['start', '-p', 'two']));
    await enginePid('two');
    ok(await kubedesk(['stop', '-p', 'one']));

    const list = await kubedesk(['profile', 'list']);
    expect(list.stdout).toMatch(/^one\s+Stopped\s+https:\/\/127\.0\.0\.1:\d+\s+1$/m);
    expect(list.stdout).toMatch(/^two\s+Running\s+https:\/\/127\.0\.0\.1:\d+\s+1\s+\*$/m);

    const { code, stdout } = await kubedesk(['delete', '--all']);
    expect(code).toBe(0);
    expect(stdout).toContain('✓ Deleted profile "one"');
    expect(stdout).toContain('✓ Deleted profile "two"');
    expect(JSON.parse((await kubedesk(['profile', 'list', '-o', 'json'])).stdout)).toEqual([]);
    expect((await readKubeconfig()).clusters.map((c) => c.name)).toEqual(['prod']);
  });

  it('ends two simultaneous first starts of a new profile with one engine that both report', async () => {
    const [a, b] = await Promise.all([kubedesk(['start', '-p', 'twin']), kubedesk(['start', '-p', 'twin'])]);
    ok(a);
    ok(b);
    const pid = (await enginePid('twin')) as number;
    for (const result of [a, b]) {
      expect(result.stdout).toMatch(
        /API server answering on https:\/\/127\.0\.0\.1:\d+|already (running|starting)/,
      );
    }
    const status = JSON.parse(ok(await kubedesk(['status', '-p', 'twin', '-o', 'json'])).stdout) as {
      pid: number;
    };
    expect(status.pid).toBe(pid);
    ok(await kubedesk(['delete', '-p', 'twin']));
  });

  it('follows a start already under way instead of racing it', async () => {
    const first = kubedesk(['start', '-p', 'race']);
    // Let the first start create the profile and spawn its engine.
    const deadline = Date.now() + 10_000;
    while (!existsSync(profilePaths('race', home).lock) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const second = await kubedesk(['start', '-p', 'race']);
    const firstResult = await first;
    await enginePid('race');
    expect(firstResult.code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/already (starting|running)/);
    ok(await kubedesk(['delete', '-p', 'race']));
  });
});

describe('kubedesk delete of a profile whose folder is gone', { timeout: 60_000 }, () => {
  it('removes the kubeconfig entries that point into that folder, and says so', async () => {
    ok(await kubedesk(['start', '-p', 'orphan']));
    ok(await kubedesk(['stop', '-p', 'orphan']));
    await rm(profilePaths('orphan', home).dir, { recursive: true, force: true });

    const first = await kubedesk(['delete', '-p', 'orphan']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Profile "orphan" was not found; removing what was left of it.');
    expect(first.stdout).toContain('✓ Removed context "orphan"');
    expect((await readKubeconfig()).contexts.map((c) => c.name)).not.toContain('orphan');

    const second = await kubedesk(['delete', '-p', 'orphan']);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      'Error: Profile "orphan" not found. See "kubedesk profile list" for the profiles there are.\n',
    );
  });
});
