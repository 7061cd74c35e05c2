#!/usr/bin/env node
// `npm start`: the desktop app when an Electron binary is installed; otherwise the same dashboard
// in the browser (`kubedesk dashboard`), after saying so in one line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const INSTALL_TIMEOUT_MS = 20_000;

function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

// A failed download is not retried for a day, so every start does not wait for it again.
const FAILED_MARKER = `${root}node_modules/.cache/kubedesk-electron-download-failed`;
const RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

function tryInstallElectron() {
  const script = `${root}node_modules/electron/install.js`;
  if (!existsSync(script)) return;
  if (existsSync(FAILED_MARKER) && Date.now() - statSync(FAILED_MARKER).mtimeMs < RETRY_AFTER_MS) return;
  spawnSync(process.execPath, [script], { cwd: root, stdio: 'ignore', timeout: INSTALL_TIMEOUT_MS });
  if (!electronBinary()) {
    mkdirSync(dirname(FAILED_MARKER), { recursive: true });
    writeFileSync(FAILED_MARKER, new Date().toISOString());
  }
}

async function buildAppParts() {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [`${root}src-main/preload/preload.ts`],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['electron'],
    outfile: `${root}dist/desktop/preload.cjs`,
    logLevel: 'warning',
  });
  if (!existsSync(`${root}dist/renderer/index.html`)) {
    const { build } = await import('vite');
    await build({ configFile: `${root}vite.config.ts`, logLevel: 'warn' });
  }
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

let electron = electronBinary();
if (!electron) {
  tryInstallElectron();
  electron = electronBinary();
}
if (electron) {
  await buildAppParts();
  run(electron, [`${root}src-main/desktop/electron-entry.mjs`, ...process.argv.slice(2)]);
} else {
  console.log(
    'No Electron binary is installed (and it could not be downloaded); opening the dashboard in your browser instead.',
  );
  run(process.execPath, [`${root}bin/kubedesk.mjs`, 'dashboard', ...process.argv.slice(2)]);
}
