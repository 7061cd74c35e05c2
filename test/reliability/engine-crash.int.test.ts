/**
 * kill -9 of the engine: during a write storm every acknowledged write survives and watches
 * resume from the last revision seen; with pods running their containers are left alone and
 * re-adopted on restart, with no restart and no duplicate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alive,
  docker,
  ok,
  openWatch,
  podContainers,
  sleep,
  TEST_IMAGE,
  TestProfile,
  waitFor,
} from './harness';

let profile: TestProfile;

beforeAll(async () => {
  profile = await TestProfile.create('crash');
  await profile.start();
});

afterAll(async () => {
  await profile?.cleanup();
});

const revision = (rv: string | undefined) => Number(rv ?? 0);

describe('kill -9 of the engine', () => {
  it('keeps every acknowledged write of a write storm, and watches resume', async () => {
    ok(await profile.kubectl(['create', 'namespace', 'storm']));
    const watch = await openWatch(
      profile,
      '/api/v1/namespaces/storm/configmaps?watch=true&resourceVersion=0',
    );
    const acknowledged = new Map<string, string>();
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const name = `storm-${w}-${i}`;
        const body = JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name },
          data: { i: String(i) },
        });
        try {
          const answer = await profile.call('POST', '/api/v1/namespaces/storm/configmaps', body, {
            'content-type': 'application/json',
          });
          if (answer.status !== 201) throw new Error(`${answer.status} ${answer.body}`);
          acknowledged.set(name, String(i));
        } catch {
          return;
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    await waitFor('a few hundred acknowledged writes', async () => acknowledged.size >= 300, 60_000, 20);
    await profile.killEngine();
    stop = true;
    await Promise.all(workers);
    watch.stop();
    const seen = new Set(
      watch.events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata?.name ?? ''),
    );
    const lastSeen = Math.max(...watch.events.map((e) => revision(e.object.metadata?.resourceVersion)));
    expect(acknowledged.size).toBeGreaterThanOrEqual(300);

    await profile.start();
    const list = await profile.kubectlJson<{ items: { metadata: { name: string }; data: { i: string } }[] }>([
      'get',
      'configmaps',
      '-n',
      'storm',
    ]);
    const stored = new Map(list.items.map((cm) => [cm.metadata.name, cm.data?.i]));
    const missing = [...acknowledged].filter(([name, i]) => stored.get(name) !== i).map(([name]) => name);
    expect(missing).toEqual([]);

    // A watch from the last revision seen before the crash delivers exactly what it missed.
    const resumed = await openWatch(
      profile,
      `/api/v1/namespaces/storm/configmaps?watch=true&resourceVersion=${lastSeen}&allowWatchBookmarks=true`,
    );
    const unseen = [...acknowledged.keys()].filter((name) => !seen.has(name));
    await waitFor(
      'the resumed watch to deliver every write the first one missed',
      async () => {
        const names = new Set(resumed.events.map((e) => e.object.metadata?.name));
        return unseen.every((name) => names.has(name));
      },
      30_000,
    );
    resumed.stop();
    expect(resumed.events.some((e) => e.type === 'ERROR')).toBe(false);
    const duplicates = resumed.events.filter(
      (e) => e.type === 'ADDED' && seen.has(e.object.metadata?.name ?? ''),
    );
    expect(duplicates).toEqual([]);
    // The store takes writes again.
    ok(await profile.kubectl(['create', 'configmap', 'after-crash', '-n', 'storm']));
  });

  it('leaves running pods alone and re-adopts them: no restart, no duplicate', async () => {
    ok(
      await profile.kubectl([
        'create',
        'deployment',
        'sleepers',
        `--image=${TEST_IMAGE}`,
        '--replicas=3',
        '--',
        'sleep',
        '3600',
      ]),
    );
    ok(await profile.kubectl(['rollout', 'status', 'deployment/sleepers', '--timeout=120s']));
    const before = await podContainers(profile.name);
    const allBefore = ok(
      await docker('ps', '-q', '--no-trunc', '--filter', `label=io.kubedesk.profile=${profile.name}`),
    )
      .split('\n')
      .filter(Boolean)
      .sort();
    type PodList = {
      items: {
        metadata: { name: string; uid: string };
        status: { containerStatuses?: { restartCount: number }[] };
      }[];
    };
    const podsBefore = await profile.kubectlJson<PodList>(['get', 'pods', '-l', 'app=sleepers']);
    expect(podsBefore.items).toHaveLength(3);

    await profile.killEngine();
    await sleep(2000);
    const whileDown = ok(
      await docker('ps', '-q', '--no-trunc', '--filter', `label=io.kubedesk.profile=${profile.name}`),
    )
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(whileDown).toEqual(allBefore);

    await profile.start();
    // Give the kubelets a few sync rounds to do anything they would wrongly do.
    await sleep(8000);
    const rollout = await profile.kubectl(['rollout', 'status', 'deployment/sleepers', '--timeout=60s']);
    if (rollout.code !== 0) {
      const state = await profile.kubectl(['get', 'deploy,rs,pods,nodes', '-o', 'wide']);
      const podYaml = await profile.kubectl(['get', 'pods', '-o', 'yaml']);
      throw new Error(
        `${rollout.stdout}\n${state.stdout}\n${podYaml.stdout}\n${(await profile.engineLog()).slice(-5000)}`,
      );
    }
    const after = await podContainers(profile.name);
    expect([...after].sort()).toEqual([...before].sort());
    const allAfter = ok(
      await docker('ps', '-aq', '--no-trunc', '--filter', `label=io.kubedesk.profile=${profile.name}`),
    )
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(allAfter).toEqual(allBefore);
    const podsAfter = await profile.kubectlJson<PodList>(['get', 'pods', '-l', 'app=sleepers']);
    expect(podsAfter.items.map((p) => p.metadata.uid).sort()).toEqual(
      podsBefore.items.map((p) => p.metadata.uid).sort(),
    );
    for (const pod of podsAfter.items) {
      expect(pod.status.containerStatuses?.map((c) => c.restartCount)).toEqual([0]);
    }
    const pid = await profile.enginePid();
    expect(pid !== undefined && alive(pid)).toBe(true);
  });
});
