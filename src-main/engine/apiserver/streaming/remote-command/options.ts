import { badRequest } from '../../status';

/** What an exec or attach request asks for (Kubernetes' PodExecOptions / PodAttachOptions). */
export interface CommandOptions {
  container?: string;
  /** Empty for attach. */
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === 'true' || value === '1';
}

/**
 * Reads the query of an exec/attach request. Like the kubelet, stderr is dropped with a
 * TTY (the terminal merges it into stdout).
 */
export function parseCommandOptions(query: URLSearchParams, mode: 'exec' | 'attach'): CommandOptions {
  const tty = flag(query, 'tty');
  const options: CommandOptions = {
    container: query.get('container') || undefined,
    command: mode === 'exec' ? query.getAll('command') : [],
    stdin: flag(query, 'stdin'),
    stdout: flag(query, 'stdout'),
    stderr: flag(query, 'stderr') && !tty,
    tty,
  };
  if (mode === 'exec' && options.command.length === 0) {
    throw badRequest('you must specify at least one command for the container');
  }
  if (!options.stdin && !options.stdout && !flag(query, 'stderr')) {
    throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  }
  return options;
}
