/**
 * Kubernetes `Status` errors. Every non-2xx answer of the API server carries one of these,
 * with the code, reason and (for Invalid) field causes that kubectl prints.
 */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** Identifies the object an error is about, as Kubernetes names it in messages. */
export interface ResourceRef {
  /** e.g. "deployments" */
  resource: string;
  /** e.g. "apps" ("" for core) */
  group: string;
  /** e.g. "Deployment" */
  kind?: string;
  name?: string;
}

/** `deployments.apps` or `pods` — how Kubernetes qualifies a resource in messages. */
export function qualifiedResource(ref: Pick<ResourceRef, 'resource' | 'group'>): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): StatusObject {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export const notFound = (ref: ResourceRef): ApiError =>
  new ApiError(404, 'NotFound', `${qualifiedResource(ref)} "${ref.name ?? ''}" not found`, {
    name: ref.name,
    group: ref.group || undefined,
    kind: ref.resource,
  });

export const alreadyExists = (ref: ResourceRef): ApiError =>
  new ApiError(409, 'AlreadyExists', `${qualifiedResource(ref)} "${ref.name ?? ''}" already exists`, {
    name: ref.name,
    group: ref.group || undefined,
    kind: ref.resource,
  });

export const conflict = (ref: ResourceRef, why?: string): ApiError =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(ref)} "${ref.name ?? ''}": ${
      why ?? 'the object has been modified; please apply your changes to the latest version and try again'
    }`,
    { name: ref.name, group: ref.group || undefined, kind: ref.resource },
  );

/** A field-level validation failure, in the wording of Kubernetes' field.Error. */
export interface FieldError {
  /** FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, FieldValueForbidden, FieldValueTooLong, FieldValueTypeInvalid */
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueDuplicate'
    | 'FieldValueForbidden'
    | 'FieldValueTooLong'
    | 'FieldValueTooMany'
    | 'FieldValueTypeInvalid';
  /** Dotted path with indexes, e.g. `spec.template.spec.containers[0].image`. */
  field: string;
  /** Full message as Kubernetes prints it, e.g. `Required value` or `Invalid value: "x": must be …`. */
  message: string;
}

/** Builders that produce Kubernetes' exact field error wording. */
export const fieldErrors = {
  required: (field: string, detail?: string): FieldError => ({
    type: 'FieldValueRequired',
    field,
    message: detail ? `Required value: ${detail}` : 'Required value',
  }),
  invalid: (field: string, value: unknown, detail: string): FieldError => ({
    type: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${formatValue(value)}: ${detail}`,
  }),
  notSupported: (field: string, value: unknown, supported: readonly string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field,
    message: `Unsupported value: ${formatValue(value)}: supported values: ${supported
      .map((s) => `"${s}"`)
      .join(', ')}`,
  }),
  duplicate: (field: string, value: unknown): FieldError => ({
    type: 'FieldValueDuplicate',
    field,
    message: `Duplicate value: ${formatValue(value)}`,
  }),
  forbidden: (field: string, detail: string): FieldError => ({
    type: 'FieldValueForbidden',
    field,
    message: `Forbidden: ${detail}`,
  }),
  tooLong: (field: string, max: number): FieldError => ({
    type: 'FieldValueTooLong',
    field,
    message: `Too long: may not be more than ${max} bytes`,
  }),
  typeInvalid: (field: string, value: unknown, detail: string): FieldError => ({
    type: 'FieldValueTypeInvalid',
    field,
    message: `Invalid value: ${formatValue(value)}: ${detail}`,
  }),
};

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}

/** 422 Invalid: `The Deployment "web" is invalid: spec.replicas: Invalid value: -1: …` */
export function invalid(kind: string, name: string, group: string, errors: FieldError[]): ApiError {
  const summary = errors.map((e) => `${e.field}: ${e.message}`).join(', ');
  const message =
    errors.length === 1
      ? `${kind} "${name}" is invalid: ${summary}`
      : `${kind} "${name}" is invalid: [${summary}]`;
  return new ApiError(422, 'Invalid', message, {
    name,
    group: group || undefined,
    kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
  });
}

export const badRequest = (message: string, causes?: StatusCause[]): ApiError =>
  new ApiError(400, 'BadRequest', message, causes ? { causes } : undefined);

export const methodNotAllowed = (message: string): ApiError => new ApiError(405, 'MethodNotAllowed', message);

export const unsupportedMediaType = (contentType: string): ApiError =>
  new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got ${contentType})`,
  );

export const gone = (message: string): ApiError => new ApiError(410, 'Expired', message);

export const unauthorized = (): ApiError => new ApiError(401, 'Unauthorized', 'Unauthorized');

export const forbidden = (user: string, verb: string, ref: ResourceRef, namespace?: string): ApiError =>
  new ApiError(
    403,
    'Forbidden',
    `${qualifiedResource(ref)}${ref.name ? ` "${ref.name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${ref.resource}" in API group "${ref.group}"${
      namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'
    }`,
    { name: ref.name, group: ref.group || undefined, kind: ref.resource },
  );

export const tooLarge = (limit: number): ApiError =>
  new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);

export const internalError = (message: string): ApiError =>
  new ApiError(500, 'InternalError', `Internal error occurred: ${message}`);
