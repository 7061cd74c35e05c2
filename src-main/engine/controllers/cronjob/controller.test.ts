import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { startScheduler } from '../../scheduler';
import { startJobController } from '../job/controller';
import { CRONJOBS, JOBS } from '../shared/resources';
import { startFakeKubelet } from '../workload-common/testing/fake-kubelet';
import type { PodOutcome } from '../workload-common/testing/fake-kubelet';
import { openWorkloadHarness } from '../workload-common/testing/harness';
import type { WorkloadHarness } from '../workload-common/testing/harness';
import { startCronJobController } from './controller';

let h: WorkloadHarness;
const stops: Array<() => unknown> = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  h.close();
});

function setup(outcome: PodOutcome): void {
  h = openWorkloadHarness(new Date('2026-01-01T00:00:00Z'));
  h.addNode('kubedesk');
  const started = [
    startScheduler({ api: h.api, clock: h.clock }),
    startJobController({ api: h.api, clock: h.clock }),
    startCronJobController({ api: h.api, clock: h.clock }),
  ];
  const kubelet = startFakeKubelet({ api: h.api, clock: h.clock, startMs: 5000, outcome: () => outcome });
  stops.push(() => kubelet.stop(), ...started.map((c) => () => c.stop()));
}

function cronJob(spec: Record<string, unknown> = {}): KubeObject {
  return h.api.create(CRONJOBS, 'default', {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick' },
    spec: {
      schedule: '*/1 * * * *',
      jobTemplate: {
        metadata: { labels: { app: 'tick' } },
        spec: {
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
        },
      },
      ...spec,
    },
  });
}

function jobNames(): string[] {
  return h.api
    .list(JOBS, { namespace: 'default' })
    .items.filter((j) => !j.metadata.deletionTimestamp)
    .map((j) => j.metadata.name ?? '')
    .sort();
}

function cjStatus(): Record<string, unknown> {
  return h.api.get(CRONJOBS, 'default', 'tick').status as Record<string, unknown>;
}

const minute = (iso: string) => `tick-${Math.floor(Date.parse(iso) / 60_000)}`;

describe('CronJob controller', () => {
  it('creates a Job per fire time named by scheduled minutes, tracks status and keeps three successful Jobs', async () => {
    setup({ exitCode: 0 });
    cronJob();
    await h.run(59_000, 500);
    expect(jobNames()).toEqual([]);
    await h.run(2000, 500);
    expect(jobNames()).toEqual([minute('2026-01-01T00:01:00Z')]);
    const job = h.api.get(JOBS, 'default', minute('2026-01-01T00:01:00Z'));
    expect(job.metadata.labels).toMatchObject({ app: 'tick' });
    expect(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(
      '2026-01-01T00:01:00Z',
    );
    expect(job.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'CronJob',
      name: 'tick',
      controller: true,
    });
    expect(cjStatus()).toMatchObject({ lastScheduleTime: '2026-01-01T00:01:00Z' });
    expect((cjStatus().active as unknown[]).length).toBe(1);

    await h.run(10_000, 500);
    expect(cjStatus().active).toBeUndefined();
    expect(cjStatus().lastSuccessfulTime).toBeDefined();
    expect(h.events('SawCompletedJob')[0].message).toBe(
      `Saw completed job: ${minute('2026-01-01T00:01:00Z')}, condition: Complete`,
    );

    await h.run(4 * 60_000, 500);
    expect(jobNames()).toEqual([
      minute('2026-01-01T00:03:00Z'),
      minute('2026-01-01T00:04:00Z'),
      minute('2026-01-01T00:05:00Z'),
    ]);
    expect(h.events('SuccessfulDelete').map((e) => e.message)).toContain(
      `Deleted job ${minute('2026-01-01T00:01:00Z')}`,
    );
  });

  it('Forbid skips a run while one is active', async () => {
    setup({ run: true });
    cronJob({ concurrencyPolicy: 'Forbid' });
    await h.run(3 * 60_000 + 1000, 500);
    expect(jobNames()).toEqual([minute('2026-01-01T00:01:00Z')]);
    expect(h.events('JobAlreadyActive').length).toBeGreaterThan(0);
  });

  it('Replace deletes the active Job before starting the next', async () => {
    setup({ run: true });
    cronJob({ concurrencyPolicy: 'Replace' });
    await h.run(2 * 60_000 + 1000, 500);
    expect(jobNames()).toEqual([minute('2026-01-01T00:02:00Z')]);
    expect((cjStatus().active as Array<{ name: string }>).map((r) => r.name)).toEqual([
      minute('2026-01-01T00:02:00Z'),
    ]);
  });

  it('Allow runs Jobs side by side; suspend stops new runs', async () => {
    setup({ run: true });
    cronJob();
    await h.run(2 * 60_000 + 1000, 500);
    expect(jobNames()).toHaveLength(2);
    const cj = h.api.get(CRONJOBS, 'default', 'tick');
    h.api.update(CRONJOBS, 'default', { ...cj, spec: { ...(cj.spec as object), suspend: true } });
    await h.run(3 * 60_000, 500);
    expect(jobNames()).toHaveLength(2);
  });

  it('skips a fire time older than startingDeadlineSeconds, runs a recent one late', async () => {
    setup({ run: true });
    cronJob({ suspend: true, startingDeadlineSeconds: 10 });
    await h.run(5 * 60_000 + 30_000, 1000);
    let cj = h.api.get(CRONJOBS, 'default', 'tick');
    h.api.update(CRONJOBS, 'default', { ...cj, spec: { ...(cj.spec as object), suspend: false } });
    await h.run(1000, 500);
    expect(jobNames()).toEqual([]);
    expect(h.events('MissSchedule')[0].message).toBe(
      'Missed scheduled time to start a job: Thu, 01 Jan 2026 00:05:00 +0000',
    );

    cj = h.api.get(CRONJOBS, 'default', 'tick');
    h.api.update(CRONJOBS, 'default', {
      ...cj,
      spec: { ...(cj.spec as object), startingDeadlineSeconds: 60 },
    });
    await h.run(1000, 500);
    expect(jobNames()).toEqual([minute('2026-01-01T00:05:00Z')]);
  });

  it('fires in the CronJob time zone', async () => {
    setup({ run: true });
    cronJob({ schedule: '30 0 * * *', timeZone: 'Asia/Kolkata' });
    // 00:30 in India (UTC+5:30) is 19:00 UTC the day before; the first run is 2026-01-01T19:00Z
    await h.run(19 * 3_600_000 - 1000, 60_000);
    expect(jobNames()).toEqual([]);
    await h.run(2000, 500);
    expect(jobNames()).toEqual([minute('2026-01-01T19:00:00Z')]);
  });

  it('warns about too many missed start times and still runs the latest', async () => {
    setup({ run: true });
    cronJob({ suspend: true });
    await h.run(2 * 3_600_000 + 30_000, 60_000);
    const cj = h.api.get(CRONJOBS, 'default', 'tick');
    h.api.update(CRONJOBS, 'default', { ...cj, spec: { ...(cj.spec as object), suspend: false } });
    await h.run(1000, 500);
    expect(h.events('TooManyMissedTimes').map((e) => e.message)).toEqual([
      'too many missed start times: 120. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
    ]);
    expect(jobNames()).toEqual([minute('2026-01-01T02:00:00Z')]);
  });
});
