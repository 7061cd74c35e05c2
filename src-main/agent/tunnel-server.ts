import net from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { splice } from './cluster-ip-proxy';
import { MAX_HEADER_BYTES, parseRequest } from './tunnel-protocol';

export interface TunnelServerOptions {
  host: string;
  port: number;
  token: string;
  /** False until the agent has its first view of Services and EndpointSlices. */
  ready: () => boolean;
  /** The API server's address as the agent reaches it, reported to pings. */
  apiAddress: () => string | undefined;
  log: (message: string) => void;
}

/**
 * Accepts host connections that name their target in a one-line header and splices them to
 * that address (a ClusterIP — served by this agent — or a pod IP on the bridge). Requests
 * without the shared token are dropped, so other local processes cannot use the tunnel.
 */
export async function startTunnelServer(options: TunnelServerOptions): Promise<{ close(): void }> {
  const expected = Buffer.from(options.token);
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    let header = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      header = Buffer.concat([header, chunk]);
      const newline = header.indexOf(0x0a);
      if (newline < 0) {
        if (header.length > MAX_HEADER_BYTES) client.destroy();
        return;
      }
      client.off('data', onData);
      client.pause();
      const rest = header.subarray(newline + 1);
      const request = parseRequest(header.subarray(0, newline).toString('utf8'));
      const given = Buffer.from(request?.token ?? '');
      if (!request || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        client.destroy();
        return;
      }
      if (request.kind === 'ping') {
        client.end(
          options.ready() ? `OK ${options.apiAddress() ?? ''}\n` : 'ERR ENOTREADY agent has not synced yet\n',
        );
        return;
      }
      const upstream = net.connect({ host: request.ip, port: request.port, allowHalfOpen: true });
      upstream.once('error', (error: NodeJS.ErrnoException) => {
        client.end(`ERR ${error.code ?? 'ECONNREFUSED'} ${error.message}\n`);
      });
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        client.write('OK\n');
        if (rest.length) upstream.write(rest);
        splice(client, upstream);
        client.resume();
      });
    };
    client.on('data', onData);
    client.on('error', () => undefined);
  });
  server.on('error', (error) => options.log(`tunnel: ${error.message}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return { close: () => server.close() };
}
