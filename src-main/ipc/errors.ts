/**
 * Errors that cross the renderer/backend boundary. The backend turns any thrown value into an
 * `ErrorEnvelope` (plain data, safe for structured clone and JSON); the renderer rebuilds it into
 * the matching `KubedeskError` subclass, so code on both sides can use `instanceof`.
 */

/** The kinds of failure the UI tells apart; Kubernetes `Status.reason` values map onto them. */
export type ErrorKind =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Gone'
  | 'Forbidden'
  | 'Unauthorized'
  | 'BadRequest'
  | 'Timeout'
  | 'Unavailable'
  | 'Transport'
  | 'Internal';

/** One field-level cause of a failure (Kubernetes `StatusCause`). */
export interface ErrorCause {
  field?: string;
  message: string;
  reason?: string;
}

/** A failure as plain data. */
export interface ErrorEnvelope {
  kind: ErrorKind;
  message: string;
  /** HTTP status of the Kubernetes answer, when there was one. */
  code?: number;
  /** Kubernetes `Status.reason`, verbatim. */
  reason?: string;
  causes?: ErrorCause[];
}

/** Base of every typed error; carries what the envelope carries. */
export class KubedeskError extends Error {
  readonly kind: ErrorKind;
  readonly code: number | undefined;
  readonly reason: string | undefined;
  readonly causes: ErrorCause[];

  constructor(envelope: ErrorEnvelope) {
    super(envelope.message);
    this.name = `${envelope.kind}Error`;
    this.kind = envelope.kind;
    this.code = envelope.code;
    this.reason = envelope.reason;
    this.causes = envelope.causes ?? [];
  }

  toEnvelope(): ErrorEnvelope {
    return {
      kind: this.kind,
      message: this.message,
      ...(this.code !== undefined ? { code: this.code } : {}),
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
      ...(this.causes.length > 0 ? { causes: this.causes } : {}),
    };
  }
}

export class NotFoundError extends KubedeskError {}
export class AlreadyExistsError extends KubedeskError {}
export class ConflictError extends KubedeskError {}
export class InvalidError extends KubedeskError {}
/** The watched or listed resourceVersion is too old (410): list again. */
export class GoneError extends KubedeskError {}
export class ForbiddenError extends KubedeskError {}
export class UnauthorizedError extends KubedeskError {}
export class BadRequestError extends KubedeskError {}
export class TimeoutError extends KubedeskError {}
export class UnavailableError extends KubedeskError {}
/** The connection to the backend itself failed (socket closed, bridge missing). */
export class TransportError extends KubedeskError {}
export class InternalError extends KubedeskError {}

const CLASSES: Record<ErrorKind, new (envelope: ErrorEnvelope) => KubedeskError> = {
  NotFound: NotFoundError,
  AlreadyExists: AlreadyExistsError,
  Conflict: ConflictError,
  Invalid: InvalidError,
  Gone: GoneError,
  Forbidden: ForbiddenError,
  Unauthorized: UnauthorizedError,
  BadRequest: BadRequestError,
  Timeout: TimeoutError,
  Unavailable: UnavailableError,
  Transport: TransportError,
  Internal: InternalError,
};

/** Builds the typed error of an envelope; unknown kinds become `InternalError`. */
export function fromEnvelope(envelope: ErrorEnvelope): KubedeskError {
  const Class = CLASSES[envelope.kind] ?? InternalError;
  return new Class(CLASSES[envelope.kind] ? envelope : { ...envelope, kind: 'Internal' });
}

/** Builds a typed error of a kind. */
export function kubedeskError(
  kind: ErrorKind,
  message: string,
  extra: Omit<ErrorEnvelope, 'kind' | 'message'> = {},
) {
  return fromEnvelope({ kind, message, ...extra });
}

/** Whether a value has the shape of an envelope (for transports that receive untyped data). */
export function isErrorEnvelope(value: unknown): value is ErrorEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.kind === 'string' && typeof record.message === 'string';
}

/** Turns anything thrown into an envelope: typed errors keep their data, the rest become Internal. */
export function toEnvelope(err: unknown): ErrorEnvelope {
  if (err instanceof KubedeskError) return err.toEnvelope();
  if (err instanceof Error) return { kind: 'Internal', message: err.message };
  return { kind: 'Internal', message: String(err) };
}

const REASON_KINDS: Record<string, ErrorKind> = {
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  Conflict: 'Conflict',
  Invalid: 'Invalid',
  Gone: 'Gone',
  Expired: 'Gone',
  Forbidden: 'Forbidden',
  Unauthorized: 'Unauthorized',
  BadRequest: 'BadRequest',
  Timeout: 'Timeout',
  ServerTimeout: 'Timeout',
  ServiceUnavailable: 'Unavailable',
  MethodNotAllowed: 'BadRequest',
  UnsupportedMediaType: 'BadRequest',
  RequestEntityTooLarge: 'BadRequest',
};

const CODE_KINDS: Record<number, ErrorKind> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  410: 'Gone',
  422: 'Invalid',
  429: 'Unavailable',
  503: 'Unavailable',
  504: 'Timeout',
};

/**
 * The typed error of a Kubernetes answer: `body` is the response (a `Status` object when the server
 * sent one), `code` its HTTP status. The reason decides the kind; the code decides when it is absent.
 */
export function errorFromStatus(body: unknown, code: number): KubedeskError {
  const status = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const reason = typeof status.reason === 'string' && status.reason ? status.reason : undefined;
  const message =
    typeof status.message === 'string' && status.message
      ? status.message
      : typeof body === 'string' && body.trim()
        ? body.trim()
        : `the server answered ${code}`;
  const details = typeof status.details === 'object' && status.details !== null ? status.details : {};
  const rawCauses = (details as Record<string, unknown>).causes;
  const causes: ErrorCause[] = Array.isArray(rawCauses)
    ? rawCauses.flatMap((cause: unknown) => {
        if (typeof cause !== 'object' || cause === null) return [];
        const c = cause as Record<string, unknown>;
        return [
          {
            message: typeof c.message === 'string' ? c.message : '',
            ...(typeof c.field === 'string' ? { field: c.field } : {}),
            ...(typeof c.reason === 'string' ? { reason: c.reason } : {}),
          },
        ];
      })
    : [];
  const kind =
    (reason ? REASON_KINDS[reason] : undefined) ??
    CODE_KINDS[code] ??
    (code >= 500 ? 'Internal' : 'BadRequest');
  return fromEnvelope({
    kind,
    message,
    code,
    ...(reason ? { reason } : {}),
    ...(causes.length > 0 ? { causes } : {}),
  });
}
