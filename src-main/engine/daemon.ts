/**
 * The engine process of one profile: `daemon.ts --profile NAME`. Started detached by the CLI (or by
 * the app), with stdout and stderr going to `<profileDir>/engine.log`.
 *
 * Guarantees: at most one engine per profile runs (pid lock, stale locks taken over); engine.json
 * exists only while the API server answers `/readyz` to the admin certificate; SIGTERM or SIGINT
 * stop the cluster, remove engine.json and the lock, and exit 0. Progress and failures are logged
 * as engine events (see profiles/engine-log.ts) for starters to follow.
 */
import { fstatSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { ClusterOptions, RunningCluster } from './cluster';
import { startCluster } from './cluster';
import { waitForApiReady } from './profiles/api-probe';
import type { EngineLock } from './profiles/engine-lock';
import { acquireEngineLock } from './profiles/engine-lock';
import type { EngineEvent } from './profiles/engine-log';
import { formatEngineEvent } from './profiles/engine-log';
import { defaultProfileName, kubedeskHome, profilePaths } from './profiles/paths';
import { ensureProfilePki } from './profiles/pki';
import { ProfileError } from './profiles/profile-error';
import { findFreePort } from './profiles/free-port';
import {
  removeEngineInfo,
  requireProfileConfig,
  writeEngineInfo,
  writeProfileConfig,
} from './profiles/profile-store';
import type { ProfileConfig } from './profiles/types';

/** How long the engine's own API check may take once `startCluster` has returned. */
const API_READY_TIMEOUT_MS = 60_000;
/** How long a stop may wait for a start still in progress before giving up on it. */
const STOP_WAITS_FOR_START_MS = 15_000;
/** How long `cluster.stop()` may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 30_000;

let logIsFile: boolean | undefined;

/**
 * Writes one line to the engine log. When the log cannot be written (its disk is full) the line
 * is dropped and later lines go out again once there is space: a failed log write must never
 * become an error, because the error would be logged, fail, and loop forever.
 */
function writeLogLine(line: string): void {
  try {
    logIsFile ??= fstatSync(1).isFile();
    // Synchronous to a file so a failure is seen here, not as a stream 'error' later.
    if (logIsFile) writeSync(1, line);
    else process.stdout.write(line);
  } catch {
    // Nowhere to report it: the log is what failed.
  }
}

function emit(event: EngineEvent): void {
  writeLogLine(`${formatEngineEvent(event)}\n`);
}

function log(message: string): void {
  writeLogLine(`${new Date().toISOString()} ${message}\n`);
}

class EngineProcess {
  private lock: EngineLock | undefined;
  private cluster: RunningCluster | undefined;
  private starting: Promise<unknown> | undefined;
  private stopping: Promise<never> | undefined;
  private served = false;

  constructor(
    private readonly name: string,
    private readonly home: string,
    private readonly start: StartClusterFn,
  ) {}

  async run(): Promise<void> {
    const paths = profilePaths(this.name, this.home);
    emit({ type: 'phase', name: 'profile' });
    const config = await requireProfileConfig(this.name, this.home);
    this.lock = await acquireEngineLock(paths.lock, this.name);
    log(`engine pid ${process.pid} owns profile "${this.name}" (${paths.dir})`);
    // A previous engine killed hard may have left its engine.json behind.
    await removeEngineInfo(this.name, this.home);

    emit({ type: 'phase', name: 'pki' });
    const pki = await ensureProfilePki(paths.dir);

    emit({ type: 'phase', name: 'cluster' });
    const startOn = (settings: ProfileConfig) => {
      const start = this.start({
        config: settings,
        profileDir: paths.dir,
        pki,
        onPhase: (phase) => emit({ type: 'phase', name: phase }),
        log,
      });
      this.starting = start;
      return start;
    };
    try {
      this.cluster = await startOn(config);
    } catch (err) {
      if (!isAddressInUse(err) || this.stopping) throw err;
      // Another program took the port after the starter checked it: move rather than fail. The
      // starter reads the port from engine.json, so the kubeconfig follows.
      const moved = { ...config, apiServerPort: await findFreePort() };
      log(`port ${config.apiServerPort} was taken meanwhile; the API server moves to ${moved.apiServerPort}`);
      await writeProfileConfig(moved, this.home);
      this.cluster = await startOn(moved);
    }
    if (this.stopping) return;

    emit({ type: 'phase', name: 'api-ready' });
    await waitForApiReady(
      {
        port: this.cluster.port,
        caCertPem: pki.caCertPem,
        clientCertPem: pki.adminCertPem,
        clientKeyPem: pki.adminKeyPem,
      },
      API_READY_TIMEOUT_MS,
      () => (this.stopping ? 'stopping' : undefined),
    );
    if (this.stopping) return;

    await writeEngineInfo(
      this.name,
      { pid: process.pid, apiServerPort: this.cluster.port, startedAt: new Date().toISOString() },
      this.home,
    );
    this.served = true;
    emit({ type: 'ready', url: `https://127.0.0.1:${this.cluster.port}` });
  }

  /** True once engine.json is written: the API answers and clients may rely on it. */
  get serving(): boolean {
    return this.served;
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** Stops once, whatever asks first (signal or failure), then exits with `code`. */
  shutdown(reason: string, code: number): Promise<never> {
    this.stopping ??= this.doShutdown(reason, code);
    return this.stopping;
  }

  private async doShutdown(reason: string, code: number): Promise<never> {
    emit({ type: 'stopping', reason });
    try {
      // Without the lock the profile belongs to another engine, whose engine.json must stay.
      if (this.lock) await removeEngineInfo(this.name, this.home);
      if (!this.cluster && this.starting) {
        // Let an in-flight start finish so what it created is stopped cleanly, within reason.
        await withTimeout(
          this.starting.catch(() => undefined),
          STOP_WAITS_FOR_START_MS,
        );
      }
      if (this.cluster) {
        await withTimeout(this.cluster.stop(), STOP_TIMEOUT_MS, 'cluster stop');
      }
    } catch (err) {
      emit({ type: 'error', message: `while stopping: ${describe(err)}` });
      code = code || 1;
    } finally {
      await this.lock?.release().catch(() => undefined);
    }
    emit({ type: 'stopped' });
    process.exit(code);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what?: string): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      if (what) reject(new Error(`${what} did not finish within ${ms / 1000}s`));
      else resolve(undefined);
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

function isAddressInUse(err: unknown): boolean {
  for (let current: unknown = err, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') break;
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (code === 'EADDRINUSE' || (typeof message === 'string' && message.includes('EADDRINUSE'))) return true;
    current = cause;
  }
  return false;
}

function describe(err: unknown): string {
  if (err instanceof ProfileError) return err.hint ? `${err.message} ${err.hint}` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Starts a cluster for a profile; `startCluster` in production, a stand-in in tests of the CLI. */
export type StartClusterFn = (options: ClusterOptions) => Promise<RunningCluster>;

/**
 * Runs the engine process for `argv` (`--profile NAME`) until a signal stops it, then exits the
 * process: 0 after a requested stop, 1 when the start failed or the engine crashed.
 */
export async function runEngineProcess(argv: string[], start: StartClusterFn = startCluster): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { profile: { type: 'string', short: 'p' } },
    strict: true,
  });
  const name = values.profile ?? defaultProfileName();
  process.title = `kubedesk-engine ${name}`;
  const engine = new EngineProcess(name, kubedeskHome(), start);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void engine.shutdown(`received ${signal}`, 0));
  }
  // Detached from the starter's terminal: a hang-up of that terminal is no reason to stop.
  process.on('SIGHUP', () => log('ignoring SIGHUP'));
  // Before the cluster serves, a stray error means the start failed. Once it serves, one failing
  // connection or controller must not take every workload's API down: log it and carry on.
  const onStrayError = (kind: string, err: unknown) => {
    emit({
      type: 'error',
      message: `${kind}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    });
    if (!engine.serving) void engine.shutdown(kind, 1);
  };
  // Output that cannot be written (full disk, closed pipe) is dropped, never an uncaught error.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  process.on('uncaughtException', (err) => onStrayError('uncaught exception', err));
  process.on('unhandledRejection', (reason) => onStrayError('unhandled rejection', reason));

  try {
    await engine.run();
  } catch (err) {
    // A start cut short by a stop request is not a failure worth reporting.
    if (engine.isStopping) return;
    emit({ type: 'error', message: describe(err) });
    if (err instanceof Error && err.stack && !(err instanceof ProfileError)) log(err.stack);
    await engine.shutdown('start failed', 1);
  }
}

// Run only as the entry point, so tests can import runEngineProcess with a stand-in cluster.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runEngineProcess(process.argv.slice(2));
}
