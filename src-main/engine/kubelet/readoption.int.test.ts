import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { realClock } from '../controllers/runtime/clock';
import { bootstrapCluster } from '../apiserver/storage/bootstrap';
import { ObjectStorage } from '../apiserver/storage/object-storage';
import { fakePatcher, fakeResolver } from '../apiserver/testing/fake-resources';
import { DockerRuntime } from '../runtime/docker/docker-runtime';
import { LABELS } from '../runtime/types';
import { openSqliteStore } from '../store/sqlite-store';
import { startKubelet } from './kubelet';
import { PODS } from './resources';
import { pauseImage, statusOf, testImage, waitFor } from './testing/harness';
import { kubeletTestDefinitions } from './testing/test-api';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const profile = `kr-${randomUUID().slice(0, 8)}`;
const runtime = new DockerRuntime();
let profileDir = '';

afterAll(async () => {
  for (const c of await runtime.listManaged(profile)) await runtime.remove(c.id);
  await runtime.removeNetwork(`kubedesk-${profile}`);
  if (profileDir) await fs.rm(profileDir, { recursive: true, force: true });
});

function openApi(file: string) {
  const store = openSqliteStore(file);
  return {
    store,
    api: new ObjectStorage({ store, resources: fakeResolver(kubeletTestDefinitions), patcher: fakePatcher }),
  };
}

describe('an engine killed with kill -9', () => {
  it('leaves its pods running, and a new kubelet adopts them without restart or duplicate', async () => {
    profileDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubedesk-readopt-'));
    const file = path.join(profileDir, 'state.db');
    const options = { nodeName: profile, profile, profileDir, network: `kubedesk-${profile}`, pauseImage };
    {
      const { store, api } = openApi(file);
      bootstrapCluster(api);
      api.create(PODS, 'default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'survivor', namespace: 'default' },
        spec: {
          nodeName: profile,
          containers: [{ name: 'main', image: testImage, command: ['sleep', '600'] }],
        },
      });
      store.close();
    }

    const child = spawn(
      process.execPath,
      [
        'bin/run-ts.mjs',
        path.join(here, 'testing', 'kubelet-process.fixture.ts'),
        file,
        JSON.stringify(options),
      ],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const running = await waitFor(
        'the pod container running under the first engine',
        async () => {
          const list = await runtime.listManaged(profile, { [LABELS.podName]: 'survivor' });
          const app = list.find((c) => c.role === 'app' && c.state === 'running');
          return app ? list : undefined;
        },
        60_000,
      );
      // Give the first engine time to write the status it will be judged against.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      child.kill('SIGKILL');
      await exited;

      const afterKill = await runtime.listManaged(profile, { [LABELS.podName]: 'survivor' });
      expect(afterKill.map((c) => [c.id, c.state]).sort()).toEqual(
        running.map((c) => [c.id, 'running']).sort(),
      );

      const { store, api } = openApi(file);
      const kubelet = await startKubelet({ ...options, api, runtime, clock: realClock, resyncMs: 1_000 });
      try {
        const pod = await waitFor('status from the new kubelet', () => {
          const p = api.get(PODS, 'default', 'survivor');
          return statusOf(p).containerStatuses?.[0]?.state.running ? p : undefined;
        });
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        const adopted = await runtime.listManaged(profile, { [LABELS.podName]: 'survivor' });
        expect(adopted.map((c) => c.id).sort()).toEqual(running.map((c) => c.id).sort());
        expect(adopted.every((c) => c.state === 'running')).toBe(true);
        const app = running.find((c) => c.role === 'app');
        expect(statusOf(pod).containerStatuses?.[0]).toMatchObject({
          restartCount: 0,
          containerID: `docker://${app?.id}`,
        });
      } finally {
        await kubelet.stop();
        store.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      if (stderr.trim()) console.error(stderr);
    }
  });
});
