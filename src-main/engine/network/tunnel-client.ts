import net from 'node:net';
import { formatRequest, MAX_HEADER_BYTES, parseReply } from '../../agent/tunnel-protocol';
import type { TunnelRequest } from '../../agent/tunnel-protocol';

/** Where the agent's tunnel is published on the host; `refresh` re-reads it after a restart. */
export interface TunnelEndpoint {
  port(): number;
  token: string;
  refresh(): Promise<void>;
}

/** An error from the far side of the tunnel, with the Node error code it reported. */
export class TunnelError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Opens a TCP connection to `ip:port` inside the cluster (a ClusterIP or a pod IP) through
 * the agent's tunnel. Resolves with a socket carrying the target's bytes once the agent has
 * connected; rejects with a `TunnelError` (code ECONNREFUSED etc.) when the target refuses.
 * A tunnel port that stopped answering (the agent restarted on a new port) is re-read once.
 */
export async function dialThroughTunnel(
  endpoint: TunnelEndpoint,
  ip: string,
  port: number,
): Promise<net.Socket> {
  const request: TunnelRequest = { kind: 'connect', token: endpoint.token, ip, port };
  try {
    return (await handshake(endpoint.port(), request)).socket;
  } catch (error) {
    if (error instanceof TunnelError) throw error;
    await endpoint.refresh();
    return (await handshake(endpoint.port(), request)).socket;
  }
}

/**
 * Answers when the agent has synced Services and EndpointSlices, with the address the API
 * server answers it on (where pods reach the API server); undefined while it is not ready.
 */
export async function pingTunnel(endpoint: TunnelEndpoint): Promise<{ apiAddress?: string } | undefined> {
  try {
    const { socket, info } = await handshake(endpoint.port(), { kind: 'ping', token: endpoint.token });
    socket.destroy();
    return { apiAddress: info || undefined };
  } catch {
    return undefined;
  }
}

function handshake(hostPort: number, request: TunnelRequest): Promise<{ socket: net.Socket; info?: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: hostPort, allowHalfOpen: true });
    let reply = Buffer.alloc(0);
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(error);
    };
    // 'readable' + read() rather than 'data': the socket handed out afterwards must be in its
    // initial mode, so that a later 'data' listener or pipe() starts the flow as usual.
    const onReadable = () => {
      let chunk: Buffer | null;
      while ((chunk = socket.read() as Buffer | null) !== null) {
        reply = Buffer.concat([reply, chunk]);
        const newline = reply.indexOf(0x0a);
        if (newline < 0) {
          if (reply.length > MAX_HEADER_BYTES) fail(new TunnelError('EPROTO', 'tunnel reply too long'));
          continue;
        }
        socket.off('readable', onReadable);
        const parsed = parseReply(reply.subarray(0, newline).toString('utf8'));
        if (!parsed.ok) {
          const target = request.kind === 'connect' ? `${request.ip}:${request.port}` : 'tunnel';
          fail(new TunnelError(parsed.code, `${target}: ${parsed.message || parsed.code}`));
          return;
        }
        const rest = reply.subarray(newline + 1);
        if (rest.length) socket.unshift(rest);
        settled = true;
        socket.off('error', fail);
        socket.off('end', onEnd);
        resolve({ socket, info: parsed.info });
        return;
      }
    };
    const onEnd = () => fail(new Error('the network agent closed the tunnel without answering'));
    socket.on('readable', onReadable);
    socket.once('error', fail);
    socket.once('end', onEnd);
    socket.once('connect', () => socket.write(formatRequest(request)));
  });
}
