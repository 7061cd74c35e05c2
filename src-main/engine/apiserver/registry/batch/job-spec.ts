import { isPlainObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { num, rec } from '../core/common';
import { validateWorkloadPodTemplate } from '../apps/pod-template-validation';
import { selectorConvertible, templateLabelsMatch } from '../apps/workload-template';
import { validateLabelSelector, validateNonnegative } from '../validation';
import { validatePodFailurePolicy } from './pod-failure-policy';

/** Kubernetes' maxParallelismForIndexedJob. */
const MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000;

/**
 * validateJobSpec (the part shared by Jobs and CronJob job templates), at `path`
 * (`spec` or `spec.jobTemplate.spec`).
 */
export function validateJobSpecCommon(spec: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateNonnegative(num(spec.parallelism), `${path}.parallelism`));
  errs.push(...validateNonnegative(num(spec.completions), `${path}.completions`));
  errs.push(...validateNonnegative(num(spec.activeDeadlineSeconds), `${path}.activeDeadlineSeconds`));
  errs.push(...validateNonnegative(num(spec.backoffLimit), `${path}.backoffLimit`));
  errs.push(...validateNonnegative(num(spec.ttlSecondsAfterFinished), `${path}.ttlSecondsAfterFinished`));
  const mode = spec.completionMode;
  if (mode !== undefined && mode !== null) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') {
      errs.push(fieldErrors.notSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
    }
    if (mode === 'Indexed') {
      if (spec.completions === undefined || spec.completions === null) {
        errs.push(fieldErrors.required(`${path}.completions`, 'when completion mode is Indexed'));
      }
      const parallelism = num(spec.parallelism);
      if (parallelism !== undefined && parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB) {
        errs.push(
          fieldErrors.invalid(
            `${path}.parallelism`,
            parallelism,
            `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`,
          ),
        );
      }
    }
  }
  errs.push(...validatePodFailurePolicy(spec, path));
  const replacement = spec.podReplacementPolicy;
  if (replacement !== undefined && replacement !== null) {
    if (isPlainObject(spec.podFailurePolicy)) {
      if (replacement !== 'Failed') {
        errs.push(fieldErrors.notSupported(`${path}.podReplacementPolicy`, replacement, ['Failed']));
      }
    } else if (replacement !== 'Failed' && replacement !== 'TerminatingOrFailed') {
      errs.push(
        fieldErrors.notSupported(`${path}.podReplacementPolicy`, replacement, [
          'Failed',
          'TerminatingOrFailed',
        ]),
      );
    }
  }
  const template = spec.template;
  errs.push(...validateWorkloadPodTemplate(template, `${path}.template`));
  const policy = rec(rec(template).spec).restartPolicy;
  const restartPath = `${path}.template.spec.restartPolicy`;
  if (policy === 'Always' || policy === undefined || policy === null || policy === '') {
    errs.push(fieldErrors.required(restartPath, 'valid values: "OnFailure", "Never"'));
  } else if (policy !== 'OnFailure' && policy !== 'Never') {
    errs.push(fieldErrors.notSupported(restartPath, policy, ['OnFailure', 'Never']));
  } else if (isPlainObject(spec.podFailurePolicy) && policy !== 'Never') {
    errs.push(
      fieldErrors.invalid(
        restartPath,
        policy,
        'only "Never" is supported when podFailurePolicy is specified',
      ),
    );
  }
  return errs;
}

/** ValidateJobSpec: the common checks plus a required selector that matches the template. */
export function validateJobSpec(spec: Record<string, unknown>, path: string): FieldError[] {
  const errs = validateJobSpecCommon(spec, path);
  const selector = spec.selector;
  if (selector === undefined || selector === null) errs.push(fieldErrors.required(`${path}.selector`));
  else errs.push(...validateLabelSelector(selector, `${path}.selector`));
  if (selectorConvertible(selector))
    errs.push(...templateLabelsMatch(selector, spec.template, `${path}.template`));
  return errs;
}
