import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { readChannelMessage, sendOnChannel } from '../remote-command/websocket-channels';
import { forwardError } from './dial';
import type { PodDialer } from './dial';

/** WebSocket subprotocols of channel-style port-forwarding, as the kubelet offers them. */
export const WEBSOCKET_PORT_FORWARD_PROTOCOLS = [
  { name: 'v4.channel.k8s.io', base64: false },
  { name: 'v4.base64.channel.k8s.io', base64: true },
  { name: 'portforward.k8s.io', base64: false },
  { name: 'channel.k8s.io', base64: false },
] as const;

/**
 * Serves channel-style port-forwarding (client-node): port i of `ports` uses channel 2i for
 * data and 2i+1 for errors, and the first two bytes the server sends on each channel are
 * the port, little-endian. Each port gets one TCP connection; the WebSocket closes when all
 * of them have ended.
 */
export async function serveWebSocketPortForward(
  ws: WebSocket,
  protocol: { base64: boolean },
  ports: number[],
  dial: PodDialer,
  pod: { name: string; uid: string },
): Promise<void> {
  const connections: Array<Duplex | undefined> = ports.map(() => undefined);
  const early: Buffer[][] = ports.map(() => []);
  ws.on('error', () => undefined);
  ws.on('message', (data, isBinary) => {
    const message = readChannelMessage(protocol, data, isBinary);
    if (!message || message.channel % 2 !== 0) return;
    const index = message.channel / 2;
    if (index >= ports.length || message.payload.length === 0) return;
    const connection = connections[index];
    if (!connection) {
      early[index].push(message.payload);
      return;
    }
    if (!connection.write(message.payload)) {
      // A slow pod side holds the client back instead of queueing without bound.
      ws.pause();
      connection.once('drain', () => ws.resume());
    }
  });
  ws.once('close', () => {
    for (const connection of connections) connection?.destroy();
  });

  const prefix = (port: number): Buffer => {
    const bytes = Buffer.alloc(2);
    bytes.writeUInt16LE(port);
    return bytes;
  };
  for (const [index, port] of ports.entries()) {
    await sendOnChannel(ws, protocol, 2 * index, prefix(port));
    await sendOnChannel(ws, protocol, 2 * index + 1, prefix(port));
  }

  await Promise.all(
    ports.map(async (port, index) => {
      let connection: Duplex;
      try {
        connection = await dial(port);
      } catch (error) {
        await sendOnChannel(
          ws,
          protocol,
          2 * index + 1,
          Buffer.from(forwardError(port, pod.name, pod.uid, error)),
        );
        return;
      }
      if (ws.readyState !== ws.OPEN) {
        connection.destroy();
        return;
      }
      connections[index] = connection;
      for (const chunk of early[index]) connection.write(chunk);
      early[index] = [];
      await new Promise<void>((resolve) => {
        connection.on('data', (chunk: Buffer) => {
          connection.pause();
          void sendOnChannel(ws, protocol, 2 * index, chunk).then(() => connection.resume());
        });
        connection.once('close', () => resolve());
        connection.on('error', () => undefined);
      });
    }),
  );
  if (ws.readyState === ws.OPEN) ws.close(1000);
}
