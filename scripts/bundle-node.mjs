#!/usr/bin/env node
// Bundles the `kubedesk` CLI and the engine process into dist/node/ with esbuild, so they start
// without compiling TypeScript at run time (tsx takes ~2 s per process to load the sources).
// Run by `npm ci`/`npm install` (prepare) and by `npm run bench`; bin/kubedesk.mjs and the CLI use
// the bundle only while dist/node/manifest.json shows that no input changed since it was built.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'node');
const staging = join(root, 'dist', `node.${process.pid}.tmp`);
const ENGINE_ENTRY = 'kubedesk:engine';

// Packages with native parts, or that must stay separate programs, are loaded from node_modules.
const external = [
  'better-sqlite3',
  'cpu-features',
  'ssh2',
  'esbuild',
  'vite',
  'tsx',
  'electron',
  'node-pty',
  'fsevents',
];

/** Our sources keep their own location for `import.meta.url`, so relative file references still work. */
const keepSourceUrls = {
  name: 'keep-source-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]src-main[\\/].*\.tsx?$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const fromBundle = relative(outdir, args.path).split('\\').join('/');
      const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
      return {
        contents: source.replaceAll('import.meta.url', url),
        loader: args.path.endsWith('x') ? 'tsx' : 'ts',
      };
    });
  },
};

/** The engine's entry: run the engine process (daemon.ts runs itself only when it is the entry file). */
const engineEntry = {
  name: 'engine-entry',
  setup(b) {
    b.onResolve({ filter: /^kubedesk:engine$/ }, () => ({ path: ENGINE_ENTRY, namespace: 'kubedesk' }));
    b.onLoad({ filter: /.*/, namespace: 'kubedesk' }, () => ({
      contents: `import { runEngineProcess } from ${JSON.stringify(join(root, 'src-main/engine/daemon.ts'))};\n// Says in engine.log which build runs.\nprocess.stdout.write(\`\${new Date().toISOString()} engine bundle \${import.meta.url}\\n\`);\nawait runEngineProcess(process.argv.slice(2));\n`,
      loader: 'ts',
      resolveDir: root,
    }));
  },
};

// From `prepare` (npm ci/install) a failed build must not fail the install: the CLI runs the sources.
const ifPossible = process.argv.includes('--if-possible');
let build;
try {
  ({ build } = await import('esbuild'));
} catch (error) {
  if (!ifPossible) throw error;
  console.warn(`not bundling the CLI (esbuild is not installed: ${error.message}); it runs from the sources`);
  process.exit(0);
}

const startedAt = Date.now();
rmSync(staging, { recursive: true, force: true });
let result;
try {
  result = await build({
    absWorkingDir: root,
    entryPoints: [
      { in: 'src-main/cli/main.ts', out: 'cli' },
      { in: ENGINE_ENTRY, out: 'engine' },
    ],
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    // Chunks sit beside the entries: the source URLs above are relative to this folder.
    chunkNames: 'chunk-[hash]',
    external,
    // Bundled CommonJS packages call require() for Node's own modules.
    banner: {
      js: "import { createRequire as __kubedeskCreateRequire } from 'node:module';\nconst require = __kubedeskCreateRequire(import.meta.url);",
    },
    define: { KUBEDESK_BUNDLED: 'true' },
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    sourcemap: 'linked',
    metafile: true,
    plugins: [keepSourceUrls, engineEntry],
    logLevel: 'warning',
  });
} catch (error) {
  rmSync(staging, { recursive: true, force: true });
  if (!ifPossible) throw error;
  console.warn(`not bundling the CLI (${error.message.split('\n')[0]}); it runs from the sources`);
  process.exit(0);
}

// The source files the bundle was made from; a change to any of them makes it stale.
const inputs = Object.keys(result.metafile.inputs)
  .filter((input) => input.startsWith('src-main/'))
  .sort();
// Engines and commands already running may still load chunks of the build they started with
// (lazy imports): files move in one by one, content-hashed chunks never clash, and old chunks go
// only once they are a day old. The manifest comes last, so a half-moved build is never fresh.
mkdirSync(outdir, { recursive: true });
const fresh = new Set(readdirSync(staging));
for (const file of fresh) renameSync(join(staging, file), join(outdir, file));
rmSync(staging, { recursive: true, force: true });
for (const file of readdirSync(outdir)) {
  const path = join(outdir, file);
  if (file.startsWith('chunk-') && !fresh.has(file) && statSync(path).mtimeMs < startedAt - 86_400_000) {
    rmSync(path, { force: true });
  }
}
writeFileSync(
  join(outdir, 'manifest.json'),
  `${JSON.stringify({ builtAt: startedAt, inputs, lockfile: 'node_modules/.package-lock.json' }, null, 1)}\n`,
);
console.log(
  `bundled the CLI and the engine into ${relative(root, outdir)} (${inputs.length} sources) in ${Date.now() - startedAt} ms`,
);
