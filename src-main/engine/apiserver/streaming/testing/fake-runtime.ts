import net from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import type { Duplex } from 'node:stream';
import { LABELS } from '../../../runtime/types';
import type {
  ContainerRuntime,
  ExecOptions,
  LogOptions,
  ManagedContainer,
  StreamSession,
} from '../../../runtime/types';

/**
 * A ContainerRuntime for protocol tests: containers are plain records, `exec` understands a
 * few commands (`echo …`, `exit <code>`, `cat`, `err …`), `logs` returns fixed text, and
 * `connect` dials a port on 127.0.0.1 (mapped through `ports`). Everything else throws.
 */
export class FakeRuntime implements ContainerRuntime {
  readonly containers: ManagedContainer[] = [];
  readonly logText = new Map<string, string>();
  readonly ports = new Map<number, number>();
  readonly resizes: Array<{ width: number; height: number }> = [];

  add(
    podUid: string,
    container: string,
    role: ManagedContainer['role'] = 'app',
    restartCount = 0,
  ): ManagedContainer {
    const record: ManagedContainer = {
      id: `${podUid}-${container || 'sandbox'}-${restartCount}`,
      name: container,
      labels: {
        [LABELS.profile]: 'fake',
        [LABELS.podUid]: podUid,
        ...(container ? { [LABELS.container]: container } : {}),
        [LABELS.role]: role,
        [LABELS.restartCount]: String(restartCount),
      },
      role,
      container,
      restartCount,
      state: 'running',
      exitCode: 0,
      oomKilled: false,
      image: 'fake',
      imageId: 'fake',
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, restartCount)).toISOString(),
    };
    this.containers.push(record);
    return record;
  }

  async listManaged(profile: string, labels: Record<string, string> = {}): Promise<ManagedContainer[]> {
    return this.containers.filter(
      (c) =>
        c.labels[LABELS.profile] === profile && Object.entries(labels).every(([k, v]) => c.labels[k] === v),
    );
  }

  async logs(id: string, options: LogOptions): Promise<Readable> {
    let text = this.logText.get(id) ?? '';
    if (options.tail !== undefined)
      text = text
        .split('\n')
        .slice(-options.tail - 1)
        .join('\n');
    return Readable.from([Buffer.from(text)]);
  }

  async exec(_id: string, options: ExecOptions): Promise<StreamSession> {
    return this.session(options.command, options.tty);
  }

  async attach(_id: string, options: Omit<ExecOptions, 'command'>): Promise<StreamSession> {
    return this.session(['cat'], options.tty);
  }

  async connect(_sandboxId: string, port: number): Promise<Duplex> {
    const target = this.ports.get(port);
    if (target === undefined) throw new Error(`connect: connection refused`);
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port: target });
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  private session(command: string[], tty: boolean): StreamSession {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = tty ? undefined : new PassThrough();
    const [verb, ...args] = command;
    let exitCode: Promise<number>;
    if (verb === 'cat') {
      stdin.pipe(stdout);
      exitCode = new Promise((resolve) => stdout.once('end', () => resolve(0)));
      stderr?.end();
    } else {
      if (verb === 'echo') stdout.write(`${args.join(' ')}\n`);
      if (verb === 'err') (stderr ?? stdout).write(`${args.join(' ')}\n`);
      stdout.end();
      stderr?.end();
      exitCode = Promise.resolve(verb === 'exit' ? Number(args[0]) : 0);
    }
    return {
      stdin,
      stdout,
      stderr,
      resize: async (size) => {
        this.resizes.push(size);
      },
      exitCode,
      close: () => {
        stdin.destroy();
        stdout.destroy();
        stderr?.destroy();
      },
    };
  }

  ping = unsupported;
  info = unsupported;
  ensureNetwork = unsupported;
  removeNetwork = unsupported;
  ensureImage = unsupported;
  createSandbox = unsupported;
  createContainer = unsupported;
  start = unsupported;
  stop = unsupported;
  remove = unsupported;
  inspect = unsupported;
  stats = unsupported;
  watchEvents = unsupported;
}

function unsupported(): Promise<never> {
  return Promise.reject(new Error('not supported by the fake runtime'));
}
