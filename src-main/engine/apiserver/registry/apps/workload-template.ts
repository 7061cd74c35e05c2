import { isPlainObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { selectorFromSpec } from '../../selectors';
import type { LabelSelectorSpec } from '../../selectors';
import { rec } from '../core/common';
import { validateAnnotations, validateLabelSelector, validateLabels } from '../validation';
import { invalidRendered } from '../validation/field-errors';
import { goLabelSelector, goStringMap } from './go-values';

const SELECTOR_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * LabelSelectorAsSelector's failure case: an operator Kubernetes does not know. Returns
 * true when the selector can be turned into a matcher (absent selectors can: they match nothing).
 */
export function selectorConvertible(selector: unknown): boolean {
  if (!isPlainObject(selector)) return true;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  return expressions.every((e) => isPlainObject(e) && SELECTOR_OPERATORS.has(String(e.operator)));
}

/** True when a label selector has neither matchLabels nor matchExpressions. */
export function selectorIsEmpty(selector: unknown): boolean {
  const s = rec(selector);
  const labels = isPlainObject(s.matchLabels) ? Object.keys(s.matchLabels).length : 0;
  const expressions = Array.isArray(s.matchExpressions) ? s.matchExpressions.length : 0;
  return labels + expressions === 0;
}

/** `spec.selector: Invalid value: v1.LabelSelector{…}: empty selector is invalid for <what>` */
export function emptySelectorError(selector: unknown, path: string, detail: string): FieldError {
  return invalidRendered(path, goLabelSelector(selector), detail);
}

/**
 * The selector-vs-template check of the workload validators:
 * `spec.template.metadata.labels: Invalid value: map[string]string{…}: `selector` does not match template `labels``.
 * A non-nil empty selector matches everything and so is never reported here.
 */
export function templateLabelsMatch(
  selector: unknown,
  template: unknown,
  templatePath: string,
): FieldError[] {
  const spec = isPlainObject(selector) ? (selector as LabelSelectorSpec) : undefined;
  const matcher = selectorFromSpec(spec);
  if (matcher.empty) return [];
  const metadata = rec(rec(template).metadata);
  const labels = isPlainObject(metadata.labels) ? (metadata.labels as Record<string, string>) : undefined;
  if (matcher.matches(labels)) return [];
  return [
    invalidRendered(
      `${templatePath}.metadata.labels`,
      goStringMap(labels),
      '`selector` does not match template `labels`',
    ),
  ];
}

/** Template metadata checks (labels and annotations syntax) at `<path>.labels` / `<path>.annotations`. */
export function validateTemplateMetadata(template: unknown, metadataPath: string): FieldError[] {
  const metadata = rec(rec(template).metadata);
  return [
    ...validateLabels(metadata.labels as Record<string, string> | undefined, `${metadataPath}.labels`),
    ...validateAnnotations(
      metadata.annotations as Record<string, string> | undefined,
      `${metadataPath}.annotations`,
    ),
  ];
}

/** `restartPolicy` must be Always for long-running workloads (Deployment, ReplicaSet, DaemonSet, StatefulSet). */
export function restartPolicyAlways(template: unknown, templatePath: string): FieldError[] {
  const policy = rec(rec(template).spec).restartPolicy;
  return policy === 'Always'
    ? []
    : [fieldErrors.notSupported(`${templatePath}.spec.restartPolicy`, policy ?? '', ['Always'])];
}

/** The pod template's `activeDeadlineSeconds`, when set. */
export function activeDeadlineSeconds(template: unknown): number | undefined {
  const value = rec(rec(template).spec).activeDeadlineSeconds;
  return typeof value === 'number' ? value : undefined;
}

/**
 * The `spec.selector` checks of Deployment, ReplicaSet and StatefulSet, in Kubernetes' order:
 * required, valid syntax, and not empty (`empty selector is invalid for <what>`).
 */
export function validateWorkloadSelector(spec: Record<string, unknown>, what: string): FieldError[] {
  const errs: FieldError[] = [];
  const selector = spec.selector;
  if (selector === undefined || selector === null) {
    errs.push(fieldErrors.required('spec.selector'));
  } else {
    errs.push(...validateLabelSelector(selector, 'spec.selector'));
    if (selectorIsEmpty(selector)) {
      errs.push(emptySelectorError(selector, 'spec.selector', `empty selector is invalid for ${what}`));
    }
  }
  return errs;
}
