import type { V1Container, V1Probe } from '@kubernetes/client-node';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { ContainerRuntime } from '../runtime/types';

export interface ProbeOutcome {
  success: boolean;
  /** Why it failed, worded like the kubelet's prober. */
  message: string;
}

export interface ProbeTarget {
  runtime: ContainerRuntime;
  containerId: string;
  sandboxId: string;
  podIP: string;
  container: V1Container;
  /** The version in the User-Agent, like `kube-probe/1.32`. */
  kubeletMinorVersion: string;
}

/** Runs one probe attempt (exec, httpGet, tcpSocket or grpc) with its timeout. */
export async function runProbe(probe: V1Probe, target: ProbeTarget): Promise<ProbeOutcome> {
  const timeoutMs = Math.max(1, probe.timeoutSeconds ?? 1) * 1000;
  // Connections of an attempt that timed out are closed, whenever they come up.
  const opened = new Set<Duplex>();
  let timedOut = false;
  const track = (socket: Duplex): Duplex => {
    if (timedOut) socket.destroy();
    else opened.add(socket);
    return socket;
  };
  const abandon = () => {
    timedOut = true;
    for (const socket of opened) socket.destroy();
  };
  if (probe.exec) return execProbe(probe.exec.command ?? [], target, timeoutMs);
  if (probe.httpGet) {
    const port = resolvePort(probe.httpGet.port, target.container);
    const host = probe.httpGet.host || target.podIP;
    const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    const pathPart = probe.httpGet.path ?? '/';
    const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${pathPart.startsWith('/') ? '' : '/'}${pathPart}`;
    const headers: Record<string, string> = {
      'User-Agent': `kube-probe/${target.kubeletMinorVersion}`,
      Accept: '*/*',
    };
    for (const header of probe.httpGet.httpHeaders ?? []) headers[header.name] = header.value;
    return withTimeout(
      httpProbe(target, host, port, scheme === 'https', pathPart, headers, url, track),
      timeoutMs,
      () => {
        abandon();
        return {
          success: false,
          message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
        };
      },
    );
  }
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port, target.container);
    const host = probe.tcpSocket.host || target.podIP;
    return withTimeout(
      dial(target, host, port).then(
        (socket) => {
          socket.destroy();
          return { success: true, message: '' };
        },
        (error: unknown) => ({ success: false, message: `dial tcp ${host}:${port}: ${dialError(error)}` }),
      ),
      timeoutMs,
      () => ({ success: false, message: `dial tcp ${host}:${port}: i/o timeout` }),
    );
  }
  if (probe.grpc) {
    const port = probe.grpc.port;
    return withTimeout(grpcProbe(target, port, probe.grpc.service ?? '', track), timeoutMs, () => {
      abandon();
      return { success: false, message: `timeout: health rpc did not complete within ${timeoutMs / 1000}s` };
    });
  }
  return { success: true, message: '' };
}

/** A named port resolves through the container's ports, as on Kubernetes. */
export function resolvePort(port: number | string | undefined, container: V1Container): number {
  if (typeof port === 'number') return port;
  if (port !== undefined && /^\d+$/.test(port)) return Number(port);
  const found = (container.ports ?? []).find((p) => p.name === port);
  if (!found) throw new Error(`couldn't find port ${String(port)} in container ${container.name}`);
  return found.containerPort;
}

async function execProbe(command: string[], target: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  const session = await target.runtime.exec(target.containerId, {
    command,
    stdin: false,
    stdout: true,
    stderr: true,
    tty: false,
  });
  const chunks: Buffer[] = [];
  session.stdout.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  session.stderr?.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  return withTimeout(
    session.exitCode.then((code) => {
      const output = Buffer.concat(chunks).toString('utf8').slice(0, 10_240);
      if (code === 0) return { success: true, message: output };
      return { success: false, message: output || `command ${JSON.stringify(command)} exited with ${code}` };
    }),
    timeoutMs,
    () => {
      session.close();
      return { success: false, message: `command ${JSON.stringify(command.join(' '))} timed out` };
    },
  );
}

function dial(target: ProbeTarget, host: string, port: number): Promise<Duplex> {
  if (host === target.podIP) return target.runtime.connect(target.sandboxId, port);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function httpProbe(
  target: ProbeTarget,
  host: string,
  port: number,
  https: boolean,
  pathPart: string,
  headers: Record<string, string>,
  url: string,
  track: (socket: Duplex) => Duplex,
): Promise<ProbeOutcome> {
  let socket: Duplex;
  try {
    socket = track(await dial(target, host, port));
  } catch (error) {
    return { success: false, message: `Get "${url}": dial tcp ${host}:${port}: ${dialError(error)}` };
  }
  const connection: Duplex = https
    ? tls.connect({ socket, rejectUnauthorized: false, servername: net.isIP(host) ? undefined : host })
    : socket;
  return new Promise((resolve) => {
    const request = http.request(
      {
        method: 'GET',
        host,
        port,
        path: pathPart.startsWith('/') ? pathPart : `/${pathPart}`,
        headers,
        createConnection: () => connection as net.Socket,
      },
      (response) => {
        const code = response.statusCode ?? 0;
        const body: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          if (body.reduce((n, b) => n + b.length, 0) < 10_240) body.push(chunk);
        });
        response.on('end', () => {
          connection.destroy();
          if (code >= 200 && code < 400) resolve({ success: true, message: '' });
          else resolve({ success: false, message: `HTTP probe failed with statuscode: ${code}` });
        });
        response.on('error', () => resolve({ success: false, message: `Get "${url}": unexpected EOF` }));
      },
    );
    request.on('error', (error) => {
      connection.destroy();
      resolve({ success: false, message: `Get "${url}": ${error.message}` });
    });
    request.end();
  });
}

/** grpc.health.v1.Health/Check over HTTP/2: SERVING (1) is healthy. */
async function grpcProbe(
  target: ProbeTarget,
  port: number,
  service: string,
  track: (socket: Duplex) => Duplex,
): Promise<ProbeOutcome> {
  let socket: Duplex;
  try {
    socket = track(await dial(target, target.podIP, port));
  } catch (error) {
    return {
      success: false,
      message: `timeout: failed to connect service "${target.podIP}:${port}" within 1s: ${dialError(error)}`,
    };
  }
  const serviceBytes = Buffer.from(service);
  // HealthCheckRequest { string service = 1; } in protobuf, inside a gRPC length-prefixed frame.
  const message = serviceBytes.length
    ? Buffer.concat([Buffer.from([0x0a, serviceBytes.length]), serviceBytes])
    : Buffer.alloc(0);
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  return new Promise((resolve) => {
    const session = http2.connect(`http://${target.podIP}:${port}`, { createConnection: () => socket });
    const finish = (outcome: ProbeOutcome) => {
      session.close();
      socket.destroy();
      resolve(outcome);
    };
    session.on('error', (error) => finish({ success: false, message: `rpc error: ${error.message}` }));
    const stream = session.request({
      ':method': 'POST',
      ':path': '/grpc.health.v1.Health/Check',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    const chunks: Buffer[] = [];
    let grpcStatus: string | undefined;
    stream.on('trailers', (trailers) => {
      grpcStatus = String(trailers['grpc-status'] ?? '');
    });
    stream.on('response', (headers) => {
      if (headers['grpc-status'] !== undefined) grpcStatus = String(headers['grpc-status']);
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (error) => finish({ success: false, message: `rpc error: ${error.message}` }));
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      if (grpcStatus && grpcStatus !== '0')
        return finish({ success: false, message: `rpc error: code = ${grpcStatus}` });
      // HealthCheckResponse { ServingStatus status = 1; }: bytes 0x08 <status>.
      const payload = body.subarray(5);
      const status = payload.length >= 2 && payload[0] === 0x08 ? payload[1] : 0;
      const names = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];
      if (status === 1) finish({ success: true, message: '' });
      else
        finish({
          success: false,
          message: `service unhealthy (responded with "${names[status] ?? status}")`,
        });
    });
    stream.end(frame);
  });
}

function dialError(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error
      ? String((error as { code: unknown }).code)
      : '';
  if (code === 'ECONNREFUSED') return 'connect: connection refused';
  if (code === 'EHOSTUNREACH') return 'connect: no route to host';
  return error instanceof Error ? error.message : String(error);
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(onTimeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
