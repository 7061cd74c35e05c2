import { spawn } from 'node:child_process';
import type { V1Service } from '@kubernetes/client-node';
import type { Command } from 'commander';
import { apiGet } from '../../engine/profiles/api-probe';
import { hostUrls, NoHostPortError } from '../../engine/network/service-urls';
import { requireProfileConfig } from '../../engine/profiles/profile-store';
import { CliError } from '../cli-error';
import { commandContext } from '../context';
import type { CliIo } from '../io';
import { adminEndpoint } from '../profile-view';

/**
 * `kubedesk service NAME [-n NS] [--url]`: prints the URLs that reach a NodePort or
 * LoadBalancer Service from this machine (they work at once: the engine listens on them
 * while the cluster runs) and, without `--url`, opens the first one in the browser.
 */
export function registerService(program: Command, io: CliIo): void {
  program
    .command('service')
    .description('Print the URLs of a NodePort or LoadBalancer Service, or open it in the browser')
    .argument('<name>', 'the Service')
    .option('-n, --namespace <namespace>', 'the Service namespace', 'default')
    .option('--url', 'print the URLs and exit instead of opening a browser', false)
    .action(async (name: string, options: { namespace: string; url: boolean }, command: Command) => {
      const { home, profile } = commandContext(io, command);
      const config = await requireProfileConfig(profile, home);
      const endpoint = await adminEndpoint(profile, home, config.apiServerPort);
      if (!endpoint)
        throw new CliError(
          `Profile "${profile}" has no credentials.`,
          `Run \`kubedesk start -p ${profile}\`.`,
        );
      const path = `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/services/${encodeURIComponent(name)}`;
      const answer = await apiGet(endpoint, path, 5_000);
      if ('error' in answer) {
        throw new CliError(
          `Profile "${profile}" is not running (${answer.error}).`,
          `Start it with \`kubedesk start -p ${profile}\`.`,
        );
      }
      if (answer.status === 404) {
        throw new CliError(
          `Service "${name}" not found in namespace "${options.namespace}".`,
          'List Services with `kubectl get services -A`.',
        );
      }
      if (answer.status !== 200)
        throw new CliError(`Reading Service "${name}" failed (HTTP ${answer.status}).`);
      let urls: ReturnType<typeof hostUrls>;
      try {
        urls = hostUrls(JSON.parse(answer.body) as V1Service);
      } catch (error) {
        if (error instanceof NoHostPortError) {
          throw new CliError(
            `${error.message}.`,
            `Expose it with \`kubectl expose\` or \`kubectl patch service ${name} -n ${options.namespace} -p '{"spec":{"type":"NodePort"}}'\`.`,
          );
        }
        throw error;
      }
      for (const { url } of urls) io.out(`${url}\n`);
      if (!options.url) openInBrowser(urls[0].url);
    });
}

function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  // A missing opener is not an error: the URL was printed.
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}
