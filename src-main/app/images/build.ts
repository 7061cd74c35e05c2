import Docker from 'dockerode';
import { packBuildContext } from './build-context';
import { dockerMessage, ImageError } from './image-error';
import { dockerError } from './docker-errors';
import { followDockerStream } from './docker-stream';
import type { ProgressListener } from './progress';
import { splitReference } from './transfer';
import { buildMessageEvents, messageError } from './progress';

/** What `image build` takes, as `docker build` names it. */
export interface BuildImageOptions {
  /** The build context folder (relative to `cwd`). */
  context: string;
  /** Names for the image (`-t`), at least one. */
  tags: string[];
  /** The Dockerfile (`-f`), relative to `cwd`; default `<context>/Dockerfile`. */
  dockerfile?: string;
  buildArgs?: Record<string, string>;
  target?: string;
  noCache?: boolean;
  /** Resolves relative paths; default the process's working directory. */
  cwd?: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  docker?: Docker;
}

/** What a finished build made. */
export interface BuiltImage {
  /** The image id (`sha256:…`). */
  id: string;
  tags: string[];
}

/**
 * Builds an image on the host's Docker engine from a context that honours `.dockerignore`,
 * streaming each instruction and its output as progress. A failing instruction, an invalid
 * Dockerfile or a missing context throw ImageError with the step that failed and a fix.
 */
export async function buildImage(options: BuildImageOptions): Promise<BuiltImage> {
  if (options.tags.length === 0) {
    throw new ImageError('No image name given.', 'Name the image with -t, e.g. -t app:dev.');
  }
  const docker = options.docker ?? new Docker();
  const context = await packBuildContext(options.context, options.dockerfile, options.cwd);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage(context.tar, {
      t: options.tags[0],
      dockerfile: context.dockerfile,
      buildargs: options.buildArgs ?? {},
      ...(options.target ? { target: options.target } : {}),
      nocache: options.noCache === true,
      rm: true,
      forcerm: true,
      abortSignal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted)
      throw new ImageError('The build was cancelled.', 'Run it again to finish it.');
    throw buildRequestError(error);
  }

  let lastStep: string | undefined;
  let id: string | undefined;
  const failure = await followDockerStream(
    docker,
    stream,
    (message) => {
      for (const event of buildMessageEvents(message)) {
        if (event.type === 'step') lastStep = `Step ${event.step}/${event.total} : ${event.instruction}`;
        options.onProgress?.(event);
      }
      const aux = message.aux as { ID?: unknown } | undefined;
      if (aux && typeof aux.ID === 'string') id = aux.ID;
    },
    options.signal,
    'The build',
  );
  const error = failure ? messageError(failure) : undefined;
  if (error) throw buildStepError(error, lastStep);
  if (!id) id = (await docker.getImage(options.tags[0]).inspect()).Id;
  // The typed client sends one `t`; further names are tags of the same image.
  for (const extra of options.tags.slice(1)) {
    const { repository, tag } = splitReference(extra);
    await docker.getImage(id).tag({ repo: repository, tag });
  }
  return { id, tags: options.tags };
}

/** The error of a failed build step: which step, what Docker said, and a fix. */
export function buildStepError(message: string, step: string | undefined): ImageError {
  const said = message.replace(/\s+/g, ' ').trim();
  const where = step ? `Build failed at ${step}: ` : 'Build failed: ';
  const parse = /dockerfile parse error line (\d+)/i.exec(said);
  const hint = parse
    ? `Fix line ${parse[1]} of the Dockerfile and build again.`
    : step
      ? 'Fix that instruction in the Dockerfile (or what it runs) and build again.'
      : 'Fix the Dockerfile and build again.';
  return new ImageError(`${where}${said}`, hint, message);
}

/** Errors the engine returns before the build streams: mostly an unparseable Dockerfile. */
function buildRequestError(error: unknown): ImageError {
  const said = dockerMessage(error);
  const parse = /dockerfile parse error line (\d+)[:,]?\s*(.*)/i.exec(said);
  if (parse) {
    return new ImageError(
      `The Dockerfile is invalid: line ${parse[1]}: ${parse[2]}`,
      `Fix line ${parse[1]} of the Dockerfile and build again.`,
      said,
    );
  }
  if (/target stage .* could not be found/i.test(said) || /failed to reach build target/i.test(said)) {
    return new ImageError(
      `The build target does not exist: ${said}`,
      'Name a stage of the Dockerfile with --target.',
      said,
    );
  }
  return dockerError(error, 'Build failed');
}
