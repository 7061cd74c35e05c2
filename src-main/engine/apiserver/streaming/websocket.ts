import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

/** True when the request asks for a WebSocket (kubectl ≥ 1.30 exec/attach, ≥ 1.31 port-forward, client-node). */
export function wantsWebSocket(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** The subprotocols a WebSocket client offered, in its order of preference. */
export function offeredSubprotocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * Completes a WebSocket upgrade, selecting `protocol` (already negotiated by the caller;
 * `undefined` answers with no subprotocol). Pings are answered by the library.
 */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  protocol: string | undefined,
): Promise<WebSocket> {
  const server = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // Exec output and port-forward traffic can be large; Kubernetes sets no limit either.
    maxPayload: 256 * 1024 * 1024,
    handleProtocols: () => protocol ?? false,
  });
  return new Promise((resolve) => {
    server.handleUpgrade(req, socket, head, (ws) => {
      server.close();
      resolve(ws);
    });
  });
}
