import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { ProfilePki } from '../../profiles/types';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

export interface HttpCall {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Authenticate with the admin client certificate (default true). */
  clientCert?: boolean;
}

/** A raw HTTPS call to a test API server, trusting its CA. */
export function callApi(port: number, pki: ProfilePki, call: HttpCall): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const useCert = call.clientCert ?? true;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: call.method ?? 'GET',
        path: call.path,
        // Node sends DELETE bodies without framing unless told their length.
        headers:
          call.body !== undefined
            ? { 'content-length': String(Buffer.byteLength(call.body)), ...call.headers }
            : call.headers,
        ca: pki.caCertPem,
        ...(useCert ? { cert: pki.adminCertPem, key: pki.adminKeyPem } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(call.body);
  });
}

/** Opens a watch and collects its lines until `stop` (or the server ends it). */
export function openWatch(
  port: number,
  pki: ProfilePki,
  path: string,
  headers: Record<string, string> = {},
): {
  lines: string[];
  ended: Promise<void>;
  stop(): void;
  waitForLines(n: number, timeoutMs?: number): Promise<string[]>;
} {
  const lines: string[] = [];
  let buffer = '';
  const listeners = new Set<() => void>();
  let stop = (): void => {};
  const ended = new Promise<void>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        headers,
        ca: pki.caCertPem,
        cert: pki.adminCertPem,
        key: pki.adminKeyPem,
      },
      (res) => {
        res.on('data', (d: Buffer) => {
          buffer += d.toString();
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            lines.push(buffer.slice(0, nl));
            buffer = buffer.slice(nl + 1);
          }
          for (const l of listeners) l();
        });
        res.on('end', () => resolve());
        res.on('close', () => resolve());
      },
    );
    req.on('error', (e) => (lines.length ? resolve() : reject(e)));
    req.end();
    stop = () => req.destroy();
  });
  return {
    lines,
    ended,
    stop: () => stop(),
    waitForLines: (n, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (lines.length >= n) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(lines);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`only ${lines.length} watch lines: ${lines.join('\n')}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
  };
}
