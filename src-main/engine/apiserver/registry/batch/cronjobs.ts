import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { arr, ensureRecord, num, rec, specOf } from '../core/common';
import { applyPodTemplateDefaults } from '../core/pod-spec-defaults';
import {
  ageCell,
  ageColumn,
  column,
  formatLabelSelector,
  nameCell,
  nameColumn,
  NONE,
  swaggerDoc,
  templateContainerCells,
  templateContainerColumns,
  translateTimestampSince,
} from '../printers';
import type { ResourceDefinition } from '../types';
import { validateNonnegative } from '../validation';
import { invalidRendered } from '../validation/field-errors';
import { STANDARD_VERBS, resetStatus, statusSubresource, validateMeta } from '../apps/definition-helpers';
import { goLabelSelector } from '../apps/go-values';
import { cronScheduleError, isKnownTimeZone } from './cron-schedule';
import { validateJobSpecCommon } from './job-spec';

const VALID_TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;
/** The Job names the controller makes append 11 characters; 63 − 11. */
const MAX_CRONJOB_NAME_LENGTH = 52;

/** SetDefaults_CronJob plus the pod template defaults of the job template. */
export function applyCronJobDefaults(obj: KubeObject): void {
  const spec = specOf(obj);
  if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
  if (spec.suspend === undefined || spec.suspend === null) spec.suspend = false;
  if (spec.successfulJobsHistoryLimit === undefined || spec.successfulJobsHistoryLimit === null) {
    spec.successfulJobsHistoryLimit = 3;
  }
  if (spec.failedJobsHistoryLimit === undefined || spec.failedJobsHistoryLimit === null) {
    spec.failedJobsHistoryLimit = 1;
  }
  const jobSpec = ensureRecord(ensureRecord(spec, 'jobTemplate'), 'spec');
  applyPodTemplateDefaults(ensureRecord(jobSpec, 'template'));
}

function validateSchedule(schedule: unknown, timeZone: unknown, oldSchedule: unknown): FieldError[] {
  const path = 'spec.schedule';
  if (typeof schedule !== 'string' || schedule === '') return [fieldErrors.required(path)];
  const errs: FieldError[] = [];
  const parseError = cronScheduleError(schedule);
  if (parseError) errs.push(fieldErrors.invalid(path, schedule, parseError));
  const allowTZ = typeof oldSchedule === 'string' && oldSchedule.includes('TZ');
  if (allowTZ && schedule.includes('TZ') && typeof timeZone === 'string') {
    errs.push(
      fieldErrors.invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'),
    );
  } else if (!allowTZ && schedule.includes('TZ')) {
    errs.push(
      fieldErrors.invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'),
    );
  }
  return errs;
}

/** validateTimeZone: an explicit IANA zone name. */
function validateTimeZone(timeZone: unknown): FieldError[] {
  const path = 'spec.timeZone';
  if (timeZone === undefined || timeZone === null) return [];
  const zone = String(timeZone);
  if (zone === '') return [fieldErrors.invalid(path, zone, 'timeZone must be nil or non-empty string')];
  for (const part of zone.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !VALID_TIME_ZONE_PART.test(part)) {
      return [fieldErrors.invalid(path, zone, `unknown time zone ${part}`)];
    }
  }
  const errs: FieldError[] = [];
  if (zone.toLowerCase() === 'local') {
    errs.push(
      fieldErrors.invalid(
        path,
        zone,
        'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      ),
    );
  } else if (!isKnownTimeZone(zone)) {
    errs.push(fieldErrors.invalid(path, zone, `unknown time zone ${zone}`));
  }
  return errs;
}

/** ValidateJobTemplateSpec: the job spec, without a selector (it is always generated). */
function validateJobTemplate(jobTemplate: Record<string, unknown>): FieldError[] {
  const path = 'spec.jobTemplate.spec';
  const jobSpec = rec(jobTemplate.spec);
  const errs = validateJobSpecCommon(jobSpec, path);
  if (jobSpec.selector !== undefined && jobSpec.selector !== null) {
    errs.push(
      invalidRendered(
        `${path}.selector`,
        goLabelSelector(jobSpec.selector),
        '`selector` will be auto-generated',
      ),
    );
  }
  if (jobSpec.manualSelector === true) {
    errs.push(fieldErrors.notSupported(`${path}.manualSelector`, true, ['nil', 'false']));
  }
  return errs;
}

/** ValidateCronJobCreate / ValidateCronJobUpdate. */
export function validateCronJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = rec(obj.spec);
  const oldSpec = old ? rec(old.spec) : undefined;
  const errs: FieldError[] = [...validateMeta(obj, old, true)];
  errs.push(...validateSchedule(spec.schedule, spec.timeZone, oldSpec?.schedule));
  errs.push(...validateNonnegative(num(spec.startingDeadlineSeconds), 'spec.startingDeadlineSeconds'));
  if (!oldSpec || oldSpec.timeZone !== spec.timeZone) errs.push(...validateTimeZone(spec.timeZone));
  const policy = spec.concurrencyPolicy;
  if (!policy) errs.push(fieldErrors.required('spec.concurrencyPolicy'));
  else if (policy !== 'Allow' && policy !== 'Forbid' && policy !== 'Replace') {
    errs.push(fieldErrors.notSupported('spec.concurrencyPolicy', policy, ['Allow', 'Forbid', 'Replace']));
  }
  errs.push(...validateJobTemplate(rec(spec.jobTemplate)));
  errs.push(...validateNonnegative(num(spec.successfulJobsHistoryLimit), 'spec.successfulJobsHistoryLimit'));
  errs.push(...validateNonnegative(num(spec.failedJobsHistoryLimit), 'spec.failedJobsHistoryLimit'));
  const name = obj.metadata.name ?? '';
  if (!old && name.length > MAX_CRONJOB_NAME_LENGTH) {
    errs.push(
      fieldErrors.invalid(
        'metadata.name',
        name,
        `must be no more than ${MAX_CRONJOB_NAME_LENGTH} characters`,
      ),
    );
  }
  return errs;
}

/** Go's printBoolPtr: `True`, `False`, or `<unset>`. */
function printBoolPtr(value: unknown): string {
  if (typeof value !== 'boolean') return '<unset>';
  return value ? 'True' : 'False';
}

function cronJobCells(obj: KubeObject, now: Date): unknown[] {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  const jobSpec = rec(rec(spec.jobTemplate).spec);
  const lastSchedule = status.lastScheduleTime ? translateTimestampSince(status.lastScheduleTime, now) : NONE;
  return [
    nameCell(obj),
    typeof spec.schedule === 'string' ? spec.schedule : '',
    typeof spec.timeZone === 'string' ? spec.timeZone : NONE,
    printBoolPtr(spec.suspend),
    arr(status.active).length,
    lastSchedule,
    ageCell(obj, now),
    ...templateContainerCells(jobSpec.template),
    formatLabelSelector(rec(jobSpec.selector)),
  ];
}

/** batch/v1 CronJob. */
export const cronJobDefinition: ResourceDefinition = {
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  listKind: 'CronJobList',
  plural: 'cronjobs',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  verbs: [...STANDARD_VERBS],
  subresources: [statusSubresource('CronJob', 'batch', 'v1')],
  hasStatusSubresource: true,
  applyDefaults: applyCronJobDefaults,
  validate: validateCronJob,
  prepareForCreate: (obj) => resetStatus(obj),
  table: {
    columns: [
      nameColumn(),
      column('Schedule', 'string', swaggerDoc('V1CronJobSpec', 'schedule')),
      column('Timezone', 'string', swaggerDoc('V1CronJobSpec', 'timeZone')),
      column('Suspend', 'boolean', swaggerDoc('V1CronJobSpec', 'suspend')),
      column('Active', 'integer', swaggerDoc('V1CronJobStatus', 'active')),
      column('Last Schedule', 'string', swaggerDoc('V1CronJobStatus', 'lastScheduleTime')),
      ageColumn(),
      ...templateContainerColumns(),
      column(
        'Selector',
        'string',
        swaggerDoc('V1JobSpec', 'selector') ||
          'A label query over pods that should match the pod count. Normally, the system sets this field for you.',
        { wide: true },
      ),
    ],
    cells: (obj, { now }) => cronJobCells(obj, now),
  },
};
