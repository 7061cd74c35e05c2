import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import { jobDefinition } from './jobs';

const now = new Date('2024-05-01T12:00:00Z');

function job(spec: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'pi',
      namespace: 'default',
      uid: 'abc-123',
      creationTimestamp: '2024-05-01T11:58:00Z' as unknown as Date,
      ...(labels ? { labels } : {}),
    },
    spec: {
      template: {
        spec: { containers: [{ name: 'pi', image: 'perl:5.34' }], restartPolicy: 'Never' },
      },
      ...spec,
    },
  };
}

/** What the storage layer does on create: defaults, prepare, then validate. */
function created(obj: KubeObject): { obj: KubeObject; errors: string[] } {
  jobDefinition.applyDefaults?.(obj);
  jobDefinition.prepareForCreate?.(obj);
  const errors = (jobDefinition.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.message}`);
  return { obj, errors };
}

describe('Job defaults and generated selector', () => {
  it('defaults completions, parallelism, backoffLimit, mode and suspend', () => {
    const { obj, errors } = created(job());
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    });
  });

  it('only defaults parallelism when completions is set', () => {
    const { obj } = created(job({ completions: 5 }));
    expect(obj.spec).toMatchObject({ completions: 5, parallelism: 1 });
  });

  it('generates the controller-uid and job-name labels and selector like Kubernetes', () => {
    const { obj } = created(job());
    const spec = obj.spec as Record<string, Record<string, Record<string, unknown>>>;
    expect(spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc-123' } });
    expect(spec.template.metadata.labels).toEqual({
      'batch.kubernetes.io/controller-uid': 'abc-123',
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': 'abc-123',
      'job-name': 'pi',
    });
    expect(obj.metadata.labels).toEqual(spec.template.metadata.labels);
    expect(obj.status).toEqual({});
  });

  it('keeps the job labels the user gave', () => {
    const { obj } = created(job({}, { team: 'a' }));
    expect(obj.metadata.labels).toEqual({ team: 'a' });
  });

  it('rejects a hand-written selector without manualSelector', () => {
    const { errors } = created(job({ selector: { matchLabels: { app: 'x' } } }));
    expect(errors).toContain(
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x", "batch.kubernetes.io/controller-uid":"abc-123"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` not auto-generated',
    );
  });

  it('accepts a manual selector that matches the template', () => {
    const obj = job({ manualSelector: true, selector: { matchLabels: { app: 'x' } } });
    (obj.spec as Record<string, Record<string, unknown>>).template.metadata = { labels: { app: 'x' } };
    expect(created(obj).errors).toEqual([]);
  });
});

describe('Job validation', () => {
  it('requires restartPolicy OnFailure or Never', () => {
    const obj = job();
    delete (obj.spec as Record<string, Record<string, Record<string, unknown>>>).template.spec.restartPolicy;
    expect(created(obj).errors).toEqual([
      'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
  });

  it('rejects negative counts and an unknown completion mode', () => {
    expect(created(job({ parallelism: -1, backoffLimit: -2, completionMode: 'Sometimes' })).errors).toEqual([
      'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
      'spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0',
      'spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"',
    ]);
  });

  it('checks the pod failure policy rules', () => {
    const policy = {
      rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'pi', operator: 'In', values: [0, 42] } },
        { action: 'Retry', onPodConditions: [{ type: 'DisruptionTarget' }] },
        { action: 'Ignore' },
      ],
    };
    expect(created(job({ podFailurePolicy: policy })).errors).toEqual([
      'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
      'spec.podFailurePolicy.rules[1].action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore"',
      'spec.podFailurePolicy.rules[2]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
    ]);
    const obj = created(
      job({
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
      }),
    ).obj;
    expect((obj.spec as Record<string, unknown>).podFailurePolicy).toEqual({
      rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }],
    });
    expect((obj.spec as Record<string, unknown>).podReplacementPolicy).toBe('Failed');
  });

  it('checks podReplacementPolicy', () => {
    expect(created(job({ podReplacementPolicy: 'Sometimes' })).errors).toEqual([
      'spec.podReplacementPolicy: Unsupported value: "Sometimes": supported values: "Failed", "TerminatingOrFailed"',
    ]);
  });

  it('requires completions for Indexed jobs', () => {
    expect(created(job({ completionMode: 'Indexed', parallelism: 2 })).errors).toEqual([
      'spec.completions: Required value: when completion mode is Indexed',
    ]);
  });

  it('keeps completions, selector and template immutable', () => {
    const { obj: old } = created(job());
    const next = structuredClone(old);
    (next.spec as Record<string, unknown>).completions = 3;
    expect((jobDefinition.validate?.(next, old) ?? []).map((e) => `${e.field}: ${e.message}`)).toEqual([
      'spec.completions: Invalid value: 3: field is immutable',
    ]);
  });
});

describe('Job table', () => {
  it('prints Status, Completions, Duration and Age (kubectl 1.31+)', () => {
    const { obj } = created(job());
    obj.status = {
      succeeded: 1,
      startTime: '2024-05-01T11:58:05Z',
      completionTime: '2024-05-01T11:58:17Z',
      conditions: [{ type: 'Complete', status: 'True' }],
    };
    expect(jobDefinition.table.columns.map((c) => c.name)).toEqual([
      'Name',
      'Status',
      'Completions',
      'Duration',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ]);
    expect(jobDefinition.table.cells(obj, { now })).toEqual([
      'pi',
      'Complete',
      '1/1',
      '12s',
      '2m',
      'pi',
      'perl:5.34',
      'batch.kubernetes.io/controller-uid=abc-123',
    ]);
  });

  it('prints Running with a live duration, and work-queue completions', () => {
    const { obj } = created(job({ completions: null, parallelism: 3 }));
    (obj.spec as Record<string, unknown>).completions = undefined;
    obj.status = { active: 3, startTime: '2024-05-01T11:59:30Z' };
    expect(jobDefinition.table.cells(obj, { now }).slice(1, 4)).toEqual(['Running', '0/1 of 3', '30s']);
  });

  it('prints Failed and Suspended from true conditions only', () => {
    const { obj } = created(job());
    obj.status = { conditions: [{ type: 'Failed', status: 'True' }] };
    expect(jobDefinition.table.cells(obj, { now })[1]).toBe('Failed');
    obj.status = {
      conditions: [
        { type: 'Suspended', status: 'True' },
        { type: 'Complete', status: 'False' },
      ],
    };
    expect(jobDefinition.table.cells(obj, { now })[1]).toBe('Suspended');
  });
});
