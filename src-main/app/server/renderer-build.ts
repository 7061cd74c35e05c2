import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The checkout's root folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where `npm run build:renderer` writes the renderer. */
export const RENDERER_DIST = fileURLToPath(new URL('../../../dist/renderer/', import.meta.url));

/**
 * Returns the folder of the built renderer, building it with Vite first when it is missing (or
 * when `rebuild` is set), so `kubedesk dashboard` works right after `npm ci`.
 */
export async function ensureRendererBuilt(
  rebuild = false,
  log: (line: string) => void = () => {},
): Promise<string> {
  if (!rebuild && (await exists(`${RENDERER_DIST}index.html`))) return RENDERER_DIST;
  log('Building the dashboard (vite build)…');
  // Loaded on demand: Vite is a build tool, only needed when no build is there yet.
  const { build } = await import('vite');
  await build({ configFile: `${REPO_ROOT}vite.config.ts`, logLevel: 'warn' });
  return RENDERER_DIST;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
