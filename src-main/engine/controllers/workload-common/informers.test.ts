import { afterEach, describe, expect, it } from 'vitest';
import { startScheduler } from '../../scheduler';
import { startWorkloadControllers } from '../workloads';
import { InformerSet } from './informers';
import { JOBS } from '../shared/resources';
import { startFakeKubelet } from './testing/fake-kubelet';
import { openWorkloadHarness } from './testing/harness';
import type { WorkloadHarness } from './testing/harness';

let h: WorkloadHarness;
afterEach(() => h.close());

describe('shared informers', () => {
  it('runs the workload controllers and the scheduler over informers someone else starts', async () => {
    h = openWorkloadHarness();
    h.addNode('kubedesk');
    const shared = new InformerSet(h.api);
    const controllers = startWorkloadControllers({ api: h.api, clock: h.clock, informers: shared });
    const scheduler = startScheduler({ api: h.api, clock: h.clock, informers: shared });
    const kubelet = startFakeKubelet({ api: h.api, clock: h.clock, outcome: () => ({ exitCode: 0 }) });
    shared.start();
    h.api.create(JOBS, 'default', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'once' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    await h.run(3000);
    const status = h.api.get(JOBS, 'default', 'once').status as { succeeded?: number };
    expect(status.succeeded).toBe(1);
    kubelet.stop();
    await scheduler.stop();
    await controllers.stop();
    shared.stop();
  });
});
