import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM module of bin/ without type declarations.
import { bundleIsFresh, bundledCli } from '../bin/bundle-state.mjs';

const repo = join(import.meta.dirname, '..');
const isFresh = bundleIsFresh as (root: URL) => boolean;
const cliFor = bundledCli as (root: URL, env: NodeJS.ProcessEnv) => URL | undefined;

describe('bundle freshness', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubedesk-bundle-'));
  const root = pathToFileURL(`${dir}/`);
  const write = (path: string, text: string, mtimeMs: number) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
    utimesSync(join(dir, path), mtimeMs / 1000, mtimeMs / 1000);
  };
  const builtAt = Date.now() - 60_000;
  write('src-main/a.ts', 'a', builtAt - 1000);
  write('src-main/b.ts', 'b', builtAt - 1000);
  write('node_modules/.package-lock.json', '{}', builtAt - 1000);
  write('dist/node/cli.mjs', '', builtAt);
  write(
    'dist/node/manifest.json',
    JSON.stringify({
      builtAt,
      inputs: ['src-main/a.ts', 'src-main/b.ts'],
      lockfile: 'node_modules/.package-lock.json',
    }),
    builtAt,
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses a bundle built after its sources, unless told not to', () => {
    expect(isFresh(root)).toBe(true);
    expect(cliFor(root, {})?.href).toBe(new URL('dist/node/cli.mjs', root).href);
    expect(cliFor(root, { KUBEDESK_BUNDLE: '0' })).toBeUndefined();
  });

  it('runs the sources once a source or the installed packages changed, or an input is gone', () => {
    utimesSync(join(dir, 'src-main/b.ts'), new Date(), new Date());
    expect(isFresh(root)).toBe(false);
    expect(cliFor(root, {})).toBeUndefined();
    // …but a benchmark may pin the bundle it started with.
    expect(cliFor(root, { KUBEDESK_BUNDLE: 'always' })).toBeDefined();
    utimesSync(join(dir, 'src-main/b.ts'), (builtAt - 1000) / 1000, (builtAt - 1000) / 1000);
    expect(isFresh(root)).toBe(true);
    utimesSync(join(dir, 'node_modules/.package-lock.json'), new Date(), new Date());
    expect(isFresh(root)).toBe(false);
    utimesSync(
      join(dir, 'node_modules/.package-lock.json'),
      (builtAt - 1000) / 1000,
      (builtAt - 1000) / 1000,
    );
    rmSync(join(dir, 'src-main/a.ts'));
    expect(isFresh(root)).toBe(false);
  });
});

describe('the bundled CLI and engine', () => {
  const where = mkdtempSync(join(tmpdir(), 'kubedesk-bundle-run-'));
  const env = {
    ...process.env,
    KUBEDESK_HOME: join(where, 'home'),
    KUBECONFIG: join(where, 'kubeconfig'),
    KUBEDESK_BUNDLE: 'always',
  };
  const kubedesk = (...args: string[]) =>
    spawnSync(process.execPath, [join(repo, 'bin/kubedesk.mjs'), ...args, '-p', 'bundled'], {
      env,
      encoding: 'utf8',
    });
  afterAll(() => {
    kubedesk('delete');
    rmSync(where, { recursive: true, force: true });
  });

  it('builds, starts a cluster whose engine runs from dist/node, and serves kubectl', () => {
    execFileSync(process.execPath, [join(repo, 'scripts/bundle-node.mjs')], { cwd: repo, stdio: 'ignore' });
    const manifest = JSON.parse(readFileSync(join(repo, 'dist/node/manifest.json'), 'utf8')) as {
      inputs: string[];
    };
    expect(manifest.inputs).toContain('src-main/engine/daemon.ts');

    const start = kubedesk('start');
    expect(start.status, start.stderr).toBe(0);
    const log = readFileSync(join(where, 'home/profiles/bundled/engine.log'), 'utf8');
    expect(log).toContain(`engine bundle ${pathToFileURL(join(repo, 'dist/node/engine.mjs')).href}`);

    const get = spawnSync('kubectl', ['get', 'namespaces', '-o', 'name'], { env, encoding: 'utf8' });
    expect(get.stdout).toContain('namespace/kube-system');
  });
});
