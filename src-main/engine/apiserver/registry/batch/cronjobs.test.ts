import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import { cronScheduleError } from './cron-schedule';
import { cronJobDefinition } from './cronjobs';

const now = new Date('2024-05-01T12:00:00Z');

function cronJob(spec: Record<string, unknown> = {}, name = 'hello'): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name,
      namespace: 'default',
      uid: 'u',
      creationTimestamp: '2024-05-01T10:00:00Z' as unknown as Date,
    },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: {
        spec: {
          template: {
            spec: { containers: [{ name: 'hello', image: 'busybox' }], restartPolicy: 'OnFailure' },
          },
        },
      },
      ...spec,
    },
  };
}

function errors(obj: KubeObject, old?: KubeObject): string[] {
  cronJobDefinition.applyDefaults?.(obj);
  return (cronJobDefinition.validate?.(obj, old) ?? []).map((e) => `${e.field}: ${e.message}`);
}

describe('cron schedule grammar (robfig/cron standard parser)', () => {
  it('accepts standard schedules and descriptors', () => {
    for (const s of [
      '*/5 * * * *',
      '0 0 * * 0',
      '0 9-17 * JAN-MAR mon-fri',
      '@hourly',
      '@every 1h30m',
      '15,45 */2 1 * ?',
    ]) {
      expect(cronScheduleError(s), s).toBeUndefined();
    }
  });

  it('words errors like robfig/cron', () => {
    expect(cronScheduleError('* * * *')).toBe('expected exactly 5 fields, found 4: [* * * *]');
    expect(cronScheduleError('0 0 * * * *')).toBe('expected exactly 5 fields, found 6: [0 0 * * * *]');
    expect(cronScheduleError('61 * * * *')).toBe('end of range (61) above maximum (59): 61');
    expect(cronScheduleError('x * * * *')).toBe(
      'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax',
    );
    expect(cronScheduleError('* * 0 * *')).toBe('beginning of range (0) below minimum (1): 0');
    expect(cronScheduleError('* * * * 7')).toBe('end of range (7) above maximum (6): 7');
    expect(cronScheduleError('5-1 * * * *')).toBe('beginning of range (5) beyond end of range (1): 5-1');
    expect(cronScheduleError('@fortnightly')).toBe('unrecognized descriptor: @fortnightly');
  });
});

describe('CronJob', () => {
  it('defaults concurrencyPolicy, suspend and history limits', () => {
    const obj = cronJob();
    expect(errors(obj)).toEqual([]);
    expect(obj.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
  });

  it('rejects a bad schedule, TZ in schedule, bad time zone and policy', () => {
    expect(errors(cronJob({ schedule: '* * *' }))).toEqual([
      'spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]',
    ]);
    expect(errors(cronJob({ schedule: 'TZ=UTC 0 * * * *' }))).toEqual([
      'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ]);
    expect(errors(cronJob({ timeZone: 'Mars/Olympus' }))).toEqual([
      'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
    ]);
    expect(errors(cronJob({ timeZone: 'Europe/Berlin' }))).toEqual([]);
    expect(errors(cronJob({ concurrencyPolicy: 'Sometimes' }))).toEqual([
      'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    ]);
  });

  it('rejects a job template selector and a long name', () => {
    const obj = cronJob();
    const jobSpec = (obj.spec as Record<string, Record<string, Record<string, unknown>>>).jobTemplate.spec;
    jobSpec.selector = { matchLabels: { a: 'b' } };
    expect(errors(obj)).toEqual([
      'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated',
    ]);
    const long = 'a'.repeat(53);
    expect(errors(cronJob({}, long))).toEqual([
      `metadata.name: Invalid value: "${long}": must be no more than 52 characters`,
    ]);
  });

  it('prints Schedule, Timezone, Suspend, Active, Last Schedule', () => {
    const obj = cronJob({ timeZone: 'Etc/UTC' });
    cronJobDefinition.applyDefaults?.(obj);
    obj.status = { active: [{ name: 'hello-1' }], lastScheduleTime: '2024-05-01T11:55:00Z' };
    expect(cronJobDefinition.table.columns.map((c) => c.name)).toEqual([
      'Name',
      'Schedule',
      'Timezone',
      'Suspend',
      'Active',
      'Last Schedule',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ]);
    expect(cronJobDefinition.table.cells(obj, { now })).toEqual([
      'hello',
      '*/5 * * * *',
      'Etc/UTC',
      'False',
      1,
      '5m',
      '120m',
      'hello',
      'busybox',
      '<none>',
    ]);
    const fresh = cronJob();
    cronJobDefinition.applyDefaults?.(fresh);
    cronJobDefinition.prepareForCreate?.(fresh);
    expect(cronJobDefinition.table.cells(fresh, { now }).slice(2, 6)).toEqual([
      '<none>',
      'False',
      0,
      '<none>',
    ]);
  });
});
