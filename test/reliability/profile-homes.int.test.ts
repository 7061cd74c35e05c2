/**
 * Two Kubedesk homes (two KUBEDESK_HOME folders on one Docker engine) with a profile of the same
 * name: Docker objects are named after the profile, so the second home must neither run on the
 * first one's network nor remove its containers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, ok, TEST_IMAGE, TestProfile } from './harness';

let first: TestProfile;
let second: TestProfile;

const runningContainers = async (profile: string) =>
  ok(await docker('ps', '-q', '--filter', `label=io.kubedesk.profile=${profile}`))
    .split('\n')
    .filter(Boolean);

beforeAll(async () => {
  first = await TestProfile.create('homes');
  second = await TestProfile.create('homes', {}, undefined, first.name);
  await first.start();
  ok(
    await first.kubectl([
      'run',
      'keeper',
      `--image=${TEST_IMAGE}`,
      '--image-pull-policy=Never',
      '--',
      'sleep',
      '3600',
    ]),
  );
  ok(await first.kubectl(['wait', '--for=condition=Ready', 'pod/keeper', '--timeout=90s']));
});

afterAll(async () => {
  await second?.kubedesk(['delete']);
  await first?.cleanup();
});

describe('a profile name used in two Kubedesk homes', () => {
  it("refuses to start the second on the first one's network, naming the other home and the fix", async () => {
    const before = await runningContainers(first.name);
    const result = await second.kubedesk(['start'], { timeout: 120_000 });
    expect(result.code).not.toBe(0);
    const last = result.stderr.trim().split('\n').at(-1) ?? '';
    expect(last).toContain(`Docker network kubedesk-${first.name} belongs to profile "${first.name}"`);
    expect(last).toContain(first.dir);
    expect(last).toContain('use another profile name (kubedesk start -p NAME)');
    expect(await runningContainers(first.name)).toEqual(before);
  });

  it("leaves the first home's containers alone when the second deletes its profile", async () => {
    const before = await runningContainers(first.name);
    const result = await second.kubedesk(['delete']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('belong to the same-named profile of another Kubedesk home');
    expect(await runningContainers(first.name)).toEqual(before);
    expect(ok(await first.kubectl(['exec', 'keeper', '--', 'echo', 'still here'])).trim()).toBe('still here');
  });
});
