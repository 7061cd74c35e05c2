import Docker from 'dockerode';
import { registryAuthFor, registryOf } from './docker-config';
import { dockerError, transferError } from './docker-errors';
import { dockerMessage, dockerStatus, ImageError } from './image-error';
import { followDockerStream } from './docker-stream';
import type { ProgressListener } from './progress';
import { messageError, transferMessageEvents } from './progress';

/** What push and pull take. */
export interface TransferOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  docker?: Docker;
  /** Where the user's Docker config is read from (`DOCKER_CONFIG`, `HOME`). */
  env?: NodeJS.ProcessEnv;
}

/** A reference split as the Engine API wants it: repository, and tag (default `latest`) or digest. */
export function splitReference(reference: string): { repository: string; tag: string } {
  const at = reference.indexOf('@');
  if (at >= 0) return { repository: reference.slice(0, at), tag: reference.slice(at + 1) };
  const lastSlash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  if (colon > lastSlash) return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  return { repository: reference, tag: 'latest' };
}

/**
 * Pushes `reference` from the host's Docker engine to its registry with the user's credentials
 * from the Docker config, streaming per-layer progress. Throws ImageError with a cause and fix
 * (registry unreachable, refused, image missing).
 */
export async function pushImage(
  reference: string,
  options: TransferOptions = {},
): Promise<{ digest?: string }> {
  const docker = options.docker ?? new Docker();
  const registry = registryOf(reference);
  const { repository, tag } = splitReference(reference);
  const auth = await registryAuthFor(reference, options.env);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.getImage(repository).push({
      tag,
      // The engine insists on an X-Registry-Auth header even for registries that need none.
      authconfig: auth ?? { serveraddress: registry },
      abortSignal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted)
      throw new ImageError(`The push of ${reference} was cancelled.`, 'Run it again to finish it.');
    if (dockerStatus(error) === 404) throw transferError('push', reference, registry, dockerMessage(error));
    throw dockerError(error, `Push of ${reference} failed`);
  }
  let digest: string | undefined;
  const failure = await followDockerStream(
    docker,
    stream,
    (message) => {
      const found =
        typeof message.status === 'string' ? /digest: (sha256:[0-9a-f]+)/.exec(message.status) : null;
      if (found) digest = found[1];
      const aux = message.aux as { Digest?: unknown } | undefined;
      if (aux && typeof aux.Digest === 'string') digest = aux.Digest;
      for (const event of transferMessageEvents(message)) options.onProgress?.(event);
    },
    options.signal,
    `The push of ${reference}`,
  );
  const error = failure ? messageError(failure) : undefined;
  if (error) throw transferError('push', reference, registry, error);
  return digest ? { digest } : {};
}

/**
 * Pulls `reference` into the host's Docker engine with the user's credentials, streaming
 * per-layer progress. Throws ImageError with a cause and fix.
 */
export async function pullImage(reference: string, options: TransferOptions = {}): Promise<void> {
  const docker = options.docker ?? new Docker();
  const registry = registryOf(reference);
  const { repository, tag } = splitReference(reference);
  const auth = await registryAuthFor(reference, options.env);
  const full = tag.startsWith('sha256:') ? `${repository}@${tag}` : `${repository}:${tag}`;
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(full, { ...(auth ? { authconfig: auth } : {}), abortSignal: options.signal });
  } catch (error) {
    if (options.signal?.aborted)
      throw new ImageError(`The pull of ${reference} was cancelled.`, 'Run it again to finish it.');
    // An answer from the engine is about the registry or the name; no answer means Docker is down.
    if (dockerStatus(error) !== undefined)
      throw transferError('pull', reference, registry, dockerMessage(error));
    throw dockerError(error, `Pull of ${reference} failed`);
  }
  const failure = await followDockerStream(
    docker,
    stream,
    (message) => {
      for (const event of transferMessageEvents(message)) options.onProgress?.(event);
    },
    options.signal,
    `The pull of ${reference}`,
  );
  const error = failure ? messageError(failure) : undefined;
  if (error) throw transferError('pull', reference, registry, error);
}
