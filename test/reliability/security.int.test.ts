/**
 * Security guarantees of a running engine: where the API server listens, who it lets in, file
 * permissions of keys, tokens, state and kubeconfig, atomic kubeconfig writes, and no secret
 * material in the engine log.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensureProfilePki } from '../../src-main/engine/profiles/pki';
import { docker, httpsCall, ok, run, TEST_IMAGE, TestProfile, waitFor } from './harness';

let profile: TestProfile;
let gateway: string;

beforeAll(async () => {
  profile = await TestProfile.create('sec');
  // A context the user had before must survive every kubeconfig write.
  await run('mkdir', ['-p', dirname(profile.kubeconfig)]);
  await writeFile(
    profile.kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: other, cluster: {server: "https://example.invalid"}}]',
      'users: [{name: other, user: {token: keep-me}}]',
      'contexts: [{name: other, context: {cluster: other, user: other}}]',
      'current-context: other',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  await profile.start();
  const inspect = JSON.parse(ok(await docker('network', 'inspect', `kubedesk-${profile.name}`))) as {
    IPAM: { Config: { Gateway: string }[] };
  }[];
  gateway = inspect[0]?.IPAM.Config[0]?.Gateway ?? '';
});

afterAll(async () => {
  await profile?.cleanup();
});

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('API server exposure', () => {
  it('listens only on 127.0.0.1 and the Docker network gateway, NodePort and LoadBalancer listeners included', async () => {
    const pid = await profile.enginePid();
    const engineSockets = async () =>
      ok(await run('ss', ['-ltnpH']))
        .split('\n')
        .filter((line) => line.includes(`pid=${pid},`));
    const before = (await engineSockets()).length;
    const ports = [30000 + Math.floor(Math.random() * 2700), 18000 + Math.floor(Math.random() * 1000)];
    ok(
      await profile.kubectl(
        ['apply', '-f', '-'],
        [
          { name: 'exposed-np', spec: { type: 'NodePort', ports: [{ port: 80, nodePort: ports[0] }] } },
          { name: 'exposed-lb', spec: { type: 'LoadBalancer', ports: [{ port: ports[1] }] } },
        ]
          .map(({ name, spec }) =>
            JSON.stringify({
              apiVersion: 'v1',
              kind: 'Service',
              metadata: { name },
              spec: { ...spec, selector: { app: name } },
            }),
          )
          .join('\n'),
      ),
    );
    const sockets = await waitFor(
      'the NodePort and LoadBalancer listeners',
      async () => {
        const now = await engineSockets();
        return ports.every((port) => now.some((line) => line.split(/\s+/)[3]?.endsWith(`:${port}`)))
          ? now
          : undefined;
      },
      20_000,
    );
    expect(sockets.length).toBeGreaterThanOrEqual(before + 2);
    const addresses = new Set(sockets.map((line) => line.split(/\s+/)[3]?.replace(/:\d+$/, '')));
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const address of addresses) expect(['127.0.0.1', gateway]).toContain(address);
    expect(addresses).toContain('127.0.0.1');
  });

  it('answers anonymous requests, bad tokens and foreign certificates with 401 on every address', async () => {
    const { ca } = await profile.pki();
    const port = await profile.port();
    const foreign = await ensureProfilePki(join(profile.home, 'foreign-pki'));
    for (const host of ['127.0.0.1', gateway]) {
      const attempts = [
        {},
        { headers: { Authorization: 'Bearer not-a-token' } },
        { headers: { Authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' } },
        { cert: foreign.adminCertPem, key: foreign.adminKeyPem },
      ];
      for (const attempt of attempts) {
        const answer = await httpsCall({
          host,
          port,
          method: 'GET',
          path: '/api/v1/secrets',
          ca,
          ...attempt,
        });
        expect(answer.status, `${host} ${JSON.stringify(Object.keys(attempt))}`).toBe(401);
        expect(JSON.parse(answer.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
      }
    }
  });

  it('lets the admin in and refuses the default service account until bound', async () => {
    expect(ok(await profile.kubectl(['auth', 'can-i', '*', '*']))).toContain('yes');
    const sa = 'system:serviceaccount:default:default';
    const denied = await profile.kubectl(['get', 'pods', `--as=${sa}`]);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain(
      `pods is forbidden: User "${sa}" cannot list resource "pods" in API group "" in the namespace "default"`,
    );
    const token = ok(await profile.kubectl(['create', 'token', 'default'])).trim();
    const port = await profile.port();
    const { ca } = await profile.pki();
    const withToken = (path: string) =>
      httpsCall({
        host: gateway,
        port,
        method: 'GET',
        path,
        ca,
        headers: { Authorization: `Bearer ${token}` },
      });
    expect((await withToken('/api/v1/namespaces/default/pods')).status).toBe(403);
    expect((await withToken('/api')).status).toBe(200);
  });
});

describe('files', () => {
  it('keeps keys, tokens, state and the kubeconfig readable by the user only', async () => {
    const dir = profile.dir;
    expect(await mode(dir)).toBe(0o700);
    const pki = join(dir, 'pki');
    for (const file of await readdir(pki)) {
      if (file.endsWith('.key')) expect(await mode(join(pki, file)), file).toBe(0o600);
    }
    expect(await mode(join(dir, 'network', 'agent.key'))).toBe(0o600);
    expect(await mode(join(dir, 'network', 'tunnel-token'))).toBe(0o600);
    expect(await mode(join(dir, 'state.db'))).toBe(0o600);
    expect(await mode(profile.kubeconfig)).toBe(0o600);
  });

  it('writes the kubeconfig atomically: a reader never sees a partial file', async () => {
    let stop = false;
    let reads = 0;
    const failures: string[] = [];
    const reader = (async () => {
      while (!stop) {
        const text = await readFile(profile.kubeconfig, 'utf8');
        reads++;
        try {
          const config = parse(text) as { contexts?: { name: string }[] };
          const names = (config.contexts ?? []).map((c) => c.name);
          if (!names.includes('other') || !names.includes(profile.name)) failures.push(text);
        } catch (error) {
          failures.push(String(error));
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let i = 0; i < 3; i++) ok(await profile.kubedesk(['start']));
    stop = true;
    await reader;
    expect(reads).toBeGreaterThan(10);
    expect(failures).toEqual([]);
    expect(await mode(profile.kubeconfig)).toBe(0o600);
    const leftovers = (await readdir(dirname(profile.kubeconfig))).filter((f) => f !== 'config');
    expect(leftovers.filter((f) => !f.endsWith('.lock'))).toEqual([]);
    const config = parse(await readFile(profile.kubeconfig, 'utf8')) as {
      users: { name: string; user: unknown }[];
    };
    expect(config.users.find((u) => u.name === 'other')?.user).toEqual({ token: 'keep-me' });
  });

  it('never writes secret values, tokens or keys to the engine log', async () => {
    const value = `s3cr3t-${randomBytes(8).toString('hex')}`;
    ok(await profile.kubectl(['create', 'secret', 'generic', 'creds', `--from-literal=password=${value}`]));
    ok(
      await profile.kubectl(
        ['apply', '-f', '-'],
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'uses-secret' },
          spec: {
            containers: [
              {
                name: 'main',
                image: TEST_IMAGE,
                command: ['sh', '-c', 'cat /creds/password; echo; sleep 3600'],
                env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } }],
                volumeMounts: [{ name: 'creds', mountPath: '/creds' }],
              },
            ],
            volumes: [{ name: 'creds', secret: { secretName: 'creds' } }],
          },
        }),
      ),
    );
    // A pod whose secret is missing makes the kubelet report errors: they must name, not show.
    ok(
      await profile.kubectl(
        ['apply', '-f', '-'],
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'missing-secret' },
          spec: {
            containers: [
              {
                name: 'main',
                image: TEST_IMAGE,
                command: ['sleep', '3600'],
                env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'nope' } } }],
              },
            ],
          },
        }),
      ),
    );
    await waitFor('the pod to print its secret', async () =>
      (await profile.kubectl(['logs', 'uses-secret'])).stdout.includes(value),
    );
    expect(ok(await profile.kubectl(['exec', 'uses-secret', '--', 'sh', '-c', 'echo $PASSWORD']))).toContain(
      value,
    );
    const token = ok(await profile.kubectl(['create', 'token', 'default'])).trim();
    ok(await profile.kubectl(['delete', 'secret', 'creds']));
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const log = await profile.engineLog();
    expect(log.length).toBeGreaterThan(0);
    const { key } = await profile.pki();
    const keyBody = key.split('\n').filter((l) => l && !l.startsWith('-----'))[0] ?? '';
    const saKey = (await readFile(join(profile.dir, 'pki', 'sa.key'), 'utf8'))
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))[0];
    for (const needle of [
      value,
      Buffer.from(value).toString('base64'),
      token,
      token.split('.')[2] ?? token,
      keyBody,
      saKey ?? 'x',
    ]) {
      expect(log.includes(needle), `engine log contains ${needle.slice(0, 12)}…`).toBe(false);
    }
  });
});
