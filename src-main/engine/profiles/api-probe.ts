import { request } from 'node:https';

/** How to reach a profile's API server as its admin. */
export interface ApiEndpoint {
  port: number;
  caCertPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

/** The outcome of one HTTPS GET: the status and body, or why no answer came. */
export type ApiAnswer = { status: number; body: string } | { error: string };

/**
 * GETs `path` from the API server at `https://127.0.0.1:<port>` with the admin client certificate,
 * verifying the server against the profile CA. Never throws: failures come back as `{ error }`.
 */
export function apiGet(endpoint: ApiEndpoint, path: string, timeoutMs = 2_000): Promise<ApiAnswer> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: endpoint.port,
        path,
        method: 'GET',
        ca: endpoint.caCertPem,
        cert: endpoint.clientCertPem,
        key: endpoint.clientKeyPem,
        headers: { Accept: 'application/json, */*' },
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (err) => resolve({ error: err.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ error: err.message }));
    req.end();
  });
}

/** Whether `/readyz` answers 200 right now. */
export async function isApiReady(endpoint: ApiEndpoint, timeoutMs = 2_000): Promise<boolean> {
  const answer = await apiGet(endpoint, '/readyz', timeoutMs);
  return 'status' in answer && answer.status === 200;
}

/**
 * Polls `/readyz` until it answers 200, or throws after `timeoutMs` with the last answer in the
 * message (so the caller can say what it waited for and what it saw).
 */
export async function waitForApiReady(
  endpoint: ApiEndpoint,
  timeoutMs: number,
  shouldAbort?: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no attempt yet';
  for (;;) {
    const answer = await apiGet(endpoint, '/readyz', Math.min(2_000, Math.max(100, deadline - Date.now())));
    if ('status' in answer && answer.status === 200) return;
    last = 'status' in answer ? `HTTP ${answer.status} ${answer.body.trim().slice(0, 200)}` : answer.error;
    const abort = shouldAbort?.();
    if (abort) throw new Error(abort);
    if (Date.now() >= deadline) {
      throw new Error(
        `Timed out after ${Math.round(timeoutMs / 1000)}s waiting for https://127.0.0.1:${endpoint.port}/readyz to answer 200 (last: ${last})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
