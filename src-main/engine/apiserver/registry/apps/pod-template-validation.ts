import type { FieldError } from '../../status';
import { validatePodTemplateSpec } from '../core/pod-spec-validation';

/**
 * ValidatePodTemplateSpec for a workload's `spec.template` at `path` (e.g. `spec.template`):
 * template metadata and the pod spec, with Kubernetes' field paths.
 */
export function validateWorkloadPodTemplate(template: unknown, path: string): FieldError[] {
  return validatePodTemplateSpec(template, path);
}
