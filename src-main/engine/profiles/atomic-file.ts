import { randomBytes } from 'node:crypto';
import { link, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

/**
 * Writes `data` to `path` so that readers see either the old content or the new one, never a
 * partial file: the bytes go to a sibling temp file (created with `mode`) which is then renamed
 * over the target. Parent folders are created as needed.
 */
export async function writeFileAtomic(path: string, data: string, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    // `mode` on open is filtered by the umask, so 0600 survives any umask.
    await writeFile(temp, data, { mode, flag: 'wx' });
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * Creates `path` with `data`, complete or not at all, failing with an `EEXIST` error if it already
 * exists: the bytes go to a temp file that is then hard-linked into place (which, unlike rename,
 * never replaces an existing file).
 */
export async function createFileExclusive(path: string, data: string, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temp, data, { mode, flag: 'wx' });
  try {
    await link(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}
