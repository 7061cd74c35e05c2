import type { ServerResponse } from 'node:http';
import { ApiError, internalError } from '../status';

/** Collects `Warning` headers for one request (Kubernetes' `299 -` warnings). */
export class Warnings {
  private readonly messages: string[] = [];

  add = (message: string): void => {
    if (!this.messages.includes(message)) this.messages.push(message);
  };

  /**
   * The header values, always writable: a warning can quote user input (an unknown field's
   * name), and Node refuses header characters above U+00FF or DEL, and re-encodes latin1 header
   * strings written together with a body. Everything outside printable ASCII is escaped as
   * `\uXXXX`, as JSON would.
   */
  headerValues(): string[] {
    return this.messages.map(
      (m) =>
        `299 - ${JSON.stringify(m).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}`,
    );
  }
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
  warnings?: Warnings,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  const warningValues = warnings?.headerValues() ?? [];
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    ...(warningValues.length ? { Warning: warningValues } : {}),
    ...headers,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Answers an error as a Kubernetes Status. Anything that is not an ApiError is a bug: it
 * is logged and answered 500, and the server carries on.
 */
export function sendError(
  res: ServerResponse,
  error: unknown,
  log: (message: string) => void,
  warnings?: Warnings,
): void {
  let apiError: ApiError;
  if (error instanceof ApiError) {
    apiError = error;
  } else {
    log(
      `apiserver: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    apiError = internalError(error instanceof Error ? error.message : String(error));
  }
  sendJson(res, apiError.code, apiError.toStatus(), {}, warnings);
}
