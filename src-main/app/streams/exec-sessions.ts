import { randomUUID } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import { CoreV1Api, Exec } from '@kubernetes/client-node';
import type { KubeConfig, V1Status } from '@kubernetes/client-node';
import type { Session } from '../../ipc/contract';
import { kubedeskError } from '../../ipc/errors';
import type { ExecStartRequest, ExecStarted } from '../../ipc/exec';

const SHELLS = ['/bin/bash', '/bin/sh'];

/** A stdout that carries the terminal size, so client-node sends resize messages. */
class TerminalOutput extends Writable {
  columns: number;
  rows: number;

  constructor(
    cols: number,
    rows: number,
    private readonly onData: (data: string) => void,
  ) {
    super({ decodeStrings: true });
    this.columns = cols;
    this.rows = rows;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.onData(chunk.toString('utf8'));
    callback();
  }

  resize(cols: number, rows: number): void {
    this.columns = cols;
    this.rows = rows;
    this.emit('resize');
  }
}

interface ExecSession {
  stdin: PassThrough;
  output: TerminalOutput;
  close(): void;
}

/** Runs `command` without a terminal and tells whether it exited 0 (output discarded). */
async function succeeds(config: KubeConfig, request: ExecStartRequest, command: string[]): Promise<boolean> {
  const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  return new Promise<boolean>((resolve) => {
    new Exec(config)
      .exec(request.namespace, request.pod, request.container, command, sink, sink, null, false, (status) =>
        resolve(status.status === 'Success'),
      )
      .then((ws) => ws.on('close', () => setTimeout(() => resolve(false), 200)))
      .catch(() => resolve(false));
  });
}

/** Why a container cannot take a shell now, or undefined when it runs. */
async function notRunning(config: KubeConfig, request: ExecStartRequest): Promise<string | undefined> {
  const pod = await config.makeApiClient(CoreV1Api).readNamespacedPod({
    name: request.pod,
    namespace: request.namespace,
  });
  const status = pod.status?.containerStatuses?.find((s) => s.name === request.container);
  if (!status) return `container ${request.container} has not started in pod ${request.pod}`;
  if (status.state?.running) return undefined;
  const terminated = status.state?.terminated;
  if (terminated)
    return `container ${request.container} has exited (${terminated.reason ?? 'Terminated'}, exit code ${terminated.exitCode})`;
  return `container ${request.container} is waiting (${status.state?.waiting?.reason ?? 'not started'})`;
}

function exitCodeOf(status: V1Status): number {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  return cause?.message ? Number(cause.message) : 1;
}

/**
 * Interactive shells in containers for connected dashboards, over the API server's exec
 * (client-node). Output goes out as `exec.output`, the end as `exec.exit`; sessions end
 * with their dashboard.
 */
export class ExecSessions {
  private readonly sessions = new Map<string, ExecSession>();

  async start(session: Session, config: KubeConfig, request: ExecStartRequest): Promise<ExecStarted> {
    const why = await notRunning(config, request);
    if (why) throw kubedeskError('BadRequest', `Cannot open a shell: ${why}.`);
    let shell = request.shell;
    if (shell === 'auto') {
      const found = [];
      for (const candidate of SHELLS) {
        if (await succeeds(config, request, [candidate, '-c', 'exit 0'])) {
          found.push(candidate);
          break;
        }
      }
      if (!found[0])
        throw kubedeskError(
          'BadRequest',
          `Cannot open a shell: container ${request.container} has neither /bin/bash nor /bin/sh.`,
        );
      shell = found[0];
    }
    const sessionId = randomUUID();
    const stdin = new PassThrough();
    const output = new TerminalOutput(request.cols, request.rows, (data) =>
      session.push('exec.output', { sessionId, data }),
    );
    let ended = false;
    const end = (payload: { code?: number; message?: string }) => {
      if (ended) return;
      ended = true;
      this.sessions.delete(sessionId);
      session.push('exec.exit', { sessionId, ...payload });
    };
    const ws = await new Exec(config).exec(
      request.namespace,
      request.pod,
      request.container,
      [shell],
      output,
      null,
      stdin,
      true,
      (status) =>
        end(
          status.status === 'Success' || status.details?.causes?.some((c) => c.reason === 'ExitCode')
            ? { code: exitCodeOf(status) }
            : { message: status.message ?? 'the shell failed' },
        ),
    );
    ws.on('close', () => setTimeout(() => end({ message: 'the connection to the container closed' }), 100));
    const entry: ExecSession = {
      stdin,
      output,
      close: () => {
        stdin.end();
        ws.close();
      },
    };
    this.sessions.set(sessionId, entry);
    session.onClose(() => this.stop(sessionId));
    return { sessionId, shell };
  }

  input(sessionId: string, data: string): void {
    this.sessions.get(sessionId)?.stdin.write(data);
  }

  resize(sessionId: string, cols: number, rows: number): void {
    this.sessions.get(sessionId)?.output.resize(cols, rows);
  }

  stop(sessionId: string): void {
    const entry = this.sessions.get(sessionId);
    this.sessions.delete(sessionId);
    entry?.close();
  }
}
