import type { FieldError } from '../../status';
import { validateTemplateMetadata } from './workload-template';

/**
 * ValidatePodTemplateSpec for a workload's `spec.template` at `path` (e.g. `spec.template`):
 * template metadata and the pod spec, with Kubernetes' field paths.
 */
export function validateWorkloadPodTemplate(template: unknown, path: string): FieldError[] {
  return validateTemplateMetadata(template, `${path}.metadata`);
}
