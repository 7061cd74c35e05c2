import { PassThrough, Writable } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { CommandOptions } from './options';
import type { ChannelProtocol } from './protocols';
import { ResizeFeed, parseTerminalSize } from './resize-feed';
import type { CommandChannels, CommandStatus } from './run';

/** Channel numbers of the WebSocket remote-command protocol. */
export const Channel = { Stdin: 0, Stdout: 1, Stderr: 2, Error: 3, Resize: 4, Close: 255 } as const;

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Sends `data` on `channel` in the negotiated framing (binary, or base64 text). */
export function sendOnChannel(
  ws: WebSocket,
  protocol: Pick<ChannelProtocol, 'base64'>,
  channel: number,
  data: Buffer,
): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState !== ws.OPEN) {
      resolve();
      return;
    }
    const message = protocol.base64
      ? String.fromCharCode(48 + channel) + data.toString('base64')
      : Buffer.concat([Buffer.from([channel]), data]);
    // A send that fails means the client went away; the 'close' handler takes it from there.
    ws.send(message, () => resolve());
  });
}

/** Splits an incoming message into its channel and payload. */
export function readChannelMessage(
  protocol: Pick<ChannelProtocol, 'base64'>,
  data: RawData,
  isBinary: boolean,
): { channel: number; payload: Buffer } | undefined {
  const buffer = toBuffer(data);
  if (buffer.length === 0) return undefined;
  if (protocol.base64 && !isBinary) {
    const text = buffer.toString('utf8');
    return { channel: text.charCodeAt(0) - 48, payload: Buffer.from(text.slice(1), 'base64') };
  }
  return { channel: buffer[0], payload: buffer.subarray(1) };
}

/**
 * The exec/attach channels over an accepted WebSocket: 0 stdin, 1 stdout, 2 stderr,
 * 3 error/status, 4 resize, 255 close (v5; `[255, 0]` ends stdin). The session ends with
 * the status on channel 3 and a normal close (1000).
 */
export function webSocketCommandChannels(
  ws: WebSocket,
  protocol: ChannelProtocol,
  options: CommandOptions,
): CommandChannels {
  const stdin = options.stdin ? new PassThrough() : undefined;
  const resizes = new ResizeFeed();
  const output = (channel: number): Writable =>
    new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        void sendOnChannel(ws, protocol, channel, chunk).then(() => callback());
      },
    });
  ws.on('message', (data, isBinary) => {
    const message = readChannelMessage(protocol, data, isBinary);
    if (!message) return;
    switch (message.channel) {
      case Channel.Stdin:
        if (message.payload.length && stdin && !stdin.write(message.payload)) {
          // The process reads slower than the client types: stop reading the socket meanwhile.
          ws.pause();
          stdin.once('drain', () => ws.resume());
        }
        break;
      case Channel.Resize: {
        const size = protocol.version >= 3 ? parseTerminalSize(message.payload.toString('utf8')) : undefined;
        if (size) resizes.push(size);
        break;
      }
      case Channel.Close:
        if (protocol.version >= 5 && message.payload[0] === Channel.Stdin) stdin?.end();
        break;
      default:
        break;
    }
  });
  const gone = new Promise<void>((resolve) => {
    ws.once('close', () => {
      stdin?.end();
      resolve();
    });
  });
  ws.on('error', () => undefined);
  return {
    stdin,
    stdout: options.stdout ? output(Channel.Stdout) : undefined,
    stderr: options.stderr ? output(Channel.Stderr) : undefined,
    onResize: (listener) => resizes.listen(listener),
    gone,
    finish: async (status: CommandStatus) => {
      if (protocol.version >= 4) {
        await sendOnChannel(ws, protocol, Channel.Error, Buffer.from(JSON.stringify(status)));
      } else if (status.status === 'Failure') {
        await sendOnChannel(ws, protocol, Channel.Error, Buffer.from(status.message));
      }
      ws.close(1000);
    },
  };
}
