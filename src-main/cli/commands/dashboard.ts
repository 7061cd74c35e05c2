import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { spawn } from 'node:child_process';
import { CliError } from '../cli-error';
import { commandContext } from '../context';
import type { CliIo } from '../io';

interface DashboardOptions {
  port?: number;
  open: boolean;
  rebuild?: boolean;
}

/**
 * `kubedesk dashboard`: serves the dashboard on 127.0.0.1 with a per-session token, prints its URL
 * and (unless --no-open) opens it in the browser. Runs until interrupted.
 */
export function registerDashboard(program: Command, io: CliIo): void {
  program
    .command('dashboard')
    .description('Open the dashboard in the browser (served on 127.0.0.1 with a one-time token)')
    .option('--port <n>', 'port to serve on (default: a free one)', parsePort)
    .option('--no-open', 'print the URL without opening a browser')
    .option('--rebuild', 'build the dashboard again before serving it')
    .action(async (options: DashboardOptions, command: Command) => {
      const ctx = commandContext(io, command, false);
      // Loaded here: the server, the Kubernetes client and Vite are only needed by this command.
      const [{ Backend }, { startDashboardServer }, { ensureRendererBuilt }] = await Promise.all([
        import('../../app/backend'),
        import('../../app/server/dashboard-server'),
        import('../../app/server/renderer-build'),
      ]);
      const staticDir = await ensureRendererBuilt(options.rebuild, (line) => io.err(`${line}\n`));
      const backend = new Backend({ env: io.env, mode: 'browser' });
      const server = await startDashboardServer({ backend, staticDir, port: options.port ?? 0 }).catch(
        (err: unknown) => {
          throw new CliError(
            `Cannot serve the dashboard: ${err instanceof Error ? err.message : String(err)}.`,
            'Choose another port with --port N.',
          );
        },
      );
      // Straight to the profile's views when it exists; the clusters page otherwise.
      const { readProfileConfig } = await import('../../engine/profiles/profile-store');
      const exists = await readProfileConfig(ctx.profile, ctx.home).then(Boolean, () => false);
      const url = exists
        ? `${server.url}#/c/${encodeURIComponent(`profile:${ctx.profile}`)}/pods`
        : `${server.url}#/`;
      io.out(`Dashboard: ${url}\n`);
      io.out(`Serving on 127.0.0.1:${server.port} (profiles in ${ctx.home}); press Ctrl-C to stop.\n`);
      if (options.open) openBrowser(url, io);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a port: use a whole number from 0 to 65535.`);
  }
  return port;
}

function openBrowser(url: string, io: CliIo): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer.exe' : 'xdg-open';
  try {
    const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => io.err(`! Could not open a browser; open the URL above yourself.\n`));
    child.unref();
  } catch {
    io.err(`! Could not open a browser; open the URL above yourself.\n`);
  }
}
