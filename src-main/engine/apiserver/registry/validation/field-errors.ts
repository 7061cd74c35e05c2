import type { FieldError } from '../../status';

/**
 * Field errors that `status.ts`'s builders cannot express: Kubernetes' `NotFound` type and
 * values Kubernetes renders with Go syntax (`[]string{"10.96.0.5"}`).
 */

/**
 * `Not found: "data"` (field.NotFound). The shared FieldError type has no NotFound member,
 * so the reason string is widened here; clients only read it as text.
 */
export function notFoundError(field: string, value: unknown): FieldError {
  return {
    type: 'FieldValueNotFound' as unknown as FieldError['type'],
    field,
    message: `Not found: ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
  };
}

/** `Invalid value: <rendered>: <detail>` with the value already rendered as Kubernetes prints it. */
export function invalidRendered(field: string, rendered: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, message: `Invalid value: ${rendered}: ${detail}` };
}

/** `Duplicate value: <rendered>` with a pre-rendered value. */
export function duplicateRendered(field: string, rendered: string): FieldError {
  return { type: 'FieldValueDuplicate', field, message: `Duplicate value: ${rendered}` };
}

/** Go's `%#v` of a []string: `[]string{"a", "b"}`. */
export function goStringSlice(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** `Too long: may not be more than N bytes` for a whole object, reported against `[]` like Kubernetes. */
export function objectTooLong(max: number): FieldError {
  return { type: 'FieldValueTooLong', field: '[]', message: `Too long: may not be more than ${max} bytes` };
}
