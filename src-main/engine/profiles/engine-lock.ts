import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isProcessAlive } from './process-alive';
import { ProfileError } from './profile-error';

/** A held engine lock; `release` removes it only if it is still ours. */
export interface EngineLock {
  readonly path: string;
  release(): Promise<void>;
}

/** A takeover marker older than this was left by a crashed process. */
const TAKEOVER_STALE_MS = 10_000;
/** An empty lock file younger than this is being written by its creator, not abandoned. */
const FRESH_EMPTY_LOCK_MS = 2_000;

/**
 * Makes `pid` the one engine of a profile: creates the pid file at `lockPath` exclusively. A file
 * left by a dead process is taken over; one held by a live process (other than `pid`) makes this
 * throw a ProfileError naming that pid. Stale takeovers are serialized through a marker file, so two
 * starters racing over one stale lock never both win.
 */
export async function acquireEngineLock(
  lockPath: string,
  profileName: string,
  pid: number = process.pid,
): Promise<EngineLock> {
  await mkdir(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await tryCreate(lockPath, pid)) return heldLock(lockPath, pid);
    const owner = await readLockOwner(lockPath);
    if (owner === pid) return heldLock(lockPath, pid);
    if (owner !== undefined && isProcessAlive(owner)) {
      throw new ProfileError(
        `Profile "${profileName}" already has a running engine (pid ${owner}).`,
        `Stop it first with "kubedesk stop -p ${profileName}".`,
      );
    }
    if (owner === undefined && ((await ageMs(lockPath)) ?? Infinity) < FRESH_EMPTY_LOCK_MS) {
      // Created but not yet written by a racing starter: give it time to write its pid.
      await delay(50);
      continue;
    }
    await takeOverStale(lockPath, owner);
  }
  throw new ProfileError(
    `Could not take the engine lock ${lockPath}.`,
    'Another start of this profile is in progress; retry in a moment.',
  );
}

/** The pid recorded in a lock file, or undefined when there is none (or it is unreadable). */
export async function readLockOwner(lockPath: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(lockPath, 'utf8')).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function tryCreate(lockPath: string, pid: number): Promise<boolean> {
  try {
    await writeFile(lockPath, `${pid}\n`, { flag: 'wx', mode: 0o644 });
    return true;
  } catch (err) {
    if (isCode(err, 'EEXIST')) return false;
    throw err;
  }
}

async function takeOverStale(lockPath: string, staleOwner: number | undefined): Promise<void> {
  const marker = `${lockPath}.takeover`;
  if (!(await tryCreate(marker, process.pid))) {
    const age = await ageMs(marker);
    if (age !== undefined && age > TAKEOVER_STALE_MS) await rm(marker, { force: true });
    await delay(50);
    return;
  }
  try {
    // Only remove the lock if it still names the dead owner we saw; a racer may have replaced it.
    if ((await readLockOwner(lockPath)) === staleOwner) await rm(lockPath, { force: true });
  } finally {
    await rm(marker, { force: true });
  }
}

function heldLock(path: string, pid: number): EngineLock {
  return {
    path,
    async release() {
      if ((await readLockOwner(path)) === pid) await rm(path, { force: true });
    },
  };
}

async function ageMs(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
