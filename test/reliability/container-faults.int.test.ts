/**
 * Faults outside the engine: a pod's container killed or removed with the Docker CLI is handled
 * per the pod's restart policy within seconds; a start with no reachable Docker engine fails at
 * once with one line naming the cause and the fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, ok, podContainers, TEST_IMAGE, TestProfile, waitFor } from './harness';

let profile: TestProfile;

interface PodStatus {
  status: {
    phase: string;
    containerStatuses?: { restartCount: number; ready: boolean; state: Record<string, unknown> }[];
  };
}

async function createPod(name: string, restartPolicy: string): Promise<string> {
  ok(
    await profile.kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: {
          restartPolicy,
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'main', image: TEST_IMAGE, command: ['sleep', '3600'] }],
        },
      }),
    ),
  );
  ok(await profile.kubectl(['wait', '--for=condition=Ready', `pod/${name}`, '--timeout=60s']));
  const id = (await podContainers(profile.name)).get(`default/${name}/main`);
  if (!id) throw new Error(`no container for ${name}`);
  return id;
}

const status = (name: string) => profile.kubectlJson<PodStatus>(['get', 'pod', name]);

beforeAll(async () => {
  profile = await TestProfile.create('ctr');
  await profile.start();
});

afterAll(async () => {
  await profile?.cleanup();
});

describe('containers killed or removed behind the engine', () => {
  it('restarts a killed container of a restartPolicy Always pod within seconds', async () => {
    const id = await createPod('always', 'Always');
    const killedAt = Date.now();
    ok(await docker('kill', id));
    await waitFor(
      'the container to be restarted and ready',
      async () => {
        const pod = await status('always');
        const c = pod.status.containerStatuses?.[0];
        return c && c.restartCount >= 1 && c.ready ? pod : undefined;
      },
      20_000,
    );
    expect(Date.now() - killedAt).toBeLessThan(20_000);
    expect(ok(await profile.kubectl(['exec', 'always', '--', 'echo', 'alive'])).trim()).toBe('alive');
  });

  it('recreates a removed container of a restartPolicy Always pod', async () => {
    const before = (await podContainers(profile.name)).get('default/always/main');
    if (!before) throw new Error('no container');
    ok(await docker('rm', '-f', before));
    const after = await waitFor(
      'a new running container',
      async () => {
        const id = (await podContainers(profile.name)).get('default/always/main');
        const pod = await status('always');
        return id && id !== before && pod.status.containerStatuses?.[0]?.ready ? id : undefined;
      },
      20_000,
    );
    expect(after).not.toBe(before);
    const count = [...(await podContainers(profile.name)).keys()].filter((k) => k === 'default/always/main');
    expect(count).toHaveLength(1);
  });

  it('marks a restartPolicy Never pod Failed when its container is killed, and does not restart it', async () => {
    const id = await createPod('never', 'Never');
    ok(await docker('kill', id));
    const pod = await waitFor(
      'the pod to fail',
      async () => {
        const p = await status('never');
        return p.status.phase === 'Failed' ? p : undefined;
      },
      20_000,
    );
    expect(pod.status.containerStatuses?.[0]?.restartCount).toBe(0);
    expect(pod.status.containerStatuses?.[0]?.state).toHaveProperty('terminated');
    expect((await podContainers(profile.name)).has('default/never/main')).toBe(false);
  });

  it('restarts a restartPolicy OnFailure pod whose container was killed (exit 137 is a failure)', async () => {
    const id = await createPod('onfailure', 'OnFailure');
    ok(await docker('kill', id));
    await waitFor(
      'the container to be restarted',
      async () => {
        const c = (await status('onfailure')).status.containerStatuses?.[0];
        return c && c.restartCount >= 1 && c.ready;
      },
      20_000,
    );
  });

  it('brings a pod back when its sandbox container is removed', async () => {
    const sandbox = ok(
      await docker(
        'ps',
        '-q',
        '--filter',
        `label=io.kubedesk.profile=${profile.name}`,
        '--filter',
        'label=io.kubedesk.pod-name=always',
        '--filter',
        'label=io.kubedesk.role=sandbox',
      ),
    ).trim();
    expect(sandbox).not.toBe('');
    ok(await docker('rm', '-f', sandbox));
    await waitFor(
      'the pod to run again in a new sandbox',
      async () => {
        const pod = await status('always');
        if (!pod.status.containerStatuses?.[0]?.ready) return false;
        return (await profile.kubectl(['exec', 'always', '--', 'echo', 'ok'])).stdout.trim() === 'ok';
      },
      30_000,
    );
  });
});

describe('no Docker engine', () => {
  it('fails a start at once with one line naming the cause and the fix', async () => {
    const lonely = await TestProfile.create('nodocker', {
      DOCKER_HOST: 'unix:///tmp/kubedesk-no-such-docker.sock',
    });
    try {
      const result = await lonely.kubedesk(['start'], { timeout: 60_000 });
      expect(result.code).not.toBe(0);
      expect(result.ms).toBeLessThan(30_000);
      const last = result.stderr.trim().split('\n').at(-1) ?? '';
      expect(last).toMatch(/^Error: /);
      expect(last).toContain('Docker engine not reachable at unix:///tmp/kubedesk-no-such-docker.sock');
      expect(last).toMatch(/start it with .*systemctl start docker|Docker Desktop/);
      expect(await lonely.enginePid().then((pid) => pid !== undefined && pid > 0 && isRunning(pid))).toBe(
        false,
      );
    } finally {
      await lonely.cleanup();
    }
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
