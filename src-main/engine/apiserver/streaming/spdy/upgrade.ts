import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { SpdySession } from './session';

/** True when the request asks to switch to SPDY/3.1 (kubectl's SPDY executor and port-forward). */
export function wantsSpdy(req: IncomingMessage): boolean {
  return /(^|[\s,])spdy\/3\.1($|[\s,])/i.test(req.headers.upgrade ?? '');
}

/** Every `X-Stream-Protocol-Version` the client offered, in its order of preference. */
export function offeredStreamProtocols(req: IncomingMessage): string[] {
  const values = req.headersDistinct['x-stream-protocol-version'] ?? [];
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * Picks the client's most preferred protocol that the server speaks, as Kubernetes'
 * httpstream handshake does. A client that offers none gets `fallback` (legacy clients);
 * `undefined` means no common protocol.
 */
export function negotiateStreamProtocol(
  offered: string[],
  supported: readonly string[],
  fallback: string,
): string | undefined {
  if (offered.length === 0) return fallback;
  return offered.find((p) => supported.includes(p));
}

/**
 * Completes a SPDY/3.1 upgrade on a raw socket: writes the 101 answer naming `protocol`,
 * then runs a server-side SPDY session on the socket (including any bytes the client sent
 * early, in `head`).
 */
export function acceptSpdyUpgrade(socket: Duplex, head: Buffer, protocol: string): SpdySession {
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Connection: Upgrade\r\n' +
      'Upgrade: SPDY/3.1\r\n' +
      `X-Stream-Protocol-Version: ${protocol}\r\n` +
      '\r\n',
  );
  if (head.length) socket.unshift(head);
  return new SpdySession(socket);
}

/** Refuses an upgrade whose protocols do not match, worded like Kubernetes' handshake. */
export function refuseProtocols(socket: Duplex, offered: string[], supported: readonly string[]): void {
  const body = `unable to upgrade: unable to negotiate protocol: client supports ${goList(offered)}, server supports ${goList(supported)}`;
  socket.end(
    'HTTP/1.1 403 Forbidden\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `X-Accepted-Stream-Protocol-Versions: ${supported.join(', ')}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

function goList(values: readonly string[]): string {
  return `[${values.join(' ')}]`;
}
