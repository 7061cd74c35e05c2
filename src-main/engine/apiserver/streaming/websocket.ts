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
 * Completes a WebSocket upgrade, answering with `protocol` as the subprotocol (already
 * negotiated by the caller; `undefined` answers with none). Pings are answered by the
 * library. Resolves `undefined` when the handshake fails (the library has answered it).
 */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  protocol: string | undefined,
): Promise<WebSocket | undefined> {
  const server = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // Exec output and port-forward traffic can be large; Kubernetes sets no limit either.
    maxPayload: 256 * 1024 * 1024,
  });
  // The library refuses subprotocols that are not RFC 6455 tokens, and kubectl's
  // `SPDY/3.1+portforward.k8s.io` is not one; negotiation is ours, so it answers it here.
  delete req.headers['sec-websocket-protocol'];
  if (protocol) server.on('headers', (headers) => headers.push(`Sec-WebSocket-Protocol: ${protocol}`));
  return new Promise((resolve) => {
    const failed = (): void => resolve(undefined);
    socket.once('close', failed);
    server.handleUpgrade(req, socket, head, (ws) => {
      socket.off('close', failed);
      server.close();
      resolve(ws);
    });
  });
}
