/**
 * The host → cluster tunnel's one-line handshake, shared by the agent and the engine.
 *
 * The client sends `KDTUN1 <token> <ip> <port>\n` (or `KDTUN1 <token> ping\n`); the agent
 * answers `OK\n` once connected to the target (then bytes flow both ways unchanged) or
 * `ERR <code> <message>\n` and closes. `code` is a Node error code such as ECONNREFUSED.
 * A ping is answered `OK <api-server-ip>\n` once the agent has synced: the address the API
 * server answers the agent on, which is where pods reach it too.
 */
export const TUNNEL_MAGIC = 'KDTUN1';
/** The agent's tunnel port inside its container (published to 127.0.0.1 on the host). */
export const TUNNEL_PORT = 7470;
export const MAX_HEADER_BYTES = 512;

export type TunnelRequest =
  { kind: 'ping'; token: string } | { kind: 'connect'; token: string; ip: string; port: number };

export function formatRequest(request: TunnelRequest): string {
  return request.kind === 'ping'
    ? `${TUNNEL_MAGIC} ${request.token} ping\n`
    : `${TUNNEL_MAGIC} ${request.token} ${request.ip} ${request.port}\n`;
}

/** Parses a header line (without its newline); undefined when malformed. */
export function parseRequest(line: string): TunnelRequest | undefined {
  const parts = line.trim().split(' ');
  if (parts[0] !== TUNNEL_MAGIC || !parts[1]) return undefined;
  if (parts.length === 3 && parts[2] === 'ping') return { kind: 'ping', token: parts[1] };
  if (parts.length !== 4) return undefined;
  const port = Number(parts[3]);
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(parts[2]) || !Number.isInteger(port) || port < 1 || port > 65535)
    return undefined;
  return { kind: 'connect', token: parts[1], ip: parts[2], port };
}

/** Parses the agent's reply line; `ok: false` carries the error code and message. */
export function parseReply(
  line: string,
): { ok: true; info?: string } | { ok: false; code: string; message: string } {
  const trimmed = line.trim();
  if (trimmed === 'OK') return { ok: true };
  if (trimmed.startsWith('OK ')) return { ok: true, info: trimmed.slice(3) };
  const match = /^ERR (\S+) ?(.*)$/.exec(trimmed);
  return match
    ? { ok: false, code: match[1], message: match[2] }
    : { ok: false, code: 'EPROTO', message: trimmed };
}
