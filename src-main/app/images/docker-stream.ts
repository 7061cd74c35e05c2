import type Docker from 'dockerode';
import { ImageError } from './image-error';
import type { DockerMessage } from './progress';

/**
 * Reads a Docker JSON progress stream to its end, handing each message to `onMessage`.
 * Resolves with the first error message the stream reported (Docker reports failures inside
 * the stream with HTTP 200), or undefined when none; rejects when the stream itself breaks, and
 * with ImageError "<what> was cancelled." when `signal` aborts it.
 */
export function followDockerStream(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onMessage: (message: DockerMessage) => void,
  signal?: AbortSignal,
  what = 'The operation',
): Promise<DockerMessage | undefined> {
  return new Promise((resolve, reject) => {
    let failure: DockerMessage | undefined;
    const onAbort = () => {
      (stream as { destroy?: (error?: Error) => void }).destroy?.(new Error('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    docker.modem.followProgress(
      stream,
      (error: Error | null) => {
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) reject(new ImageError(`${what} was cancelled.`, 'Run it again to finish it.'));
        else if (error && !failure) reject(error);
        else resolve(failure);
      },
      (message: DockerMessage) => {
        if ((message.error || message.errorDetail) && !failure) failure = message;
        onMessage(message);
      },
    );
  });
}
