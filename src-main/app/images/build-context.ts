import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import { pack } from 'tar-fs';
import { ImageError } from './image-error';

/** A build context ready to send: the tar stream and the Dockerfile's path inside it. */
export interface BuildContext {
  tar: Readable;
  /** The Dockerfile's path inside the tar (posix), for the `dockerfile` build parameter. */
  dockerfile: string;
}

/**
 * Resolves where the Dockerfile is, as `docker build` does: `-f` relative to the working
 * directory, default `<context>/Dockerfile`. Throws ImageError when the context or the
 * Dockerfile is missing.
 */
export async function locateBuildFiles(
  contextDir: string,
  dockerfile: string | undefined,
  cwd: string = process.cwd(),
): Promise<{ context: string; dockerfile: string; dockerfileInContext?: string }> {
  const context = resolve(cwd, contextDir);
  const contextStat = await stat(context).catch(() => undefined);
  if (!contextStat) {
    throw new ImageError(
      `Build context ${contextDir} does not exist.`,
      'Pass the folder that holds your sources, e.g. "kubedesk image build -t app:dev .".',
    );
  }
  if (!contextStat.isDirectory()) {
    throw new ImageError(
      `Build context ${contextDir} is not a folder.`,
      'Pass the folder that holds your sources, and name the Dockerfile with -f.',
    );
  }
  const file = dockerfile ? resolve(cwd, dockerfile) : join(context, 'Dockerfile');
  const fileStat = await stat(file).catch(() => undefined);
  if (!fileStat?.isFile()) {
    throw new ImageError(
      `No Dockerfile at ${file}.`,
      dockerfile
        ? 'Check the path given with -f (it is relative to the current folder).'
        : `Add a Dockerfile to ${contextDir}, or name another one with -f.`,
    );
  }
  const inside = relative(context, file);
  const dockerfileInContext =
    inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside.split(sep).join('/') : undefined;
  return { context, dockerfile: file, dockerfileInContext };
}

/**
 * Tars `context` for the Docker engine, leaving out what `.dockerignore` excludes (with Docker's
 * pattern rules and `!` exceptions). The Dockerfile and `.dockerignore` are always sent, as
 * `docker build` does; a Dockerfile outside the context is added under a generated name.
 */
export async function packBuildContext(
  contextDir: string,
  dockerfile?: string,
  cwd?: string,
): Promise<BuildContext> {
  const located = await locateBuildFiles(contextDir, dockerfile, cwd);
  const ignoreText = await readFile(join(located.context, '.dockerignore'), 'utf8').catch(() => '');
  const rules = dockerignore({ ignorecase: false }).add(ignoreText);
  // With exceptions a folder may be excluded while something inside it is not: walk into it.
  const hasExceptions = /^\s*!/m.test(ignoreText);
  const alwaysSent = new Set(['.dockerignore', located.dockerfileInContext ?? 'Dockerfile']);

  const extraName = located.dockerfileInContext
    ? undefined
    : `.dockerfile.${randomBytes(10).toString('hex')}`;
  const extraContent = extraName ? await readFile(located.dockerfile) : undefined;

  const packed = pack(located.context, {
    ignore: (name) => {
      const path = relative(located.context, name).split(sep).join('/');
      if (!path || alwaysSent.has(path) || !rules.ignores(path)) return false;
      if (hasExceptions && isDirectory(name)) return false;
      return true;
    },
    ...(extraName && extraContent
      ? {
          finalize: false,
          finish: (stream) => {
            stream.entry({ name: extraName, mode: 0o644, mtime: new Date() }, extraContent);
            stream.finalize();
          },
        }
      : {}),
  });
  // tar-fs 3 builds on streamx; a Node stream is what the Docker client pipes reliably.
  const tar = Readable.from(packed);
  return { tar, dockerfile: located.dockerfileInContext ?? extraName ?? 'Dockerfile' };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
