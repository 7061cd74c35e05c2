import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';

/**
 * Asks `server`:53 over UDP for the A records of `name`; resolves with the addresses (empty for
 * NXDOMAIN or no answer within `timeoutMs`). Never rejects.
 */
export function queryA(server: string, name: string, timeoutMs = 500): Promise<string[]> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const id = Math.floor(Math.random() * 65535);
    const finish = (addresses: string[]) => {
      clearTimeout(timer);
      socket.close();
      resolve(addresses);
    };
    const timer = setTimeout(() => finish([]), timeoutMs);
    socket.on('error', () => finish([]));
    socket.on('message', (message: Buffer) => {
      try {
        const packet = dnsPacket.decode(message);
        if (packet.id !== id) return;
        finish((packet.answers ?? []).flatMap((answer) => (answer.type === 'A' ? [answer.data] : [])));
      } catch {
        finish([]);
      }
    });
    const query = dnsPacket.encode({
      type: 'query',
      id,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ type: 'A', name }],
    });
    socket.send(query, 53, server);
  });
}
