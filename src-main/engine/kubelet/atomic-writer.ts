import { promises as fs } from 'node:fs';
import path from 'node:path';

/** One file of a projected payload: its bytes and permission bits. */
export interface PayloadFile {
  data: Buffer;
  mode: number;
}

const DATA_LINK = '..data';

/**
 * Writes `payload` (relative path → file) into `dir` the way Kubernetes' AtomicWriter does:
 * files live in a timestamped folder, `..data` points at it and each top-level name is a
 * symlink through `..data`. Swapping `..data` with a rename makes an update appear all at
 * once inside running containers. Unchanged payloads are left alone (no churn).
 * Returns true when the files changed.
 */
export async function writeAtomically(dir: string, payload: Map<string, PayloadFile>): Promise<boolean> {
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  if (await matches(dir, payload)) return false;
  const version = `..${new Date().toISOString().replace(/[-:.]/g, '_')}.${process.pid}${Math.random().toString(36).slice(2, 8)}`;
  const versionDir = path.join(dir, version);
  await fs.mkdir(versionDir, { mode: 0o755 });
  for (const [relative, file] of payload) {
    const target = path.join(versionDir, relative);
    await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
    await fs.writeFile(target, file.data, { mode: file.mode });
    await fs.chmod(target, file.mode);
  }
  const oldVersion = await fs.readlink(path.join(dir, DATA_LINK)).catch(() => undefined);
  const tmpLink = path.join(dir, '..data_tmp');
  await fs.rm(tmpLink, { force: true });
  await fs.symlink(version, tmpLink);
  await fs.rename(tmpLink, path.join(dir, DATA_LINK));

  const topLevel = new Set([...payload.keys()].map((p) => p.split('/')[0]));
  for (const name of topLevel) {
    const link = path.join(dir, name);
    const existing = await fs.readlink(link).catch(() => undefined);
    if (existing !== path.join(DATA_LINK, name)) {
      await fs.rm(link, { force: true, recursive: true });
      await fs.symlink(path.join(DATA_LINK, name), link);
    }
  }
  for (const entry of await fs.readdir(dir)) {
    if (entry.startsWith('..') || topLevel.has(entry)) continue;
    await fs.rm(path.join(dir, entry), { force: true, recursive: true });
  }
  if (oldVersion && oldVersion !== version)
    await fs.rm(path.join(dir, oldVersion), { recursive: true, force: true });
  return true;
}

async function matches(dir: string, payload: Map<string, PayloadFile>): Promise<boolean> {
  const dataDir = path.join(dir, DATA_LINK);
  try {
    const existing = await listFiles(dataDir, '');
    if (existing.length !== payload.size) return false;
    for (const relative of existing) {
      const wanted = payload.get(relative);
      if (!wanted) return false;
      const full = path.join(dataDir, relative);
      const [data, stat] = await Promise.all([fs.readFile(full), fs.stat(full)]);
      if (!data.equals(wanted.data) || (stat.mode & 0o777) !== wanted.mode) return false;
    }
    return true;
  } catch {
    return false;
  }
}

async function listFiles(root: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(root, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, relative)));
    else out.push(relative);
  }
  return out;
}
