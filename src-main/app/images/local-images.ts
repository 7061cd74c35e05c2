import Docker from 'dockerode';
import { dockerError } from './docker-errors';
import { dockerMessage, dockerStatus, ImageError } from './image-error';

/** One image of the host's Docker engine, one row per name (untagged images have `<none>`). */
export interface LocalImage {
  repository: string;
  tag: string;
  /** Short id (12 hex digits), as `docker images` shows. */
  id: string;
  /** ISO time the image was created. */
  created: string;
  /** Bytes. */
  size: number;
}

/** Every image of the host's Docker engine, newest first; one entry per tag. */
export async function listImages(options: { docker?: Docker; all?: boolean } = {}): Promise<LocalImage[]> {
  const docker = options.docker ?? new Docker();
  let images: Docker.ImageInfo[];
  try {
    images = await docker.listImages({ all: options.all === true });
  } catch (error) {
    throw dockerError(error, 'Listing images failed');
  }
  const rows: LocalImage[] = [];
  for (const image of [...images].sort((a, b) => b.Created - a.Created)) {
    const id = image.Id.replace(/^sha256:/, '').slice(0, 12);
    const created = new Date(image.Created * 1000).toISOString();
    const tags = (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>');
    if (tags.length === 0) {
      const digest = (image.RepoDigests ?? [])[0];
      const repository = digest ? digest.slice(0, digest.indexOf('@')) : '<none>';
      rows.push({ repository, tag: '<none>', id, created, size: image.Size });
      continue;
    }
    for (const name of tags) {
      const colon = name.lastIndexOf(':');
      rows.push({
        repository: name.slice(0, colon),
        tag: name.slice(colon + 1),
        id,
        created,
        size: image.Size,
      });
    }
  }
  return rows;
}

/**
 * Removes an image name (or id) from the host's Docker engine; the image itself goes when no
 * other name holds it. Throws ImageError when it does not exist or a container uses it.
 */
export async function removeImage(
  reference: string,
  options: { force?: boolean; docker?: Docker } = {},
): Promise<{ untagged: string[]; deleted: string[] }> {
  const docker = options.docker ?? new Docker();
  let result: Array<{ Untagged?: string; Deleted?: string }>;
  try {
    result = (await docker.getImage(reference).remove({ force: options.force === true })) as Array<{
      Untagged?: string;
      Deleted?: string;
    }>;
  } catch (error) {
    const status = dockerStatus(error);
    const said = dockerMessage(error);
    if (status === 404) {
      throw new ImageError(
        `No image ${reference} on this Docker engine.`,
        'See the names with "kubedesk image ls".',
        said,
      );
    }
    if (status === 409) {
      throw new ImageError(
        `Image ${reference} is in use: ${said}.`,
        'Remove the containers or pods that use it, or pass --force.',
        said,
      );
    }
    throw dockerError(error, `Removing ${reference} failed`);
  }
  return {
    untagged: result.flatMap((entry) => (entry.Untagged ? [entry.Untagged] : [])),
    deleted: result.flatMap((entry) => (entry.Deleted ? [entry.Deleted] : [])),
  };
}
