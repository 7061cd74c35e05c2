/**
 * A failed image operation, told as one cause and one fix so every front end (CLI line,
 * dashboard toast) can show it without knowing Docker's wording.
 */
export class ImageError extends Error {
  constructor(
    message: string,
    /** What the user can do about it. */
    readonly hint: string,
    /** Docker's own words, when they add something (e.g. the full daemon message). */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'ImageError';
  }
}

/** The message of a dockerode/docker-modem error: the daemon's JSON message when there is one. */
export function dockerMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const json = (error as { json?: unknown }).json;
    if (
      typeof json === 'object' &&
      json !== null &&
      typeof (json as { message?: unknown }).message === 'string'
    ) {
      return (json as { message: string }).message.trim();
    }
    if (typeof json === 'string' && json.trim()) return json.trim();
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message.replace(/^\(HTTP code \d+\)\s*[a-z ]*-\s*/i, '').trim();
  }
  return String(error);
}

/** The HTTP status of a dockerode error, if it has one. */
export function dockerStatus(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null) {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number') return status;
  }
  return undefined;
}

/** Whether the error means the Docker engine itself could not be reached. */
export function isDockerUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES' || code === 'ENOTFOUND';
}
