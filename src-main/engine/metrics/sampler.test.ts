import { describe, expect, it } from 'vitest';
import type { ContainerRuntime, ContainerStats, ManagedContainer } from '../runtime/types';
import { LABELS } from '../runtime/types';
import { podUsage } from './metrics-api';
import { UsageSampler } from './sampler';

const container = (id: string, name: string, restartCount = 0): ManagedContainer => ({
  id,
  name: id,
  labels: { [LABELS.podUid]: 'uid-1', [LABELS.node]: 'n1' },
  role: 'app',
  container: name,
  restartCount,
  state: 'running',
  exitCode: 0,
  oomKilled: false,
  image: 'busybox',
  imageId: 'sha256:1',
  createdAt: new Date(0).toISOString(),
});

/** A runtime whose containers burn `cores` CPU each and hold 1 MiB; each stats read is 1 s later. */
function fakeRuntime(containers: ManagedContainer[], cores: number) {
  let seconds = 0;
  const runtime = {
    listManaged: async () => containers,
    stats: async (): Promise<ContainerStats> => {
      seconds += 1;
      return {
        cpuUsageNanos: seconds * cores * 1e9,
        memoryBytes: 1 << 20,
        timestamp: new Date(seconds * 1000),
      };
    },
  };
  // Only the two methods the sampler reads are needed.
  return runtime as unknown as ContainerRuntime;
}

describe('UsageSampler', () => {
  it('turns two cumulative samples into a rate, waiting for the second on first use', async () => {
    const sampler = new UsageSampler(fakeRuntime([container('a', 'main')], 0.5), 'p');
    const usage = await sampler.usage();
    sampler.stop();
    expect(usage).toHaveLength(1);
    expect(usage[0].cpuNanoCores).toBeCloseTo(0.5e9);
    expect(usage[0].memoryBytes).toBe(1 << 20);
    expect(usage[0].windowMs).toBe(1000);
    expect(usage[0]).toMatchObject({ podUid: 'uid-1', node: 'n1', container: 'main' });
  });

  it("reports a running pod's current containers, the latest restart of each", async () => {
    const sampler = new UsageSampler(
      fakeRuntime([container('old', 'main', 0), container('new', 'main', 1)], 1),
      'p',
    );
    const usage = await sampler.usage();
    sampler.stop();
    const pod = {
      metadata: { uid: 'uid-1', name: 'p' },
      spec: { containers: [{ name: 'main' }] },
      status: { phase: 'Running' },
    };
    const found = podUsage(pod, usage);
    expect(found?.containers).toHaveLength(1);
    expect(podUsage({ ...pod, status: { phase: 'Pending' } }, usage)).toBeUndefined();
  });
});
