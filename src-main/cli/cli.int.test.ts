/**
 * The real `kubedesk` command and the real engine (Docker, SQLite, API server) driven as a user
 * would, with the real kubectl talking to the cluster through the kubeconfig the CLI wrote.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliTestProfile, expectSuccess } from '../../test/harness/kubedesk-cli';
import { readLockOwner } from '../engine/profiles/engine-lock';
import { profilePaths } from '../engine/profiles/paths';
import { isProcessAlive } from '../engine/profiles/process-alive';
import { PROFILE_LABEL } from './docker-cleanup';

const TEST_IMAGE = process.env.KUBEDESK_TEST_IMAGE ?? 'kubedesk-test/busybox:1';

const cli = cliTestProfile({
  namePrefix: 'it-',
  homePrefix: 'kubedesk-cli-int-',
  kubectlRequestTimeout: '20s',
  kubectlTimeoutMs: 60_000,
});
const { name: profile, kubedesk, kubectl, docker } = cli;

/** Ids of the profile's running containers, sorted. */
async function runningContainers(): Promise<string[]> {
  const listed = await docker('ps', '-q', '--filter', `label=${PROFILE_LABEL}=${profile}`);
  return listed.stdout.trim().split('\n').filter(Boolean).sort();
}

/** Waits for the `sleeper` pod to be Ready and answers a jsonpath of it. */
async function readySleeper(jsonpath: string): Promise<string> {
  expectSuccess(await kubectl('wait', '--for=condition=Ready', 'pod/sleeper', '--timeout=60s'));
  return expectSuccess(await kubectl('get', 'pod', 'sleeper', '-o', `jsonpath=${jsonpath}`)).stdout;
}

beforeAll(async () => {
  await cli.createHome();
});

afterAll(async () => {
  // Whatever happened above, leave no engine, container or network behind.
  await cli.deleteProfile();
  await cli.removeHome();
});

describe('kubedesk against the real engine', () => {
  it('starts a cluster and points kubectl at it', async () => {
    const result = await kubedesk('start');
    expectSuccess(result);
    expect(result.stdout).toMatch(/✓ API server answering on https:\/\/127\.0\.0\.1:\d+/);
    expect(result.stdout).toContain(`Done! kubectl is now configured to use "${profile}"`);
    const config = parse(await readFile(cli.kubeconfig, 'utf8')) as { 'current-context': string };
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
    const manifest = join(cli.home, 'pod.yaml');
    await writeFile(
      manifest,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'sleeper', namespace: 'default' },
        // Bound by hand: the test should not depend on the scheduler.
        spec: {
          nodeName: node.stdout,
          // `sleep` as PID 1 ignores SIGTERM: stops wait out this grace period.
          terminationGracePeriodSeconds: 2,
          containers: [{ name: 'main', image: TEST_IMAGE, command: ['sleep', '3600'] }],
        },
      }),
    );
    expectSuccess(await kubectl('apply', '-f', manifest));
    expectSuccess(await kubectl('wait', '--for=condition=Ready', 'pod/sleeper', '--timeout=120s'));
    expect((await runningContainers()).length).toBeGreaterThanOrEqual(2);
  });

  it('does nothing when started again', async () => {
    const result = await kubedesk('start');
    expectSuccess(result);
    expect(result.stdout).toContain(`Profile "${profile}" is already running`);
  });

  it('stops, keeping its state, and starts again', async () => {
    const created = await kubectl('create', 'namespace', 'kept-across-restarts');
    expectSuccess(created);

    const uid = await kubectl('get', 'pod', 'sleeper', '-o', 'jsonpath={.metadata.uid}');
    const stop = await kubedesk('stop');
    expectSuccess(stop);
    // Pod containers, sandbox and network agent: a stopped cluster runs nothing.
    expect(stop.stdout).toMatch(new RegExp(`✓ Stopped profile "${profile}" and its \\d+ container\\(s\\)`));
    expect(await runningContainers()).toEqual([]);
    const stopped = await kubedesk('status');
    expect(stopped.code).toBe(7);
    expect(stopped.stdout).toMatch(/^state:\s+Stopped$/m);
    expect((await kubectl('get', 'ns')).code).not.toBe(0);

    expectSuccess(await kubedesk('start'));
    expectSuccess(await kubedesk('status'));
    const namespaces = await kubectl('get', 'ns', '-o', 'name');
    expectSuccess(namespaces);
    expect(namespaces.stdout.split('\n')).toContain('namespace/kept-across-restarts');
    // The same pod runs again, restarted as after a node reboot.
    expect(await readySleeper('{.metadata.uid} {.status.containerStatuses[0].restartCount}')).toBe(
      `${uid.stdout} 1`,
    );
  });

  it('keeps pod containers running with stop --keep-pods, and adopts them as they are', async () => {
    const before = await runningContainers();
    const stop = await kubedesk('stop', '--keep-pods');
    expectSuccess(stop);
    expect(stop.stdout).toBe(`✓ Stopped profile "${profile}"\n`);
    expect(await runningContainers()).toEqual(before);
    expectSuccess(await kubedesk('start'));
    expect(await readySleeper('{.status.containerStatuses[0].restartCount}')).toBe('1');
    expect(await runningContainers()).toEqual(before);
  });

  it('deletes everything: engine, profile folder, kubeconfig entries, containers and networks', async () => {
    const pid = await readLockOwner(profilePaths(profile, cli.home).lock);
    expectSuccess(await kubedesk('delete'));
    if (pid !== undefined) expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(profilePaths(profile, cli.home).dir)).toBe(false);

    const config = parse(await readFile(cli.kubeconfig, 'utf8')) as Record<
      string,
      { name: string }[] | string
    >;
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
