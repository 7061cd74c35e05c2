/** The HTTP status of a failed Docker Engine API call (dockerode puts it on the error), if any. */
export function dockerStatusCode(error: unknown): number | undefined {
  const code =
    typeof error === 'object' && error !== null ? (error as { statusCode?: unknown }).statusCode : undefined;
  return typeof code === 'number' ? code : undefined;
}

/** The first line of an error's message: Docker's answers can run over many lines. */
export function errorLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}
