import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { startScheduler } from '../../scheduler';
import { JOBS, PODS } from '../shared/resources';
import { openWorkloadHarness } from '../workload-common/testing/harness';
import type { WorkloadHarness } from '../workload-common/testing/harness';
import { startFakeKubelet } from '../workload-common/testing/fake-kubelet';
import type { PodOutcome } from '../workload-common/testing/fake-kubelet';
import { startJobController } from './controller';

let h: WorkloadHarness;
const stops: Array<() => unknown> = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  h.close();
});

function setup(outcome: (pod: KubeObject) => PodOutcome, startMs = 1000): void {
  h = openWorkloadHarness();
  h.addNode('kubedesk');
  const scheduler = startScheduler({ api: h.api, clock: h.clock });
  const kubelet = startFakeKubelet({ api: h.api, clock: h.clock, outcome, startMs });
  const jobs = startJobController({ api: h.api, clock: h.clock });
  stops.push(
    () => scheduler.stop(),
    () => kubelet.stop(),
    () => jobs.stop(),
  );
}

function job(name: string, spec: Record<string, unknown>): KubeObject {
  return h.api.create(JOBS, 'default', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
      ...spec,
    },
  });
}

function status(name: string): Record<string, unknown> {
  return h.api.get(JOBS, 'default', name).status as Record<string, unknown>;
}

function conditionTypes(name: string): string[] {
  return ((status(name).conditions as Array<{ type: string; status: string }>) ?? [])
    .filter((c) => c.status === 'True')
    .map((c) => c.type);
}

describe('Job controller', () => {
  it('runs completions with parallelism, labels pods, and completes like Kubernetes 1.31+', async () => {
    setup(() => ({ exitCode: 0 }));
    const created = job('pi', { completions: 3, parallelism: 2 });
    await h.run(500);
    const first = h.pods();
    expect(first).toHaveLength(2);
    expect(first[0].metadata.name).toMatch(/^pi-[a-z0-9]{5}$/);
    expect(first[0].metadata.labels).toMatchObject({
      'batch.kubernetes.io/job-name': 'pi',
      'job-name': 'pi',
      'batch.kubernetes.io/controller-uid': created.metadata.uid,
      'controller-uid': created.metadata.uid,
    });
    expect(status('pi')).toMatchObject({ active: 2 });
    expect(status('pi').startTime).toBeDefined();
    await h.run(5000);
    expect(h.pods().filter((p) => (p.status as { phase: string }).phase === 'Succeeded')).toHaveLength(3);
    const final = status('pi');
    expect(final).toMatchObject({ succeeded: 3 });
    expect(final.active).toBeUndefined();
    expect(final.completionTime).toBeDefined();
    expect(conditionTypes('pi')).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect((final.conditions as Array<{ reason: string }>)[1].reason).toBe('CompletionsReached');
    expect(h.events('Completed').map((e) => e.message)).toEqual(['Job completed']);
    expect(h.events('SuccessfulCreate')).toHaveLength(3);
  });

  it('retries failed pods with back-off and fails at backoffLimit', async () => {
    setup(() => ({ exitCode: 1 }));
    job('flaky', { backoffLimit: 2 });
    await h.run(2000);
    expect(status('flaky').failed).toBe(1);
    expect(h.pods()).toHaveLength(1);
    // the second pod waits 10 s after the first failure
    await h.run(9000);
    expect(h.pods()).toHaveLength(2);
    await h.run(60_000);
    expect(h.pods()).toHaveLength(3);
    expect(status('flaky').failed).toBe(3);
    expect(conditionTypes('flaky')).toEqual(['FailureTarget', 'Failed']);
    const failed = (
      status('flaky').conditions as Array<{ type: string; reason: string; message: string }>
    ).find((c) => c.type === 'Failed');
    expect(failed).toMatchObject({
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    expect(h.events('BackoffLimitExceeded')).toHaveLength(1);
  });

  it('fails a job running past activeDeadlineSeconds and deletes its pods', async () => {
    setup(() => ({ run: true }));
    job('slow', { activeDeadlineSeconds: 30 });
    await h.run(5000);
    expect(status('slow')).toMatchObject({ active: 1, ready: 1 });
    await h.run(30_000);
    expect(conditionTypes('slow')).toEqual(['FailureTarget', 'Failed']);
    expect(h.pods()).toHaveLength(0);
    expect(h.events('DeadlineExceeded')[0].message).toBe('Job was active longer than specified deadline');
  });

  it('deletes a finished job after ttlSecondsAfterFinished', async () => {
    setup(() => ({ exitCode: 0 }));
    job('short', { ttlSecondsAfterFinished: 60 });
    await h.run(3000);
    expect(conditionTypes('short')).toContain('Complete');
    await h.run(50_000);
    expect(h.api.list(JOBS, { namespace: 'default' }).items).toHaveLength(1);
    await h.run(10_000);
    expect(h.api.list(JOBS, { namespace: 'default' }).items).toHaveLength(0);
  });

  it('suspends and resumes', async () => {
    setup(() => ({ run: true }));
    job('later', { suspend: true, parallelism: 2, completions: 4 });
    await h.run(1000);
    expect(h.pods()).toHaveLength(0);
    expect(conditionTypes('later')).toEqual(['Suspended']);
    const current = h.api.get(JOBS, 'default', 'later');
    h.api.update(JOBS, 'default', { ...current, spec: { ...(current.spec as object), suspend: false } });
    await h.run(1000);
    expect(h.pods()).toHaveLength(2);
    expect(conditionTypes('later')).toEqual([]);
    expect(h.events('Resumed')).toHaveLength(1);
  });

  it('runs Indexed jobs with one pod per completion index', async () => {
    setup(() => ({ exitCode: 0 }));
    job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' });
    await h.run(500);
    const pods = h.pods();
    expect(
      pods.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort(),
    ).toEqual(['0', '1', '2']);
    expect(pods.map((p) => (p.spec as { hostname: string }).hostname).sort()).toEqual([
      'idx-0',
      'idx-1',
      'idx-2',
    ]);
    await h.run(3000);
    expect(status('idx')).toMatchObject({ succeeded: 3, completedIndexes: '0-2' });
    expect(conditionTypes('idx')).toContain('Complete');
    expect(h.api.list(PODS, { namespace: 'default' }).items).toHaveLength(3);
  });

  it('fails at once on a podFailurePolicy FailJob exit code, and ignores failures a rule says to ignore', async () => {
    let attempt = 0;
    setup(() => ({ exitCode: ++attempt === 1 ? 3 : 42 }));
    job('policy', {
      backoffLimit: 6,
      podFailurePolicy: {
        rules: [
          { action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } },
          { action: 'FailJob', onExitCodes: { containerName: 'c', operator: 'In', values: [42] } },
        ],
      },
    });
    await h.run(1500);
    // the ignored failure is not counted and is replaced without back-off
    expect(status('policy').failed).toBeUndefined();
    expect(h.pods()).toHaveLength(2);
    await h.run(2000);
    expect(h.pods()).toHaveLength(2);
    expect(status('policy').failed).toBe(1);
    expect(conditionTypes('policy')).toEqual(['FailureTarget', 'Failed']);
    const failed = (
      status('policy').conditions as Array<{ type: string; reason: string; message: string }>
    ).find((c) => c.type === 'Failed');
    expect(failed?.reason).toBe('PodFailurePolicy');
    expect(failed?.message).toMatch(
      /^Container c for pod default\/policy-[a-z0-9]{5} failed with exit code 42 matching FailJob rule at index 1$/,
    );
  });

  it('completes an Indexed job early when its successPolicy is met', async () => {
    setup((pod) => ({
      exitCode: pod.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === '0' ? 0 : 1,
    }));
    job('leader', {
      completions: 3,
      parallelism: 3,
      completionMode: 'Indexed',
      backoffLimit: 10,
      successPolicy: { rules: [{ succeededIndexes: '0' }] },
    });
    await h.run(3000);
    const conditions = status('leader').conditions as Array<{
      type: string;
      reason: string;
      message: string;
    }>;
    expect(conditions.filter((c) => c.type === 'SuccessCriteriaMet' || c.type === 'Complete')).toEqual([
      expect.objectContaining({
        type: 'SuccessCriteriaMet',
        reason: 'SuccessPolicy',
        message: 'Matched rules at index 0',
      }),
      expect.objectContaining({
        type: 'Complete',
        reason: 'SuccessPolicy',
        message: 'Matched rules at index 0',
      }),
    ]);
    expect(status('leader').completedIndexes).toBe('0');
  });

  it('counts failures per index with backoffLimitPerIndex and fails with the failed indexes', async () => {
    setup((pod) => ({
      exitCode: pod.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === '1' ? 1 : 0,
    }));
    job('per-index', { completions: 3, parallelism: 3, completionMode: 'Indexed', backoffLimitPerIndex: 1 });
    await h.run(2000);
    expect(status('per-index')).toMatchObject({ completedIndexes: '0,2', failedIndexes: '' });
    await h.run(12_000);
    const retried = h
      .pods()
      .filter((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === '1');
    expect(
      retried.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count']).sort(),
    ).toEqual(['0', '1']);
    expect(status('per-index')).toMatchObject({ failedIndexes: '1', completedIndexes: '0,2', failed: 2 });
    const failed = (
      status('per-index').conditions as Array<{ type: string; reason: string; message: string }>
    ).find((c) => c.type === 'Failed');
    expect(failed).toMatchObject({ reason: 'FailedIndexes', message: 'Job has failed indexes' });
  });
});
