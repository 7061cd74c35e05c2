/**
 * Stops and starts the machine's Docker engine for the dockerd-restart fault test: through
 * systemd where it manages Docker, else by signalling the `dockerd` process (as the test setup
 * starts it) and starting it again with the same command line. Containers stop with the engine
 * (no live-restore), as they do when a user restarts Docker.
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { alive, docker, run, waitFor } from './harness';

const PID_FILE = '/var/run/docker.pid';
const LOG_FILE = '/var/log/kubedesk-test-dockerd.log';

export interface DockerEngineControl {
  /** Stops the engine; resolves once it no longer answers. */
  stop(): Promise<void>;
  /** Starts it again; resolves once it answers. */
  start(): Promise<void>;
}

/** How this machine's Docker engine can be restarted, or why it cannot. */
export async function dockerEngineControl(): Promise<DockerEngineControl | string> {
  const systemd = await run('systemctl', ['is-active', 'docker'], { timeout: 10_000 });
  if (systemd.code === 0 && systemd.stdout.trim() === 'active') {
    return {
      stop: async () => {
        await systemctl('stop', 'docker.socket', 'docker');
        await waitForAnswer(false);
      },
      start: async () => {
        await systemctl('start', 'docker');
        await waitForAnswer(true);
      },
    };
  }
  const pid = Number.parseInt((await readFile(PID_FILE, 'utf8').catch(() => '')).trim(), 10);
  if (!Number.isFinite(pid) || !alive(pid)) return `no running dockerd found through ${PID_FILE}`;
  const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
  if (process.getuid?.() !== 0) return 'restarting dockerd needs root';
  return {
    stop: async () => {
      process.kill(pid, 'SIGTERM');
      // dockerd stops every container first (up to their stop timeout).
      await waitFor('dockerd to exit', async () => !alive(pid), 90_000, 200);
      await waitForAnswer(false);
    },
    start: async () => {
      const log = openSync(LOG_FILE, 'a');
      const child = spawn(argv[0] ?? 'dockerd', argv.slice(1), {
        detached: true,
        stdio: ['ignore', log, log],
      });
      child.unref();
      await waitForAnswer(true);
    },
  };
}

async function systemctl(...args: string[]): Promise<void> {
  const result = await run('systemctl', args, { timeout: 120_000 });
  if (result.code !== 0) throw new Error(`systemctl ${args.join(' ')}: ${result.stderr.trim()}`);
}

async function waitForAnswer(answering: boolean): Promise<void> {
  await waitFor(
    answering ? 'the Docker engine to answer' : 'the Docker engine to stop answering',
    async () => ((await docker('info', '--format', '{{.ID}}')).code === 0) === answering,
    90_000,
    250,
  );
}
