import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where `npm run build:renderer` writes the renderer. */
export const RENDERER_DIST = fileURLToPath(new URL('../../../dist/renderer/', import.meta.url));

/**
 * Returns the folder of the built renderer, building it with Vite first when it is missing, older
 * than the renderer's sources, or `rebuild` is set, so `kubedesk dashboard` works right after
 * `npm ci` and always serves the checkout's current code.
 */
export async function ensureRendererBuilt(
  rebuild = false,
  log: (line: string) => void = () => {},
): Promise<string> {
  const built = await modifiedAt(`${RENDERER_DIST}index.html`);
  // A packaged app has no sources: its build is what there is.
  const sources = await newestIn(`${REPO_ROOT}src-renderer`);
  if (!rebuild && built !== undefined && (sources === undefined || sources <= built)) return RENDERER_DIST;
  log('Building the dashboard (vite build)…');
  // Loaded on demand: Vite is a build tool, only needed when the build is missing or stale.
  const { build } = await import('vite');
  await build({ configFile: `${REPO_ROOT}vite.config.ts`, logLevel: 'warn' });
  return RENDERER_DIST;
}

async function modifiedAt(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The latest modification time of the files under `dir` (undefined if it does not exist). */
async function newestIn(dir: string): Promise<number | undefined> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return undefined;
  }
  let newest: number | undefined;
  for (const entry of entries) {
    if (!entry.isFile() || /\.test\.tsx?$/.test(entry.name)) continue;
    const time = await modifiedAt(join(entry.parentPath, entry.name));
    if (time !== undefined && (newest === undefined || time > newest)) newest = time;
  }
  return newest;
}
