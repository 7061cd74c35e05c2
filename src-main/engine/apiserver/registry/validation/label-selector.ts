import type { V1LabelSelector } from '@kubernetes/client-node';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { isQualifiedName, isValidLabelValue } from './names';
import { validateLabels } from './object-meta';

/**
 * ValidateLabelSelector for `metav1.LabelSelector` values (matchLabels + matchExpressions),
 * with the paths `<path>.matchLabels`, `<path>.matchExpressions[i].operator|key|values[j]`.
 */
export function validateLabelSelector(selector: V1LabelSelector | undefined, path: string): FieldError[] {
  if (!selector) return [];
  const errs: FieldError[] = [...validateLabels(selector.matchLabels, `${path}.matchLabels`)];
  (selector.matchExpressions ?? []).forEach((expr, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          errs.push(
            fieldErrors.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"),
          );
        }
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errs.push(
            fieldErrors.forbidden(
              `${p}.values`,
              "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            ),
          );
        }
        break;
      default:
        errs.push(fieldErrors.invalid(`${p}.operator`, expr.operator ?? '', 'not a valid selector operator'));
    }
    for (const msg of isQualifiedName(expr.key ?? ''))
      errs.push(fieldErrors.invalid(`${p}.key`, expr.key ?? '', msg));
    values.forEach((value, j) => {
      for (const msg of isValidLabelValue(value))
        errs.push(fieldErrors.invalid(`${p}.values[${j}]`, value, msg));
    });
  });
  return errs;
}

/** True when a map-style selector (Service, ReplicationController) matches the labels. */
export function selectorMapMatches(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}
