/**
 * The dashboard backend against a real cluster: a profile created and started through the backend
 * (with its progress), lists and watches read by the backend while the real kubectl changes
 * objects, YAML applied and edited, and typed errors from the real API server.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
  PushChannel,
  PushMap,
  Session,
} from '../ipc/contract';
import { fromEnvelope } from '../ipc/errors';
import { Backend } from './backend';

const profile = `it-ui-${randomBytes(3).toString('hex')}`;
const cluster = `profile:${profile}`;
const CONFIGMAPS = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };

let dir: string;
let env: NodeJS.ProcessEnv;
let backend: Backend;
const pushes: { channel: PushChannel; payload: unknown }[] = [];
const closers: (() => void)[] = [];
const session: Session = {
  id: 'test',
  push: (channel, payload) => pushes.push({ channel, payload }),
  onClose: (cleanup) => closers.push(cleanup),
};

async function call<C extends InvokeChannel>(
  channel: C,
  request: InvokeRequest<C>,
): Promise<InvokeResponse<C>> {
  const outcome = await backend.invoke(channel, request, session);
  if (!outcome.ok) throw fromEnvelope(outcome.error);
  return outcome.result as InvokeResponse<C>;
}

function kubectl(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'kubectl',
      [...args, '--request-timeout=20s'],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

async function until<T>(read: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-backend-'));
  env = {
    KUBEDESK_PAUSE_IMAGE: 'kubedesk-test/pause:1',
    KUBEDESK_AGENT_BASE_IMAGE: 'kubedesk-test/node:1',
    KUBEDESK_REGISTRY_IMAGE: 'kubedesk-test/registry:1',
    ...process.env,
    KUBEDESK_HOME: join(dir, 'home'),
    KUBECONFIG: join(dir, 'kubeconfig'),
  };
  delete env.KUBEDESK_ENGINE_ENTRY;
  backend = new Backend({ env, mode: 'browser' });
  backend.connect(session);
});

afterAll(async () => {
  for (const close of closers.splice(0)) close();
  await backend?.clusters.delete(profile).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('backend on a real cluster', () => {
  it('creates and starts a profile, relaying its steps', async () => {
    await call('clusters.create', { name: profile, nodes: 1 });
    const steps = pushes
      .filter((p) => p.channel === 'clusters.progress')
      .map((p) => p.payload as PushMap['clusters.progress']);
    expect(steps.some((s) => s.state === 'running')).toBe(true);
    expect(steps.at(-1)?.step).toMatch(/^Done!/);
    const clusters = await call('clusters.list', {});
    expect(clusters.find((c) => c.id === cluster)).toMatchObject({
      state: 'Running',
      nodes: 1,
      nodesReady: 1,
    });
    await expect(call('clusters.create', { name: profile })).rejects.toMatchObject({ kind: 'AlreadyExists' });
  });

  it('lists, then relays watch events for changes made by kubectl', async () => {
    const list = await call('kube.list', { cluster, type: CONFIGMAPS, namespace: 'default' });
    const { watchId } = await call('kube.watch', {
      cluster,
      type: CONFIGMAPS,
      namespace: 'default',
      resourceVersion: list.resourceVersion,
    });
    await kubectl('create', 'configmap', 'watched', '--from-literal=a=1', '-n', 'default');
    await kubectl('delete', 'configmap', 'watched', '-n', 'default');
    const events = await until(() => {
      const seen = pushes
        .filter(
          (p) => p.channel === 'watch.event' && (p.payload as PushMap['watch.event']).watchId === watchId,
        )
        .flatMap((p) => (p.payload as PushMap['watch.event']).events)
        .filter((e) => e.object.metadata.name === 'watched')
        .map((e) => e.type);
      return seen.includes('DELETED') ? seen : undefined;
    });
    expect(events).toEqual(['ADDED', 'DELETED']);
    await call('kube.unwatch', { watchId });
    expect(backend.watches.size).toBe(0);
  });

  it('applies multi-document YAML, edits with a merge patch, and reports server errors typed', async () => {
    const applied = await call('kube.apply', {
      cluster,
      mode: 'apply',
      namespace: 'default',
      yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\ndata: {a: "1"}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n',
    });
    expect(applied).toEqual([
      { kind: 'ConfigMap', name: 'one', namespace: 'default', action: 'created' },
      { kind: 'Namespace', name: 'team', action: 'created' },
    ]);
    const original = await kubectl('get', 'configmap', 'one', '-n', 'default', '-o', 'yaml');
    await kubectl('label', 'configmap', 'one', '-n', 'default', 'by=kubectl');
    // The edit starts from a version that is stale by now; only the user's change is sent.
    const edited = original.replace('a: "1"', 'a: "2"');
    await call('kube.apply', { cluster, mode: 'edit', yaml: edited, original, namespace: 'default' });
    expect(
      await kubectl(
        'get',
        'configmap',
        'one',
        '-n',
        'default',
        '-o',
        'jsonpath={.data.a} {.metadata.labels.by}',
      ),
    ).toBe('2 kubectl');
    await expect(
      call('kube.apply', {
        cluster,
        mode: 'create',
        yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one, namespace: default}\n',
      }),
    ).rejects.toMatchObject({ kind: 'AlreadyExists', code: 409 });
    await expect(
      call('kube.get', { cluster, type: CONFIGMAPS, namespace: 'default', name: 'missing' }),
    ).rejects.toMatchObject({ kind: 'NotFound', message: 'configmaps "missing" not found' });
  });

  it('stops the profile, after which its API is Unavailable', async () => {
    await call('clusters.stop', { name: profile });
    const clusters = await call('clusters.list', {});
    expect(clusters.find((c) => c.id === cluster)?.state).toBe('Stopped');
    await expect(call('kube.list', { cluster, type: CONFIGMAPS })).rejects.toMatchObject({
      kind: 'Unavailable',
    });
  });
});
