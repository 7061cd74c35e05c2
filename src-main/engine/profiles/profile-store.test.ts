import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireEngineLock, readLockOwner } from './engine-lock';
import { defaultProfileName, kubedeskHome, profilePaths } from './paths';
import { ProfileError, ProfileExistsError } from './profile-error';
import {
  createProfile,
  deleteProfileFiles,
  listProfileNames,
  listProfiles,
  profileNameProblem,
  readEngineInfo,
  readProfileConfig,
  readProfileStatus,
  requireProfileConfig,
  writeEngineInfo,
} from './profile-store';

let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'kubedesk-home-'));
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** A pid that belonged to a process which has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid as number;
}

describe('profile names', () => {
  it('accepts DNS-1123 labels', () => {
    for (const name of ['kubedesk', 'a', 'dev-2', '123-abc', 'x'.repeat(63)]) {
      expect(profileNameProblem(name), name).toBeUndefined();
    }
  });

  it('rejects anything else with a reason', () => {
    for (const name of ['', 'Dev', 'my_cluster', '-a', 'a-', 'a.b', 'x'.repeat(64), '../etc', 'a b']) {
      expect(profileNameProblem(name), name).toBeTypeOf('string');
    }
    expect(profileNameProblem('My')).toContain("must consist of lower case alphanumeric characters or '-'");
    expect(profileNameProblem('x'.repeat(64))).toContain('no more than 63 characters');
  });
});

describe('paths', () => {
  it('reads KUBEDESK_HOME and KUBEDESK_PROFILE', () => {
    expect(kubedeskHome({ KUBEDESK_HOME: '/tmp/kd' })).toBe('/tmp/kd');
    expect(kubedeskHome({})).toMatch(/\.kubedesk$/);
    expect(defaultProfileName({})).toBe('kubedesk');
    expect(defaultProfileName({ KUBEDESK_PROFILE: 'dev' })).toBe('dev');
    expect(profilePaths('dev', '/h').config).toBe('/h/profiles/dev/config.json');
  });
});

describe('profile store', () => {
  it('creates, reads, lists and deletes profiles', async () => {
    const created = await createProfile(
      { name: 'dev', apiServerPort: 40001, nodes: 2, memoryMiB: 2048 },
      home,
    );
    expect(created).toMatchObject({ name: 'dev', apiServerPort: 40001, nodes: 2, memoryMiB: 2048 });
    expect(created.cpus).toBeUndefined();
    expect(await readProfileConfig('dev', home)).toEqual(created);
    await createProfile({ name: 'alpha', apiServerPort: 40002 }, home);
    expect((await listProfiles(home)).map((p) => p.name)).toEqual(['alpha', 'dev']);

    await expect(createProfile({ name: 'dev', apiServerPort: 1 }, home)).rejects.toBeInstanceOf(ProfileError);

    await deleteProfileFiles('dev', home);
    expect(await readProfileConfig('dev', home)).toBeUndefined();
    await expect(stat(profilePaths('dev', home).dir)).rejects.toThrow();
    expect((await listProfiles(home)).map((p) => p.name)).toEqual(['alpha']);
  });

  it('creates a profile once when creators race', async () => {
    const results = await Promise.allSettled(
      [40001, 40002, 40003].map((apiServerPort) => createProfile({ name: 'dev', apiServerPort }, home)),
    );
    const created = results.filter((r) => r.status === 'fulfilled');
    expect(created).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ProfileExistsError);
    expect(await readProfileConfig('dev', home)).toEqual(
      (created[0] as PromiseFulfilledResult<unknown>).value,
    );
  });

  it('reports an unknown profile with a fix', async () => {
    const err = await requireProfileConfig('nope', home).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProfileError);
    expect((err as ProfileError).message).toBe('Profile "nope" not found.');
    expect((err as ProfileError).hint).toContain('kubedesk start -p nope');
  });

  it('refuses invalid names before touching the disk', async () => {
    await expect(createProfile({ name: 'Bad_Name', apiServerPort: 1 }, home)).rejects.toThrow(
      /Invalid profile name/,
    );
    await expect(deleteProfileFiles('../..', home)).rejects.toBeInstanceOf(ProfileError);
  });

  it('lists broken profile folders by name but not as configs', async () => {
    await mkdir(profilePaths('broken', home).dir, { recursive: true });
    await writeFile(profilePaths('broken', home).config, '{not json');
    expect(await listProfiles(home)).toEqual([]);
    expect(await listProfileNames(home)).toEqual(['broken']);
    await expect(readProfileConfig('broken', home)).rejects.toBeInstanceOf(ProfileError);
  });
});

describe('profile status and engine lock', () => {
  it('is Stopped without an engine, Starting with a live lock, Running once engine.json is written', async () => {
    await createProfile({ name: 'dev', apiServerPort: 40001 }, home);
    expect((await readProfileStatus('dev', home)).state).toBe('Stopped');

    const lock = await acquireEngineLock(profilePaths('dev', home).lock, 'dev');
    expect(await readProfileStatus('dev', home)).toEqual({ state: 'Starting', pid: process.pid });

    const info = { pid: process.pid, apiServerPort: 40001, startedAt: new Date().toISOString() };
    await writeEngineInfo('dev', info, home);
    expect(await readEngineInfo('dev', home)).toEqual(info);
    expect(await readProfileStatus('dev', home)).toEqual({
      state: 'Running',
      pid: process.pid,
      engine: info,
    });

    await lock.release();
    expect(await readLockOwner(profilePaths('dev', home).lock)).toBeUndefined();
  });

  it('treats engine.json of a dead process as Stopped', async () => {
    await createProfile({ name: 'dev', apiServerPort: 40001 }, home);
    const pid = await deadPid();
    await writeEngineInfo('dev', { pid, apiServerPort: 40001, startedAt: new Date().toISOString() }, home);
    expect((await readProfileStatus('dev', home)).state).toBe('Stopped');
  });

  it('refuses a second engine while the first lives', async () => {
    const path = profilePaths('dev', home).lock;
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await acquireEngineLock(path, 'dev', child.pid as number);
      const err = await acquireEngineLock(path, 'dev').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProfileError);
      expect((err as ProfileError).message).toBe(
        `Profile "dev" already has a running engine (pid ${child.pid}).`,
      );
    } finally {
      child.kill();
    }
  });

  it('takes over a lock left by a dead process, once, even when starters race', async () => {
    const path = profilePaths('dev', home).lock;
    await mkdir(profilePaths('dev', home).dir, { recursive: true });
    await writeFile(path, `${await deadPid()}\n`);
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const results = await Promise.allSettled([
        acquireEngineLock(path, 'dev', process.pid),
        acquireEngineLock(path, 'dev', live.pid as number),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const owner = await readLockOwner(path);
      expect([process.pid, live.pid]).toContain(owner);
    } finally {
      live.kill();
    }
  });
});
