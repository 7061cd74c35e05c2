import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import { callApi } from '../testing/https-client';
import { startTestApiServer } from '../testing/test-api-server';
import type { TestApiServer } from '../testing/test-api-server';
import { registerPodStreams } from './index';
import { FakeRuntime } from './testing/fake-runtime';

const PODS = { group: '', version: 'v1', resource: 'pods' };

interface Received {
  data: Buffer;
  text: boolean;
}

interface Client {
  ws: WebSocket;
  protocol: string;
  messages: Received[];
  closed: Promise<number>;
}

describe('pod stream protocols (in-process, fake runtime)', () => {
  let server: TestApiServer;
  let runtime: FakeRuntime;
  let echo: Server;

  function connect(path: string, protocols: string[]): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`wss://127.0.0.1:${server.port}${path}`, protocols, {
        ca: server.pki.caCertPem,
        cert: server.pki.adminCertPem,
        key: server.pki.adminKeyPem,
      });
      const messages: Received[] = [];
      const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
      ws.on('message', (data: RawData, isBinary: boolean) =>
        messages.push({
          data: Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer),
          text: !isBinary,
        }),
      );
      ws.once('open', () => resolve({ ws, protocol: ws.protocol, messages, closed }));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  function channel(messages: Received[], n: number): string {
    return messages
      .filter((m) => m.data[0] === n)
      .map((m) => m.data.subarray(1).toString())
      .join('');
  }

  beforeAll(async () => {
    server = await startTestApiServer();
    runtime = new FakeRuntime();
    registerPodStreams(server, { runtime, profile: 'fake' });
    const create = (name: string, containers: string[], nodeName?: string): string => {
      const pod = server.objectApi.create(PODS, 'default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: {
          ...(nodeName ? { nodeName } : {}),
          containers: containers.map((c) => ({ name: c, image: 'x' })),
        },
      });
      server.objectApi.update(
        PODS,
        'default',
        { ...pod, status: { phase: 'Running' } },
        { subresource: 'status' },
      );
      return pod.metadata.uid ?? '';
    };
    const uid = create('p', ['c'], 'node1');
    runtime.add(uid, 'c');
    runtime.add(uid, '', 'sandbox');
    runtime.logText.set(`${uid}-c-0`, 'one\ntwo\nthree\n');
    create('floating', ['c']);
    echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    runtime.ports.set(80, (echo.address() as AddressInfo).port);
  });

  afterAll(async () => {
    echo?.close();
    await server?.close();
  });

  it('v5: output channels, stdin with the close signal, Status on channel 3, close 1000', async () => {
    const client = await connect(
      '/api/v1/namespaces/default/pods/p/exec?command=cat&stdin=true&stdout=true',
      ['v5.channel.k8s.io', 'v4.channel.k8s.io'],
    );
    expect(client.protocol).toBe('v5.channel.k8s.io');
    client.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('typed')]));
    client.ws.send(Buffer.from([255, 0]));
    expect(await client.closed).toBe(1000);
    expect(channel(client.messages, 1)).toBe('typed');
    expect(JSON.parse(channel(client.messages, 3))).toMatchObject({ status: 'Success' });
  });

  it('v4: a non-zero exit is a NonZeroExitCode Status with the code as cause', async () => {
    const client = await connect(
      '/api/v1/namespaces/default/pods/p/exec?command=exit&command=3&stdout=true',
      ['v4.channel.k8s.io'],
    );
    await client.closed;
    expect(JSON.parse(channel(client.messages, 3))).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('base64 variant: text messages with an ASCII channel digit', async () => {
    const client = await connect(
      '/api/v1/namespaces/default/pods/p/exec?command=echo&command=hi&stdout=true&stderr=true',
      ['v4.base64.channel.k8s.io'],
    );
    await client.closed;
    const decoded = client.messages.map((m) => ({
      channel: m.data.toString()[0],
      payload: Buffer.from(m.data.toString().slice(1), 'base64').toString(),
    }));
    expect(client.messages.every((m) => m.text)).toBe(true);
    expect(decoded.filter((m) => m.channel === '1').map((m) => m.payload)).toEqual(['hi\n']);
    expect(JSON.parse(decoded.find((m) => m.channel === '3')?.payload ?? '{}')).toMatchObject({
      status: 'Success',
    });
  });

  it('v1 (channel.k8s.io): failures as plain text, nothing on success', async () => {
    const failing = await connect(
      '/api/v1/namespaces/default/pods/p/exec?command=exit&command=2&stdout=true',
      ['channel.k8s.io'],
    );
    await failing.closed;
    expect(channel(failing.messages, 3)).toBe(
      'command terminated with non-zero exit code: error executing command [exit 2], exit code 2',
    );
    const ok = await connect('/api/v1/namespaces/default/pods/p/exec?command=echo&command=x&stdout=true', [
      'channel.k8s.io',
    ]);
    await ok.closed;
    expect(channel(ok.messages, 3)).toBe('');
  });

  it('resize messages reach the process, including one sent before it started', async () => {
    const before = runtime.resizes.length;
    const client = await connect(
      '/api/v1/namespaces/default/pods/p/exec?command=cat&stdin=true&stdout=true&tty=true',
      ['v5.channel.k8s.io'],
    );
    client.ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":120,"Height":40}')]));
    await expect.poll(() => runtime.resizes.slice(before)).toContainEqual({ width: 120, height: 40 });
    client.ws.send(Buffer.from([255, 0]));
    await client.closed;
  });

  it('attach streams the container’s stdin and stdout', async () => {
    const client = await connect('/api/v1/namespaces/default/pods/p/attach?stdin=true&stdout=true', [
      'v5.channel.k8s.io',
    ]);
    client.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('attached')]));
    await expect.poll(() => channel(client.messages, 1)).toBe('attached');
    client.ws.close();
  });

  it('an attach that only writes stdin stays open until the client leaves', async () => {
    const client = await connect('/api/v1/namespaces/default/pods/p/attach?stdin=true', [
      'v5.channel.k8s.io',
    ]);
    let closed = false;
    void client.closed.then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closed).toBe(false);
    client.ws.close();
    await client.closed;
  });

  it('port-forward channels: the port prefix on both channels, then traffic both ways', async () => {
    const client = await connect('/api/v1/namespaces/default/pods/p/portforward?ports=80', [
      'v4.channel.k8s.io',
    ]);
    expect(client.protocol).toBe('v4.channel.k8s.io');
    await expect.poll(() => client.messages.length).toBeGreaterThanOrEqual(2);
    expect([...client.messages[0].data]).toEqual([0, 80, 0]);
    expect([...client.messages[1].data]).toEqual([1, 80, 0]);
    client.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('ping')]));
    await expect.poll(() => channel(client.messages.slice(2), 0)).toBe('ping');
    client.ws.close();
  });

  it('port-forward to a closed port reports the error on the error channel', async () => {
    const client = await connect('/api/v1/namespaces/default/pods/p/portforward?ports=81', [
      'v4.channel.k8s.io',
    ]);
    await client.closed;
    expect(channel(client.messages.slice(2), 1)).toMatch(
      /^error forwarding port 81 to pod p, uid .*connection refused/,
    );
  });

  it('answers failures before the upgrade as Status', async () => {
    const plain = await callApi(server.port, server.pki, {
      path: '/api/v1/namespaces/default/pods/p/exec?command=ls',
    });
    expect(plain.status).toBe(400);
    expect(plain.json()).toMatchObject({ message: 'Upgrade request required' });

    await expect(
      connect('/api/v1/namespaces/default/pods/p/exec?stdout=true', ['v5.channel.k8s.io']),
    ).rejects.toThrow('HTTP 400');
    await expect(
      connect('/api/v1/namespaces/default/pods/nope/exec?command=ls&stdout=true', ['v5.channel.k8s.io']),
    ).rejects.toThrow('HTTP 404');
    await expect(
      connect('/api/v1/namespaces/default/pods/floating/exec?command=ls&stdout=true', ['v5.channel.k8s.io']),
    ).rejects.toThrow('HTTP 400');

    const spdy = await callApi(server.port, server.pki, {
      method: 'POST',
      path: '/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true',
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'SPDY/3.1',
        'X-Stream-Protocol-Version': 'v9.channel.k8s.io',
      },
    });
    expect(spdy.status).toBe(403);
    expect(spdy.body).toContain('unable to negotiate protocol');
  });

  it('logs: plain text, tail, and an empty answer for a pod without a node', async () => {
    const all = await callApi(server.port, server.pki, { path: '/api/v1/namespaces/default/pods/p/log' });
    expect(all.status).toBe(200);
    expect(all.headers['content-type']).toBe('text/plain');
    expect(all.body).toBe('one\ntwo\nthree\n');
    const tail = await callApi(server.port, server.pki, {
      path: '/api/v1/namespaces/default/pods/p/log?tailLines=1',
    });
    expect(tail.body).toBe('three\n');
    const limited = await callApi(server.port, server.pki, {
      path: '/api/v1/namespaces/default/pods/p/log?limitBytes=5',
    });
    expect(limited.body).toBe('one\nt');
    const floating = await callApi(server.port, server.pki, {
      path: '/api/v1/namespaces/default/pods/floating/log',
    });
    expect(floating.status).toBe(200);
    expect(floating.body).toBe('');
    const both = await callApi(server.port, server.pki, {
      path: '/api/v1/namespaces/default/pods/p/log?sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z',
    });
    expect(both.status).toBe(422);
    expect(both.json()).toMatchObject({ reason: 'Invalid', details: { kind: 'PodLogOptions' } });
  });
});
