import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { IS_NEGATIVE, regexError } from '../validation';
import { invalidRendered } from '../validation/field-errors';
import { goIntOrString } from './go-values';

const PERCENT_FMT = '[0-9]+%';
const PERCENT = /^[0-9]+%$/;
const PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%'";

/** IntOrString value as a number: the integer, or the percentage's number (0 when unparsable). */
export function intOrPercentValue(value: unknown): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'string' && PERCENT.test(value)) return Number.parseInt(value.slice(0, -1), 10);
  return 0;
}

/** True when `value` is a percentage string such as `25%`. */
export function isPercent(value: unknown): value is string {
  return typeof value === 'string' && value.endsWith('%');
}

/** ValidatePositiveIntOrPercent: a non-negative integer or a `N%` string. */
export function validatePositiveIntOrPercent(value: unknown, path: string): FieldError[] {
  if (typeof value === 'string') {
    return PERCENT.test(value)
      ? []
      : [invalidRendered(path, goIntOrString(value), regexError(PERCENT_MSG, PERCENT_FMT, '1%', '93%'))];
  }
  if (typeof value === 'number') {
    return value < 0 ? [fieldErrors.invalid(path, Math.trunc(value), IS_NEGATIVE)] : [];
  }
  return [invalidRendered(path, goIntOrString(value), "must be an integer or percentage (e.g '5%%')")];
}

/** IsNotMoreThan100Percent: percentages above 100% are invalid. */
export function validateNotMoreThan100Percent(value: unknown, path: string): FieldError[] {
  if (!isPercent(value) || !PERCENT.test(value) || intOrPercentValue(value) <= 100) return [];
  return [invalidRendered(path, goIntOrString(value), 'must not be greater than 100%')];
}
