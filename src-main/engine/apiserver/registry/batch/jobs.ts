import type { KubeObject } from '../../../k8s-object';
import { isPlainObject } from '../../../k8s-object';
import type { FieldError } from '../../status';
import { ensureRecord, num, rec, records, specOf } from '../core/common';
import { applyPodTemplateDefaults } from '../core/pod-spec-defaults';
import {
  ageCell,
  ageColumn,
  column,
  formatLabelSelector,
  humanDuration,
  nameCell,
  nameColumn,
  swaggerDoc,
  templateContainerCells,
  templateContainerColumns,
  timestampMillis,
} from '../printers';
import type { ResourceDefinition } from '../types';
import { isDns1123Label, validateImmutable } from '../validation';
import { fieldErrors } from '../../status';
import { invalidRendered } from '../validation/field-errors';
import { STANDARD_VERBS, resetStatus, statusSubresource, validateMeta } from '../apps/definition-helpers';
import { goLabelSelector, goStringMap } from '../apps/go-values';
import { selectorConvertible } from '../apps/workload-template';
import { selectorFromSpec } from '../../selectors';
import type { LabelSelectorSpec } from '../../selectors';
import { validateJobSpec } from './job-spec';

/** Label keys Kubernetes puts on a Job's pod template when it generates the selector. */
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';

/** SetDefaults_Job plus the pod template defaults. */
export function applyJobDefaults(obj: KubeObject): void {
  const spec = specOf(obj);
  const unset = (v: unknown) => v === undefined || v === null;
  if (unset(spec.completions) && unset(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (unset(spec.parallelism)) spec.parallelism = 1;
  if (unset(spec.backoffLimit)) spec.backoffLimit = unset(spec.backoffLimitPerIndex) ? 6 : 2147483647;
  const template = ensureRecord(spec, 'template');
  const templateLabels = rec(template.metadata).labels;
  if (isPlainObject(templateLabels) && Object.keys(obj.metadata.labels ?? {}).length === 0) {
    obj.metadata.labels = { ...(templateLabels as Record<string, string>) };
  }
  if (unset(spec.completionMode)) spec.completionMode = 'NonIndexed';
  if (unset(spec.suspend)) spec.suspend = false;
  if (isPlainObject(spec.podFailurePolicy)) {
    for (const rule of records(spec.podFailurePolicy.rules)) {
      for (const pattern of records(rule.onPodConditions)) if (!pattern.status) pattern.status = 'True';
    }
  }
  if (unset(spec.podReplacementPolicy)) {
    spec.podReplacementPolicy = isPlainObject(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed';
  }
  applyPodTemplateDefaults(template);
}

function manualSelector(obj: KubeObject): boolean {
  return rec(obj.spec).manualSelector === true;
}

/**
 * generateSelector: unless `spec.manualSelector` is true, label the pod template with the
 * job name and uid (both the `batch.kubernetes.io/` and the legacy keys) and select on
 * `batch.kubernetes.io/controller-uid`. Needs `metadata.uid`; idempotent.
 */
export function generateJobSelector(obj: KubeObject): void {
  if (manualSelector(obj) || !obj.metadata.uid) return;
  const spec = specOf(obj);
  const metadata = ensureRecord(ensureRecord(spec, 'template'), 'metadata');
  const labels = ensureRecord(metadata, 'labels') as Record<string, unknown>;
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL])
    if (!(key in labels)) labels[key] = obj.metadata.name ?? '';
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL])
    if (!(key in labels)) labels[key] = obj.metadata.uid;
  const matchLabels = ensureRecord(ensureRecord(spec, 'selector'), 'matchLabels');
  if (!(CONTROLLER_UID_LABEL in matchLabels)) matchLabels[CONTROLLER_UID_LABEL] = obj.metadata.uid;
}

/** ValidateHasLabel: `spec.template.metadata.labels[key]` must be `expected`. */
function validateHasLabel(labels: Record<string, unknown>, key: string, expected: string): FieldError[] {
  const path = `spec.template.metadata.labels[${key}]`;
  if (!(key in labels)) return [fieldErrors.required(path, `must be '${expected}'`)];
  if (labels[key] !== expected) {
    return [invalidRendered(path, goStringMap(labels), `must be '${expected}'`)];
  }
  return [];
}

/**
 * validateGeneratedSelector: without `manualSelector`, the template carries the generated
 * labels and the selector matches them.
 */
function validateGeneratedSelector(obj: KubeObject): FieldError[] {
  if (manualSelector(obj)) return [];
  const spec = rec(obj.spec);
  const selector = spec.selector;
  if (selector === undefined || selector === null) return [];
  const errs: FieldError[] = [];
  const uid = obj.metadata.uid ?? '';
  const name = obj.metadata.name ?? '';
  if (uid === '') errs.push(fieldErrors.required('metadata.uid'));
  const labels = rec(rec(rec(spec.template).metadata).labels);
  errs.push(...validateHasLabel(labels, LEGACY_CONTROLLER_UID_LABEL, uid));
  errs.push(...validateHasLabel(labels, LEGACY_JOB_NAME_LABEL, name));
  errs.push(...validateHasLabel(labels, CONTROLLER_UID_LABEL, uid));
  errs.push(...validateHasLabel(labels, JOB_NAME_LABEL, name));
  const expected = {
    [CONTROLLER_UID_LABEL]: uid,
    [JOB_NAME_LABEL]: name,
    [LEGACY_CONTROLLER_UID_LABEL]: uid,
    [LEGACY_JOB_NAME_LABEL]: name,
  };
  if (selectorConvertible(selector) && !selectorFromSpec(selector as LabelSelectorSpec).matches(expected)) {
    errs.push(invalidRendered('spec.selector', goLabelSelector(selector), '`selector` not auto-generated'));
  }
  return errs;
}

const IMMUTABLE_SPEC_FIELDS = [
  'completionMode',
  'podFailurePolicy',
  'backoffLimitPerIndex',
  'managedBy',
  'successPolicy',
];

/** ValidateJob / ValidateJobUpdate. */
export function validateJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = rec(obj.spec);
  const errs: FieldError[] = [...validateMeta(obj, old, true)];
  if (!old) {
    generateJobSelector(obj);
    errs.push(...validateGeneratedSelector(obj));
  }
  errs.push(...validateJobSpec(spec, 'spec'));
  const completions = num(spec.completions);
  if (!old && spec.completionMode === 'Indexed' && completions !== undefined && completions > 0) {
    const hostname = `${obj.metadata.name ?? ''}-${completions - 1}`;
    if (isDns1123Label(hostname).length > 0) {
      errs.push(
        fieldErrors.invalid(
          'metadata.name',
          obj.metadata.name ?? '',
          `will not able to create pod with invalid DNS label: ${hostname}`,
        ),
      );
    }
  }
  if (old) {
    const oldSpec = rec(old.spec);
    errs.push(...validateImmutable(spec.completions, oldSpec.completions, 'spec.completions'));
    if (validateImmutable(spec.selector, oldSpec.selector, 'spec.selector').length > 0) {
      errs.push(invalidRendered('spec.selector', goLabelSelector(spec.selector), 'field is immutable'));
    }
    errs.push(...validateImmutable(spec.template, oldSpec.template, 'spec.template'));
    for (const key of IMMUTABLE_SPEC_FIELDS)
      errs.push(...validateImmutable(spec[key], oldSpec[key], `spec.${key}`));
  }
  return errs;
}

function hasCondition(obj: KubeObject, type: string): boolean {
  return records(rec(obj.status).conditions).some((c) => c.type === type && c.status === 'True');
}

/** The Status column of `kubectl get jobs` (1.31+). */
export function jobStatus(obj: KubeObject): string {
  if (hasCondition(obj, 'Complete')) return 'Complete';
  if (hasCondition(obj, 'Failed')) return 'Failed';
  if (obj.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(obj, 'Suspended')) return 'Suspended';
  if (hasCondition(obj, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(obj, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** `1/1`, `3/5`, or `2/1 of 4` for work-queue jobs with parallelism > 1. */
export function jobCompletions(obj: KubeObject): string {
  const spec = rec(obj.spec);
  const succeeded = num(rec(obj.status).succeeded) ?? 0;
  const completions = num(spec.completions);
  if (completions !== undefined) return `${succeeded}/${completions}`;
  const parallelism = num(spec.parallelism) ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** The Duration column: start to completion (or to now while running), "" before start. */
export function jobDuration(obj: KubeObject, now: Date): string {
  const status = rec(obj.status);
  const start = timestampMillis(status.startTime);
  if (start === undefined) return '';
  const end = timestampMillis(status.completionTime) ?? now.getTime();
  return humanDuration(end - start);
}

function jobCells(obj: KubeObject, now: Date): unknown[] {
  const spec = rec(obj.spec);
  return [
    nameCell(obj),
    jobStatus(obj),
    jobCompletions(obj),
    jobDuration(obj, now),
    ageCell(obj, now),
    ...templateContainerCells(spec.template),
    formatLabelSelector(rec(spec.selector)),
  ];
}

/** batch/v1 Job. */
export const jobDefinition: ResourceDefinition = {
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  listKind: 'JobList',
  plural: 'jobs',
  singular: 'job',
  namespaced: true,
  categories: ['all'],
  verbs: [...STANDARD_VERBS],
  subresources: [statusSubresource('Job', 'batch', 'v1')],
  hasStatusSubresource: true,
  applyDefaults: applyJobDefaults,
  validate: validateJob,
  prepareForCreate: (obj) => {
    resetStatus(obj);
    generateJobSelector(obj);
    // Kubernetes defaults the Job's labels from the template again when it reads the
    // object back, so the generated labels show up on the Job itself.
    const templateLabels = rec(rec(rec(obj.spec).template).metadata).labels;
    if (isPlainObject(templateLabels) && Object.keys(obj.metadata.labels ?? {}).length === 0) {
      obj.metadata.labels = { ...(templateLabels as Record<string, string>) };
    }
  },
  table: {
    columns: [
      nameColumn(),
      column('Status', 'string', 'Status of the job.'),
      column('Completions', 'string', swaggerDoc('V1JobStatus', 'succeeded')),
      column('Duration', 'string', 'Time required to complete the job.'),
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
    cells: (obj, { now }) => jobCells(obj, now),
  },
  fieldSelectors: {
    'status.successful': (obj) => String(num(rec(obj.status).succeeded) ?? 0),
  },
};
