import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerFrame } from '../../ipc/contract';
import { Backend } from '../backend';
import type { DashboardServer } from './dashboard-server';
import { startDashboardServer } from './dashboard-server';

let dir: string;
let server: DashboardServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-dash-'));
  const staticDir = join(dir, 'static');
  await mkdir(join(staticDir, 'assets'), { recursive: true });
  await writeFile(join(staticDir, 'index.html'), '<html>dashboard</html>');
  await writeFile(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'not for the browser');
  const backend = new Backend({
    env: { KUBEDESK_HOME: join(dir, 'home'), KUBECONFIG: join(dir, 'kubeconfig') },
    mode: 'browser',
  });
  server = await startDashboardServer({ backend, staticDir });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function connect(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, id: number, channel: string, request: unknown): Promise<ServerFrame> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if (frame.t === 'result' && frame.id === id) {
        ws.off('message', onMessage);
        resolve(frame);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ t: 'invoke', id, channel, request }));
  });
}

describe('dashboard server', () => {
  it('listens on loopback only and prints a URL with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the renderer with a strict CSP, falls back to index.html, and stays inside its folder', async () => {
    const index = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('dashboard');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(
      (await fetch(`http://127.0.0.1:${server.port}/assets/app.js`)).headers.get('content-type'),
    ).toContain('javascript');
    expect((await fetch(`http://127.0.0.1:${server.port}/c/profile:x/pods`)).status).toBe(200);
    const escape = await fetch(`http://127.0.0.1:${server.port}/..%2fsecret.txt`);
    expect(await escape.text()).not.toContain('not for the browser');
  });

  it('refuses sockets without the token or from another origin', async () => {
    const base = `ws://127.0.0.1:${server.port}/ws`;
    await expect(connect(base)).rejects.toThrow('403');
    await expect(connect(`${base}?token=wrong`)).rejects.toThrow('403');
    await expect(connect(`${base}?token=${server.token}`, 'http://evil.example')).rejects.toThrow('403');
    const ws = await connect(`${base}?token=${server.token}`, `http://127.0.0.1:${server.port}`);
    ws.close();
  });

  it('answers invokes with results or error envelopes', async () => {
    const ws = await connect(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    const info = await call(ws, 1, 'app.info', {});
    expect(info).toMatchObject({ t: 'result', id: 1, outcome: { ok: true, result: { mode: 'browser' } } });
    const clusters = await call(ws, 2, 'clusters.list', {});
    expect(clusters).toMatchObject({ outcome: { ok: true, result: [] } });
    const unknown = await call(ws, 3, 'no.such', {});
    expect(unknown).toMatchObject({ outcome: { ok: false, error: { kind: 'BadRequest' } } });
    const stopped = await call(ws, 4, 'kube.list', {
      cluster: 'profile:ghost',
      type: { group: '', version: 'v1', plural: 'pods', namespaced: true },
    });
    expect(stopped).toMatchObject({ outcome: { ok: false, error: { kind: 'Unavailable' } } });
    const badCluster = await call(ws, 5, 'kube.get', {
      cluster: 'nope',
      type: { group: '', version: 'v1', plural: 'pods', namespaced: true },
      name: 'x',
    });
    expect(badCluster).toMatchObject({ outcome: { ok: false, error: { kind: 'BadRequest' } } });
    ws.close();
  });

  it('refuses a request that does not match its channel before any handler runs', async () => {
    const ws = await connect(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    const malformed = await call(ws, 6, 'clusters.delete', { name: ['dev'], force: true });
    expect(malformed).toMatchObject({
      outcome: {
        ok: false,
        error: {
          kind: 'BadRequest',
          causes: [
            { field: 'name', message: 'expected a string, got an array' },
            { field: 'force', message: 'unknown field' },
          ],
        },
      },
    });
    // The backend still serves this connection afterwards.
    expect(await call(ws, 7, 'clusters.list', {})).toMatchObject({ outcome: { ok: true, result: [] } });
    ws.close();
  });
});
