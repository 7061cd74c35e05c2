import type { Command } from 'commander';
import { requireProfileConfig } from '../../engine/profiles/profile-store';
import { CliError } from '../cli-error';
import { commandContext, printJson } from '../context';
import { parseOutputFormat } from '../flags';
import type { CliIo } from '../io';
import type { ProfileView } from '../profile-view';
import { viewProfile } from '../profile-view';

/** Exit code of `status` when the profile exists but does not run (scripts can test `status`). */
export const NOT_RUNNING_EXIT_CODE = 7;

/** `kubedesk status`: state, API server, nodes and engine pid of one profile. */
export function registerStatus(program: Command, io: CliIo): void {
  program
    .command('status')
    .description('Show whether a cluster runs, its API server URL, nodes and engine pid')
    .option('-o, --output <format>', 'text or json', parseOutputFormat, 'text')
    .action(async (options: { output: 'text' | 'json' }, command: Command) => {
      const { home, profile, kubeconfig } = commandContext(io, command);
      const view = await viewProfile(await requireProfileConfig(profile, home), home, kubeconfig);
      if (options.output === 'json') printJson(io, view);
      else io.out(formatStatus(view));
      if (view.state !== 'Running') {
        // Silent: the state was printed above; the code only tells scripts.
        throw new CliError('', undefined, NOT_RUNNING_EXIT_CODE);
      }
    });
}

/** The text form of `status`. */
export function formatStatus(view: ProfileView): string {
  const lines: [string, string][] = [
    ['profile', view.name],
    ['state', view.state],
  ];
  if (view.state === 'Running') {
    lines.push(['apiserver', `${view.apiServerUrl} (${view.apiServerReady ? 'ready' : 'not answering'})`]);
  } else {
    lines.push(['apiserver', `${view.apiServerUrl} (${view.state === 'Starting' ? 'starting' : 'stopped'})`]);
  }
  const listed =
    view.nodesListed !== undefined ? ` (${view.nodesListed} registered, ${view.nodesReady ?? 0} Ready)` : '';
  lines.push(['nodes', `${view.nodes}${listed}`]);
  for (const problem of view.problems ?? []) lines.push(['problem', problem]);
  if (view.pid !== undefined) lines.push(['pid', String(view.pid)]);
  lines.push(['kubeconfig', `context "${view.context}"${view.currentContext ? ' (current)' : ''}`]);
  lines.push(['kubernetes', view.kubernetesVersion]);
  return lines.map(([key, value]) => `${`${key}:`.padEnd(12)}${value}\n`).join('');
}
