/**
 * Bad input through the HTTPS API: ≥ 10,000 mutated manifests, raw bodies, broken patches of
 * every type, bad query parameters and odd paths against the real API server (built-in
 * registry, patch engine and schemas). Every answer must be below 500, every rejection a
 * proper Status whose code matches the HTTP status, a rejected request must leave the store
 * untouched (no partial writes), and the server must stay up and consistent.
 */
import { appendFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer } from '../../src-main/engine/apiserver/testing/test-api-server';
import type { TestApiServer } from '../../src-main/engine/apiserver/testing/test-api-server';
import { httpsCall } from './harness';
import { Mutator, nextCase, rng } from './fuzz/mutate';
import type { FuzzCase } from './fuzz/mutate';
import { SEEDS } from './fuzz/seeds';

const CASES = Number(process.env.KUBEDESK_FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.KUBEDESK_FUZZ_SEED ?? 20261122);
/** A file every case is appended to before it is sent, to find the one that brings the server down. */
const TRACE = process.env.KUBEDESK_FUZZ_TRACE;

let server: TestApiServer;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

const send = (c: Pick<FuzzCase, 'method' | 'path' | 'headers' | 'body'>) =>
  httpsCall({
    host: '127.0.0.1',
    port: server.port,
    method: c.method,
    path: c.path,
    headers: c.headers,
    body: c.body,
    ca: server.pki.caCertPem,
    cert: server.pki.adminCertPem,
    key: server.pki.adminKeyPem,
    agent,
    timeoutMs: 20_000,
  });

beforeAll(async () => {
  server = await startTestApiServer();
  for (const seed of SEEDS) {
    const answer = await send({
      method: 'POST',
      path: seed.path,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify(seed.object)),
    });
    expect(answer.status, `${seed.path}: ${answer.body}`).toBe(201);
  }
});

afterAll(async () => {
  agent.destroy();
  await server?.close();
});

function statusProblem(status: number, body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `not JSON: ${body.slice(0, 200)}`;
  }
  if (!parsed || typeof parsed !== 'object') return `not an object: ${body.slice(0, 200)}`;
  const s = parsed as Record<string, unknown>;
  if (s.kind !== 'Status' || s.apiVersion !== 'v1') return `not a Status: ${body.slice(0, 200)}`;
  if (s.status !== 'Failure') return `status ${String(s.status)}`;
  if (s.code !== status) return `code ${String(s.code)} for HTTP ${status}`;
  if (typeof s.message !== 'string' || s.message === '') return 'no message';
  if (typeof s.reason !== 'string' || s.reason === '') return `no reason (${s.message})`;
  return undefined;
}

describe('fuzzing the API', () => {
  it(
    `survives ${CASES} mutated requests with proper Status answers and no partial writes`,
    { timeout: 900_000 },
    async () => {
      const m = new Mutator(rng(SEED));
      const problems: string[] = [];
      const statuses = new Map<number, number>();
      for (let i = 0; i < CASES; i++) {
        const c = nextCase(m);
        if (TRACE)
          appendFileSync(
            TRACE,
            `#${i} ${c.label} ${c.method} ${c.path.slice(0, 200)} [${c.headers['content-type'] ?? ''}] ${c.body?.length ?? 0} bytes: ${c.body?.subarray(0, 300).toString('utf8') ?? ''}\n`,
          );
        const before = server.store.currentRevision();
        let answer;
        try {
          answer = await send(c);
        } catch (error) {
          problems.push(`#${i} ${c.label} ${c.method} ${c.path.slice(0, 120)}: no answer: ${String(error)}`);
          continue;
        }
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const where = `#${i} ${c.label} ${c.method} ${c.path.slice(0, 120)} [${c.headers['content-type'] ?? ''}] body ${c.body?.subarray(0, 160).toString('utf8') ?? ''}`;
        if (answer.status >= 500 || answer.status < 200) {
          problems.push(`${where} → ${answer.status} ${answer.body.slice(0, 300)}`);
        } else if (answer.status >= 400) {
          const problem = c.method === 'HEAD' ? undefined : statusProblem(answer.status, answer.body);
          if (problem) problems.push(`${where} → ${answer.status}: ${problem}`);
          const after = server.store.currentRevision();
          if (after !== before)
            problems.push(`${where} → ${answer.status} but the store moved ${before} → ${after}`);
        }
        if (problems.length > 40) break;
      }
      console.log(`fuzz status counts: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
      expect(problems).toEqual([]);
      expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(CASES);
    },
  );

  it('leaves a consistent, serving store behind', async () => {
    for (const seed of SEEDS) {
      const list = await send({ method: 'GET', path: seed.path, headers: {} });
      expect(list.status, `${seed.path}: ${list.body.slice(0, 300)}`).toBe(200);
      const items = (JSON.parse(list.body) as { items: unknown[] }).items;
      expect(Array.isArray(items)).toBe(true);
    }
    const all = server.store.list('/');
    for (const record of all.records) expect(() => JSON.parse(record.value), record.key).not.toThrow();
  });
});
