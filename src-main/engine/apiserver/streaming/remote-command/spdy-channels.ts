import type { SpdySession, SpdyStream } from '../spdy/session';
import type { CommandOptions } from './options';
import type { ChannelProtocol } from './protocols';
import { ResizeFeed, parseTerminalSize } from './resize-feed';
import type { CommandChannels, CommandStatus } from './run';

/** How long the client has to open every stream it asked for, as the kubelet allows. */
const STREAM_CREATION_TIMEOUT_MS = 30_000;

/**
 * Waits for the streams a SPDY exec/attach client opens (named by their `streamType`
 * header: error, stdin, stdout, stderr, and resize with a TTY on v3+) and presents them as
 * channels. The status goes on the error stream (JSON from v4, the message text before),
 * after which the connection is closed.
 */
export function spdyCommandChannels(
  session: SpdySession,
  protocol: ChannelProtocol,
  options: CommandOptions,
): Promise<CommandChannels> {
  const expected = new Set<string>(['error']);
  if (options.stdin) expected.add('stdin');
  if (options.stdout) expected.add('stdout');
  if (options.stderr) expected.add('stderr');
  if (options.tty && protocol.version >= 3) expected.add('resize');
  const streams = new Map<string, SpdyStream>();
  const gone = new Promise<void>((resolve) => session.once('close', resolve));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void session.close();
      reject(new Error('timed out waiting for the client to create streams'));
    }, STREAM_CREATION_TIMEOUT_MS);
    void gone.then(() => {
      clearTimeout(timer);
      reject(new Error('the client went away before creating its streams'));
    });
    session.on('stream', (stream) => {
      const type = stream.headers.streamtype ?? '';
      stream.on('error', () => undefined);
      if (!expected.has(type) || streams.has(type)) {
        stream.destroy();
        return;
      }
      streams.set(type, stream);
      if (streams.size < expected.size) return;
      clearTimeout(timer);
      resolve(channelsOf(session, protocol, streams, gone));
    });
  });
}

function channelsOf(
  session: SpdySession,
  protocol: ChannelProtocol,
  streams: Map<string, SpdyStream>,
  gone: Promise<void>,
): CommandChannels {
  const error = streams.get('error') as SpdyStream;
  const resize = streams.get('resize');
  const resizes = new ResizeFeed();
  if (resize) {
    let pending = '';
    resize.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      // Go's json.Encoder ends every value with a newline.
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
        const size = parseTerminalSize(line);
        if (size) resizes.push(size);
      }
    });
  }
  // Data on the error stream from the client is not expected; reading keeps it flowing.
  error.resume();
  return {
    stdin: streams.get('stdin'),
    stdout: streams.get('stdout'),
    stderr: streams.get('stderr'),
    onResize: (listener) => resizes.listen(listener),
    gone,
    finish: async (status: CommandStatus) => {
      if (protocol.version >= 4) error.write(JSON.stringify(status));
      else if (status.status === 'Failure') error.write(status.message);
      await new Promise<void>((resolve) => error.end(resolve));
      await session.close();
    },
  };
}
