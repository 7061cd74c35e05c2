import type { Readable, Writable } from 'node:stream';
import type { StreamSession } from '../../../runtime/types';
import type { StatusObject } from '../../status';

/** A Status as the remote-command error stream carries it (`code` is absent for exit codes). */
export type CommandFailure = Omit<StatusObject, 'code'> & { code?: number };

/** The outcome reported on the error stream: success, or a Status describing the failure. */
export type CommandStatus =
  { kind: 'Status'; apiVersion: 'v1'; metadata: Record<string, never>; status: 'Success' } | CommandFailure;

/** A transport's view of one exec/attach session, independent of WebSocket or SPDY. */
export interface CommandChannels {
  /** Data the client types (absent when stdin was not requested). */
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  onResize(listener: (size: { width: number; height: number }) => void): void;
  /** Resolves when the client went away. */
  gone: Promise<void>;
  /** Reports the outcome as the negotiated protocol version words it, then closes. */
  finish(status: CommandStatus): Promise<void>;
}

export const SUCCESS: CommandStatus = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };

/**
 * The Status the kubelet reports for a command that exited with `code` ≠ 0: reason
 * NonZeroExitCode, the code as an ExitCode cause (kubectl exits with it), and the runtime's
 * words in the message.
 */
export function nonZeroExit(code: number, command: string[]): CommandFailure {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** What the kubelet reports when the runtime could not run the command at all. */
function internalError(message: string): CommandFailure {
  const cause = `error executing command in container: ${message}`;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${cause}`,
    reason: 'InternalError',
    details: { causes: [{ message: cause }] },
    code: 500,
  };
}

/** Resolves when everything piped into `destination` has been written (or it was torn down). */
function copy(source: Readable, destination: Writable): Promise<void> {
  return new Promise((resolve) => {
    source.pipe(destination);
    destination.once('finish', () => resolve());
    destination.once('close', () => resolve());
    destination.once('error', () => resolve());
  });
}

/** Reads and drops a stream to its end. */
function drain(source: Readable): Promise<void> {
  return new Promise((resolve) => {
    source.once('end', () => resolve());
    source.once('close', () => resolve());
    source.once('error', () => resolve());
    source.resume();
  });
}

/**
 * Runs one exec or attach over `channels`: starts the process, wires stdin, output and
 * resize, and once the output is complete reports Success or the exit code (exec) before
 * closing. When the client goes away first, the process's streams are closed.
 */
export async function runRemoteCommand(
  mode: 'exec' | 'attach',
  command: string[],
  start: () => Promise<StreamSession>,
  channels: CommandChannels,
): Promise<void> {
  let session: StreamSession;
  try {
    session = await start();
  } catch (error) {
    await channels.finish(internalError(error instanceof Error ? error.message : String(error)));
    return;
  }
  channels.onResize((size) => void session.resize(size).catch(() => undefined));
  const stdin = session.stdin;
  if (channels.stdin && stdin) {
    channels.stdin.pipe(stdin);
    stdin.on('error', () => undefined);
  }
  // The process is over when its output ends, whether or not the client reads it.
  const outputs: Promise<void>[] = [
    channels.stdout ? copy(session.stdout, channels.stdout) : drain(session.stdout),
  ];
  if (session.stderr)
    outputs.push(channels.stderr ? copy(session.stderr, channels.stderr) : drain(session.stderr));
  const done = Promise.all(outputs).then(async () => (mode === 'exec' ? await session.exitCode : 0));
  const outcome = await Promise.race([done.then((code) => ({ code })), channels.gone.then(() => undefined)]);
  if (!outcome) {
    session.close();
    return;
  }
  await channels.finish(outcome.code === 0 ? SUCCESS : nonZeroExit(outcome.code, command));
  session.close();
}
