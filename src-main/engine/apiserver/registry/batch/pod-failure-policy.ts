import { isPlainObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { arr, rec, records, str } from '../core/common';
import { isQualifiedName } from '../validation';

const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const MAX_RULES = 20;
const MAX_EXIT_CODES = 255;

/** `Invalid value: <detail>` without a value, as Kubernetes prints field.OmitValueType. */
function invalidOmitted(field: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, message: `Invalid value: ${detail}` };
}

function validateExitCodes(
  onExitCodes: Record<string, unknown>,
  path: string,
  containers: Set<string>,
): FieldError[] {
  const errs: FieldError[] = [];
  const container = onExitCodes.containerName;
  if (typeof container === 'string' && !containers.has(container)) {
    errs.push(
      fieldErrors.invalid(
        `${path}.containerName`,
        container,
        'must be one of the container or initContainer names in the pod template',
      ),
    );
  }
  const operator = onExitCodes.operator;
  if (!OPERATORS.includes(str(operator)))
    errs.push(fieldErrors.notSupported(`${path}.operator`, operator ?? '', OPERATORS));
  const values = arr(onExitCodes.values).filter((v): v is number => typeof v === 'number');
  const valuesPath = `${path}.values`;
  if (values.length === 0) errs.push(fieldErrors.required(valuesPath, 'at least one value is required'));
  else if (values.length > MAX_EXIT_CODES) {
    errs.push({
      type: 'FieldValueTooMany',
      field: valuesPath,
      message: `Too many: ${values.length}: must have at most ${MAX_EXIT_CODES} items`,
    });
  }
  const seen = new Set<number>();
  values.forEach((value, i) => {
    if (seen.has(value)) errs.push(fieldErrors.duplicate(`${valuesPath}[${i}]`, value));
    seen.add(value);
    if (operator === 'In' && value === 0) {
      errs.push(fieldErrors.invalid(`${valuesPath}[${i}]`, value, 'must not be 0 for the In operator'));
    }
    if (i > 0 && values[i - 1] > value) errs.push(fieldErrors.invalid(valuesPath, values, 'must be ordered'));
  });
  return errs;
}

/** validatePodFailurePolicy for `spec.podFailurePolicy` (rules, actions, exit codes, pod conditions). */
export function validatePodFailurePolicy(spec: Record<string, unknown>, path: string): FieldError[] {
  if (!isPlainObject(spec.podFailurePolicy)) return [];
  const rulesPath = `${path}.podFailurePolicy.rules`;
  const rules = records(spec.podFailurePolicy.rules);
  const errs: FieldError[] = [];
  if (rules.length > MAX_RULES) {
    errs.push({
      type: 'FieldValueTooMany',
      field: rulesPath,
      message: `Too many: ${rules.length}: must have at most ${MAX_RULES} items`,
    });
  }
  const podSpec = rec(rec(spec.template).spec);
  const containers = new Set(
    [...records(podSpec.containers), ...records(podSpec.initContainers)].map((c) => str(c.name)),
  );
  rules.forEach((rule, i) => {
    const rulePath = `${rulesPath}[${i}]`;
    if (rule.action === 'FailIndex') {
      if (spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null) {
        errs.push(
          fieldErrors.invalid(
            `${rulePath}.action`,
            rule.action,
            'requires the backoffLimitPerIndex to be set',
          ),
        );
      }
    } else if (!ACTIONS.includes(str(rule.action))) {
      errs.push(fieldErrors.notSupported(`${rulePath}.action`, rule.action ?? '', ACTIONS));
    }
    const hasExitCodes = isPlainObject(rule.onExitCodes);
    const conditions = records(rule.onPodConditions);
    if (hasExitCodes)
      errs.push(...validateExitCodes(rec(rule.onExitCodes), `${rulePath}.onExitCodes`, containers));
    conditions.forEach((condition, j) => {
      const p = `${rulePath}.onPodConditions[${j}]`;
      if (!CONDITION_STATUSES.includes(str(condition.status))) {
        errs.push(fieldErrors.notSupported(`${p}.status`, condition.status ?? '', CONDITION_STATUSES));
      }
      for (const msg of isQualifiedName(str(condition.type)))
        errs.push(fieldErrors.invalid(`${p}.type`, condition.type ?? '', msg));
    });
    if (hasExitCodes && conditions.length > 0) {
      errs.push(invalidOmitted(rulePath, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    }
    if (!hasExitCodes && conditions.length === 0) {
      errs.push(invalidOmitted(rulePath, 'specifying one of OnExitCodes and OnPodConditions is required'));
    }
  });
  return errs;
}
