import type Docker from 'dockerode';
import { request } from 'node:http';

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Whether the Docker engine accepts *new* connections, asked over a connection of its own.
 *
 * A dockerd that got SIGTERM closes its listener at once but goes on serving connections already
 * open while it stops every container, and Node keeps connections alive, so a plain ping (or a
 * container start) through the usual client still succeeds during that shutdown. A container
 * started then is left half-made, and Docker 20.10 hangs at its next start on the containerd shim
 * left behind ("Container not cleaned up from containerd from previous run"). Asking over a new
 * connection tells a stopping engine from a running one.
 *
 * Engines reached over TCP or SSH are asked through the client, as a new TLS or SSH session per
 * check would cost more than the race it guards against.
 */
export async function checkAcceptingConnections(docker: Docker): Promise<void> {
  const modem = docker.modem as { socketPath?: unknown; timeout?: unknown };
  if (typeof modem.socketPath !== 'string') {
    await docker.ping();
    return;
  }
  const timeoutMs =
    typeof modem.timeout === 'number' && modem.timeout > 0 ? modem.timeout : DEFAULT_TIMEOUT_MS;
  await pingSocket(modem.socketPath, timeoutMs);
}

function pingSocket(socketPath: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // `agent: false`: a connection of its own, never one kept alive from an earlier request.
    const req = request(
      { socketPath, path: '/_ping', method: 'GET', agent: false, timeout: timeoutMs },
      (res) => {
        res.resume();
        if (res.statusCode === 200) resolve();
        else reject(new Error(`the Docker engine answered its ping with HTTP ${res.statusCode ?? '?'}`));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to a ping within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
