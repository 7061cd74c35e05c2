import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { waitForApiReady } from '../../engine/profiles/api-probe';
import { writeKubeconfigEntry } from '../../engine/profiles/kubeconfig';
import { profilePaths } from '../../engine/profiles/paths';
import { isProcessAlive } from '../../engine/profiles/process-alive';
import {
  createProfile,
  readEngineInfo,
  readProfileConfig,
  readProfileStatus,
  requireProfileConfig,
  writeProfileConfig,
} from '../../engine/profiles/profile-store';
import { ProfileExistsError } from '../../engine/profiles/profile-error';
import type { ProfileConfig, ProfilePki } from '../../engine/profiles/types';
import { CliError } from '../cli-error';
import type { CommandContext } from '../context';
import { commandContext } from '../context';
import type { SpawnedEngine } from '../engine-process';
import { LogFollower, logTail, spawnEngine } from '../engine-process';
import { parseCpus, parseMemoryMiB, parseNodeCount, parseSeconds } from '../flags';
import { findFreePort, isPortFree } from '../../engine/profiles/free-port';
import type { CliIo } from '../io';
import { adminEndpoint } from '../profile-view';
import { Progress, phaseLabel } from '../progress';

interface StartOptions {
  nodes?: number;
  cpus?: number;
  memory?: number;
  waitTimeout: number;
}

/** How the daemon reports that the profile's lock is held (see acquireEngineLock). */
const RIVAL_ENGINE = /already has a running engine \(pid (\d+)\)/;

/** Lines of engine.log shown when the engine dies during a start. */
const TAIL_LINES = 20;

/** `kubedesk start`: create the profile on first use, run its engine, wait for it, set the context. */
export function registerStart(program: Command, io: CliIo): void {
  program
    .command('start')
    .description('Start a local cluster (creating the profile on first use) and point kubectl at it')
    .option('--nodes <n>', 'number of nodes (when the profile is created)', parseNodeCount)
    .option('--cpus <n>', 'CPU cap per node, in cores (when the profile is created)', parseCpus)
    .option(
      '--memory <MiB>',
      'memory cap per node: MiB, or with a unit such as 4g (when created)',
      parseMemoryMiB,
    )
    .option('--wait-timeout <seconds>', 'how long to wait for the API server to answer', parseSeconds, 300)
    .action((options: StartOptions, command: Command) => runStart(commandContext(io, command), options));
}

async function runStart(ctx: CommandContext, options: StartOptions): Promise<void> {
  const { io, home, profile: name } = ctx;
  // Loaded here so commands that never touch certificates start without the X.509 library.
  const { ensureProfilePki } = await import('../../engine/profiles/pki');
  const deadline = Date.now() + options.waitTimeout * 1000;
  const progress = new Progress(io);
  const status = await readProfileStatus(name, home);
  const existing = await readProfileConfig(name, home);

  if (existing && status.state === 'Running' && status.engine) {
    warnIgnoredSettings(ctx, existing, options);
    await reportAlreadyRunning(ctx, existing, status.engine.apiServerPort);
    return;
  }

  let config: ProfileConfig;
  let engine: { pid: number; spawned?: SpawnedEngine; logOffset: number };
  const paths = profilePaths(name, home);

  if (existing && status.state === 'Starting' && status.pid !== undefined) {
    // Another start is under way: follow that engine instead of racing it.
    io.out(`Profile "${name}" is already starting (engine pid ${status.pid}); waiting for it.\n`);
    config = existing;
    engine = { pid: status.pid, logOffset: await fileSize(paths.log) };
  } else {
    progress.step(`Preparing profile "${name}"`);
    config = existing ? await reuseProfile(ctx, existing, options, progress) : await newProfile(ctx, options);
    await ensureProfilePki(paths.dir);
    progress.done(
      existing ? `Preparing profile "${name}"` : `Created profile "${name}" (${describeSize(config)})`,
    );

    progress.step('Starting control plane');
    const spawned = await spawnEngine(name, home, io.env);
    progress.done(`Starting control plane (engine pid ${spawned.pid}, log ${paths.log})`);
    engine = { pid: spawned.pid, spawned, logOffset: spawned.logOffset };
  }

  // The engine is detached, so Ctrl-C only ends the waiting; say what keeps running.
  const onInterrupt = () => {
    io.err(
      `\nStopped waiting. The engine (pid ${engine.pid}) goes on starting in the background: ` +
        `see "kubedesk status -p ${name}", or stop it with "kubedesk stop -p ${name}".\n`,
    );
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  const { port, pid } = await followEngine(ctx, engine, progress, deadline).finally(() =>
    process.off('SIGINT', onInterrupt),
  );
  const pki = await ensureProfilePki(paths.dir);
  await waitForApiReady(endpointOf(port, pki), Math.max(1_000, deadline - Date.now()), () =>
    isProcessAlive(pid) ? undefined : `the engine (pid ${pid}) exited`,
  ).catch((err: unknown) => {
    throw new CliError(
      err instanceof Error ? err.message : String(err),
      `See ${paths.log}; stop the engine with "kubedesk stop -p ${name}".`,
    );
  });
  progress.note(`API server answering on https://127.0.0.1:${port}`);

  await writeKubeconfigEntry(kubeconfigEntry(name, port, pki), { path: ctx.kubeconfig });
  progress.note(`Kubeconfig context "${name}" set as current (${ctx.kubeconfig})`);
  io.out(`Done! kubectl is now configured to use "${name}"\n`);
}

async function newProfile(ctx: CommandContext, options: StartOptions): Promise<ProfileConfig> {
  try {
    return await createProfile(
      {
        name: ctx.profile,
        apiServerPort: await findFreePort(),
        nodes: options.nodes ?? 1,
        ...(options.cpus !== undefined ? { cpus: options.cpus } : {}),
        ...(options.memory !== undefined ? { memoryMiB: options.memory } : {}),
      },
      ctx.home,
    );
  } catch (err) {
    if (!(err instanceof ProfileExistsError)) throw err;
    // A concurrent start created it a moment ago; whichever engine takes the lock is followed.
    return requireProfileConfig(ctx.profile, ctx.home);
  }
}

/** Size flags only apply when a profile is created; say so rather than silently ignore them. */
function warnIgnoredSettings(ctx: CommandContext, config: ProfileConfig, options: StartOptions): void {
  const ignored: string[] = [];
  if (options.nodes !== undefined && options.nodes !== config.nodes) {
    ignored.push(`--nodes (has ${config.nodes})`);
  }
  if (options.cpus !== undefined && options.cpus !== config.cpus) {
    ignored.push(`--cpus (has ${config.cpus ?? 'no cap'})`);
  }
  if (options.memory !== undefined && options.memory !== config.memoryMiB) {
    ignored.push(`--memory (has ${config.memoryMiB !== undefined ? `${config.memoryMiB} MiB` : 'no cap'})`);
  }
  if (ignored.length > 0) {
    ctx.io.err(
      `! Profile "${config.name}" already exists; ignoring ${ignored.join(', ')}. ` +
        `Delete it with "kubedesk delete -p ${config.name}" to create it anew with other settings.\n`,
    );
  }
}

/** An existing profile keeps its size; its port moves only if something else took it meanwhile. */
async function reuseProfile(
  ctx: CommandContext,
  config: ProfileConfig,
  options: StartOptions,
  progress: Progress,
): Promise<ProfileConfig> {
  warnIgnoredSettings(ctx, config, options);
  if (await isPortFree(config.apiServerPort)) return config;
  const moved = { ...config, apiServerPort: await findFreePort() };
  await writeProfileConfig(moved, ctx.home);
  progress.note(
    `Port ${config.apiServerPort} is in use by another program; the API server moves to port ${moved.apiServerPort}`,
  );
  return moved;
}

/**
 * Prints the engine's phases as they happen until it reports ready; returns the API server port.
 * Fails with the engine's last log lines if it exits first, or with what it waited for on timeout.
 */
async function followEngine(
  ctx: CommandContext,
  started: { pid: number; spawned?: SpawnedEngine; logOffset: number },
  progress: Progress,
  deadline: number,
): Promise<{ port: number; pid: number }> {
  const { profile: name, home } = ctx;
  let engine = started;
  const paths = profilePaths(name, home);
  const follower = new LogFollower(paths.log, engine.logOffset);
  let lastPhase = 'starting the engine process';
  let lastError: string | undefined;
  for (;;) {
    const exited = engine.spawned ? engine.spawned.exit : isProcessAlive(engine.pid) ? undefined : {};
    const { events } = await follower.poll();
    for (const event of events) {
      if (event.type === 'phase') {
        lastPhase = phaseLabel(event.name);
        progress.step(lastPhase);
      } else if (event.type === 'error') {
        lastError = event.message;
      } else if (event.type === 'ready') {
        progress.done();
        const info = await readEngineInfo(name, home);
        const port = info?.pid === engine.pid ? info.apiServerPort : Number(new URL(event.url).port);
        return { port, pid: engine.pid };
      }
    }
    const rival = exited && lastError ? RIVAL_ENGINE.exec(lastError) : null;
    if (rival && isProcessAlive(Number(rival[1]))) {
      // A concurrent start won the profile's lock: its engine is the one to wait for. Both
      // engines log to the same file, so the follower goes on reading the winner's events.
      engine = { pid: Number(rival[1]), logOffset: engine.logOffset };
      lastError = undefined;
      const info = await readEngineInfo(name, home);
      if (info?.pid === engine.pid) return { port: info.apiServerPort, pid: engine.pid };
      continue;
    }
    if (exited) {
      progress.fail();
      const code = 'code' in exited && exited.code !== null ? ` with code ${exited.code}` : '';
      const signal = 'signal' in exited && exited.signal ? ` by ${exited.signal}` : '';
      throw new CliError(
        `The engine stopped during start (${lastPhase}): ${lastError ?? `it exited${code}${signal}`}.`,
        `Full log: ${paths.log}.`,
        1,
        (await logTail(paths.log, engine.logOffset, TAIL_LINES)).map((line) => `  ${line}`).join('\n'),
      );
    }
    if (Date.now() >= deadline) {
      progress.fail();
      throw new CliError(
        `Timed out waiting for the engine (pid ${engine.pid}) to report its API server ready; last phase: ${lastPhase}.`,
        `It may still finish: check "kubedesk status -p ${name}" and ${paths.log}, or stop it with "kubedesk stop -p ${name}".`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function reportAlreadyRunning(ctx: CommandContext, config: ProfileConfig, port: number): Promise<void> {
  const endpoint = await adminEndpoint(config.name, ctx.home, port);
  const answering = endpoint
    ? await waitForApiReady(endpoint, 3_000).then(
        () => true,
        () => false,
      )
    : false;
  if (!answering) {
    throw new CliError(
      `Profile "${config.name}" has a running engine, but its API server at https://127.0.0.1:${port} does not answer.`,
      `Restart it with "kubedesk stop -p ${config.name}" then "kubedesk start -p ${config.name}".`,
    );
  }
  ctx.io.out(
    `Profile "${config.name}" is already running (API server https://127.0.0.1:${port}); nothing to do.\n`,
  );
}

function endpointOf(port: number, pki: ProfilePki) {
  return { port, caCertPem: pki.caCertPem, clientCertPem: pki.adminCertPem, clientKeyPem: pki.adminKeyPem };
}

function kubeconfigEntry(name: string, port: number, pki: ProfilePki) {
  return {
    name,
    server: `https://127.0.0.1:${port}`,
    certificateAuthority: pki.files.caCert,
    clientCertificate: pki.files.adminCert,
    clientKey: pki.files.adminKey,
  };
}

function describeSize(config: ProfileConfig): string {
  const parts = [`${config.nodes} node${config.nodes === 1 ? '' : 's'}`];
  if (config.cpus !== undefined) parts.push(`${config.cpus} CPUs`);
  if (config.memoryMiB !== undefined) parts.push(`${config.memoryMiB} MiB`);
  return parts.join(', ');
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
