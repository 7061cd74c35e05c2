#!/usr/bin/env node
// The `kubedesk` command. Runs the bundle in dist/node (made by `npm ci` or
// `node scripts/bundle-node.mjs`) while it is up to date with the sources, else the TypeScript
// sources of the checkout through tsx, so `npx kubedesk` works right after `npm ci` and always
// runs the code as it is now. See bundle-state.mjs for KUBEDESK_BUNDLE.
import { bundledCli } from './bundle-state.mjs';

const root = new URL('../', import.meta.url);
const bundled = bundledCli(root, process.env);
if (bundled) {
  await import(bundled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('src-main/cli/main.ts', root).href);
}
