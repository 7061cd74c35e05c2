// Whether the `kubedesk` command runs the bundle in dist/node or the TypeScript sources.
import { readFileSync, statSync } from 'node:fs';

/**
 * True when `<root>/dist/node` was built after every source it holds last changed (and after the
 * last `npm install`); false when there is no bundle or an input is gone.
 * @param {URL} root the checkout, as a directory URL
 */
export function bundleIsFresh(root) {
  try {
    const manifest = JSON.parse(readFileSync(new URL('dist/node/manifest.json', root), 'utf8'));
    const changedSince = (path) => statSync(new URL(path, root)).mtimeMs > manifest.builtAt;
    if (!Array.isArray(manifest.inputs) || manifest.inputs.length === 0) return false;
    if (manifest.lockfile && changedSince(manifest.lockfile)) return false;
    return !manifest.inputs.some(changedSince);
  } catch {
    return false;
  }
}

/**
 * The bundled CLI's URL when it should run, else undefined (run the sources). `KUBEDESK_BUNDLE=0`
 * forces the sources; `KUBEDESK_BUNDLE=always` takes the bundle whenever it exists, even when
 * sources changed after it was built (benchmarks measure one build throughout).
 * @param {URL} root the checkout, as a directory URL
 * @param {NodeJS.ProcessEnv} env
 * @returns {URL | undefined}
 */
export function bundledCli(root, env) {
  const cli = new URL('dist/node/cli.mjs', root);
  if (env.KUBEDESK_BUNDLE === '0') return undefined;
  if (env.KUBEDESK_BUNDLE === 'always') {
    try {
      return statSync(cli).isFile() ? cli : undefined;
    } catch {
      return undefined;
    }
  }
  return bundleIsFresh(root) ? cli : undefined;
}
