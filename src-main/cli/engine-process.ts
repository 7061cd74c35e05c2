import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { EngineEvent } from '../engine/profiles/engine-log';
import { parseEngineEvent } from '../engine/profiles/engine-log';
import type { ProfilePaths } from '../engine/profiles/paths';
import { profilePaths } from '../engine/profiles/paths';
import { isProcessAlive } from '../engine/profiles/process-alive';
import { readProfileStatus, removeEngineInfo } from '../engine/profiles/profile-store';
import { readLockOwner } from '../engine/profiles/engine-lock';
import { CliError } from './cli-error';

const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.mjs', import.meta.url));
const DAEMON = fileURLToPath(new URL('../engine/daemon.ts', import.meta.url));
/** Defined (true) only in the bundle made by scripts/bundle-node.mjs. */
declare const KUBEDESK_BUNDLED: boolean | undefined;
/** The bundled CLI starts the engine bundled with it: no TypeScript to compile at start. */
const ENGINE_BUNDLE =
  typeof KUBEDESK_BUNDLED !== 'undefined' && KUBEDESK_BUNDLED
    ? fileURLToPath(new URL('../../dist/node/engine.mjs', import.meta.url))
    : undefined;
/** engine.log is rotated to engine.log.1 at start once it passes this size. */
const LOG_ROTATE_BYTES = 5 * 1024 * 1024;

/** A freshly spawned engine and where its output for this start begins in engine.log. */
export interface SpawnedEngine {
  pid: number;
  child: ChildProcess;
  logOffset: number;
  /** Set once the process has exited (code or signal). */
  exit?: { code: number | null; signal: NodeJS.Signals | null };
}

/**
 * Starts the engine of profile `name` as a detached process that outlives the CLI: Node runs
 * `bin/run-ts.mjs src-main/engine/daemon.ts --profile NAME` (or `$KUBEDESK_ENGINE_ENTRY` instead of
 * daemon.ts, for development; from the bundled CLI, dist/node/engine.mjs built with it), in its
 * own session, with stdout and stderr appended to engine.log.
 */
export async function spawnEngine(
  name: string,
  home: string,
  env: NodeJS.ProcessEnv,
): Promise<SpawnedEngine> {
  const paths = profilePaths(name, home);
  await rotateLog(paths.log);
  const fd = openSync(paths.log, 'a', 0o644);
  let logOffset: number;
  let child: ChildProcess;
  try {
    logOffset = (await stat(paths.log)).size;
    const entry = env.KUBEDESK_ENGINE_ENTRY?.trim();
    const program = entry ? [RUN_TS, entry] : ENGINE_BUNDLE ? [ENGINE_BUNDLE] : [RUN_TS, DAEMON];
    child = spawn(process.execPath, [...program, '--profile', name], {
      detached: true,
      stdio: ['ignore', fd, fd],
      // Inside the desktop app execPath is Electron, which runs as plain Node only when told so.
      env: {
        ...env,
        KUBEDESK_HOME: home,
        ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}),
      },
      windowsHide: true,
    });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) {
    const error = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(`could not run ${process.execPath}: ${error.message}`);
  }
  const spawned: SpawnedEngine = { pid, child, logOffset };
  child.once('exit', (code, signal) => (spawned.exit = { code, signal }));
  child.unref();
  return spawned;
}

async function rotateLog(path: string): Promise<void> {
  try {
    if ((await stat(path)).size > LOG_ROTATE_BYTES) await rename(path, `${path}.1`);
  } catch {
    // No log yet, or it vanished meanwhile: nothing to rotate.
  }
}

/** Reads engine events appended to a log since an offset, one complete line at a time. */
export class LogFollower {
  private partial = '';

  constructor(
    private readonly path: string,
    private offset: number,
  ) {}

  /** Events (and the raw lines) written since the last call. */
  async poll(): Promise<{ events: EngineEvent[]; lines: string[] }> {
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch {
      return { events: [], lines: [] };
    }
    try {
      const { size } = await handle.stat();
      if (size < this.offset) this.offset = 0;
      if (size === this.offset) return { events: [], lines: [] };
      const buffer = Buffer.alloc(size - this.offset);
      await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset = size;
      const text = this.partial + buffer.toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      const events = lines.map(parseEngineEvent).filter((event): event is EngineEvent => event !== undefined);
      return { events, lines };
    } finally {
      await handle.close();
    }
  }
}

/** The last `count` lines of the log from `offset` on (the output of one start), for error reports. */
export async function logTail(path: string, offset: number, count: number): Promise<string[]> {
  const follower = new LogFollower(path, offset);
  const { lines } = await follower.poll();
  return lines.filter((line) => line.trim() !== '').slice(-count);
}

/** What stopping an engine came to. */
export type StopOutcome = 'not-running' | 'stopped' | 'killed';

/**
 * Stops the engine of a profile: SIGTERM, then SIGKILL if it has not exited after `timeoutMs`.
 * Leaves no engine.json or lock of a dead engine behind. State (config, PKI, database) is kept.
 */
export async function stopEngine(name: string, home: string, timeoutMs: number): Promise<StopOutcome> {
  const paths = profilePaths(name, home);
  const status = await readProfileStatus(name, home);
  if (status.state === 'Stopped' || status.pid === undefined) {
    await clearStaleFiles(name, home, paths);
    return 'not-running';
  }
  const pid = status.pid;
  signal(pid, 'SIGTERM');
  if (await waitForExit(pid, timeoutMs)) {
    await clearStaleFiles(name, home, paths);
    return 'stopped';
  }
  signal(pid, 'SIGKILL');
  if (!(await waitForExit(pid, 5_000))) {
    throw new CliError(
      `The engine (pid ${pid}) of profile "${name}" did not exit within 5s of SIGKILL.`,
      'It may be stuck in the kernel (a hung disk or Docker socket); check it with ps and retry.',
    );
  }
  await clearStaleFiles(name, home, paths);
  return 'killed';
}

/** Waits until `pid` is gone; false on timeout. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone: waitForExit will see it.
  }
}

async function clearStaleFiles(name: string, home: string, paths: ProfilePaths): Promise<void> {
  const owner = await readLockOwner(paths.lock);
  if (owner === undefined || !isProcessAlive(owner)) {
    await removeEngineInfo(name, home);
    await rm(paths.lock, { force: true });
  }
}
