import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContainerRuntime } from '../runtime/types';
import { runProbe, type ProbeTarget } from './probe-exec';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A runtime whose `connect` reaches servers of this test process on 127.0.0.1. */
function target(): ProbeTarget {
  const runtime = {
    connect: (_sandbox: string, port: number) =>
      new Promise<Duplex>((resolve, reject) => {
        const socket = net.connect({ host: '127.0.0.1', port });
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      }),
  } as unknown as ContainerRuntime;
  return {
    runtime,
    containerId: 'c',
    sandboxId: 's',
    podIP: '10.0.0.9',
    container: { name: 'main', ports: [{ name: 'http', containerPort: 0 }] },
    kubeletMinorVersion: '1.32',
  };
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

describe('runProbe', () => {
  it('httpGet: 2xx/3xx succeed, others fail with the status; named ports and headers work', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const port = await listen(
      http.createServer((req, res) => {
        seen.push(req.headers);
        res.statusCode = req.url === '/healthz' ? 200 : 503;
        res.end('x');
      }),
    );
    const t = target();
    t.container.ports![0].containerPort = port;
    expect(
      await runProbe(
        { httpGet: { path: '/healthz', port: 'http', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] } },
        t,
      ),
    ).toEqual({
      success: true,
      message: '',
    });
    expect(seen[0]).toMatchObject({
      'user-agent': 'kube-probe/1.32',
      'x-probe': 'yes',
      host: `10.0.0.9:${port}`,
    });
    expect(await runProbe({ httpGet: { path: '/other', port } }, t)).toEqual({
      success: false,
      message: 'HTTP probe failed with statuscode: 503',
    });
  });

  it('httpGet and tcpSocket: a closed port fails with connection refused', async () => {
    const server = net.createServer();
    const port = await listen(server);
    server.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const outcome = await runProbe({ tcpSocket: { port } }, target());
    expect(outcome).toEqual({
      success: false,
      message: `dial tcp 10.0.0.9:${port}: connect: connection refused`,
    });
    const http = await runProbe({ httpGet: { path: '/', port } }, target());
    expect(http.message).toBe(
      `Get "http://10.0.0.9:${port}/": dial tcp 10.0.0.9:${port}: connect: connection refused`,
    );
  });

  it('tcpSocket: an open port succeeds', async () => {
    const port = await listen(net.createServer((socket) => socket.end()));
    expect((await runProbe({ tcpSocket: { port } }, target())).success).toBe(true);
  });

  it('grpc: SERVING succeeds, NOT_SERVING fails', async () => {
    let status = 1;
    const server = http2.createServer();
    server.on('stream', (stream, headers) => {
      expect(headers[':path']).toBe('/grpc.health.v1.Health/Check');
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      const body = Buffer.from([0, 0, 0, 0, 2, 0x08, status]);
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(body);
    });
    const port = await listen(server as unknown as net.Server);
    expect(await runProbe({ grpc: { port } }, target())).toEqual({ success: true, message: '' });
    status = 2;
    expect(await runProbe({ grpc: { port } }, target())).toEqual({
      success: false,
      message: 'service unhealthy (responded with "NOT_SERVING")',
    });
  });

  it('times out a probe that does not answer within timeoutSeconds, and closes its connection', async () => {
    let closed = false;
    const port = await listen(
      net.createServer((socket) => socket.resume().on('close', () => (closed = true))),
    );
    const outcome = await runProbe({ httpGet: { path: '/', port }, timeoutSeconds: 1 }, target());
    expect(outcome.success).toBe(false);
    expect(outcome.message).toContain('context deadline exceeded');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(true);
  });
});
