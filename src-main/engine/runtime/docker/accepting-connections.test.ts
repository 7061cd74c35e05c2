import Docker from 'dockerode';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createListener, type Server as Listener } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkAcceptingConnections } from './accepting-connections';

let dir: string | undefined;
let http: HttpServer | undefined;
let listener: Listener | undefined;

afterEach(async () => {
  http?.closeAllConnections();
  listener?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  http = listener = dir = undefined;
});

/**
 * A stand-in engine on a unix socket that answers `/_ping` like dockerd. The listener is apart
 * from the HTTP server, so closing it keeps open connections served, as Go's listener close does.
 */
async function fakeEngine(): Promise<{ socketPath: string; listener: Listener }> {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-ping-'));
  const socketPath = join(dir, 'docker.sock');
  const server = createHttpServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK'),
  );
  const accept = createListener((socket) => server.emit('connection', socket));
  http = server;
  listener = accept;
  await new Promise<void>((resolve) => accept.listen(socketPath, resolve));
  return { socketPath, listener: accept };
}

describe('checkAcceptingConnections', () => {
  it('passes while the engine takes new connections', async () => {
    const { socketPath } = await fakeEngine();
    await expect(checkAcceptingConnections(new Docker({ socketPath }))).resolves.toBeUndefined();
  });

  it('fails once the engine closed its listener, though a kept-alive connection still answers', async () => {
    const engine = await fakeEngine();
    const docker = new Docker({ socketPath: engine.socketPath });
    await docker.ping();
    // What a stopping dockerd does first: no new connections, open ones still served.
    engine.listener.close();
    await expect(docker.ping()).resolves.toBeTruthy();
    await expect(checkAcceptingConnections(docker)).rejects.toThrow(/ENOENT|ECONNREFUSED/);
  });

  it('fails when nothing listens at all', async () => {
    await expect(
      checkAcceptingConnections(new Docker({ socketPath: join(tmpdir(), 'kubedesk-no-such.sock') })),
    ).rejects.toThrow(/ENOENT|ECONNREFUSED/);
  });
});
