/**
 * `npm run bench [-- NAME… --runs N --no-setup --sources]`: prepares the machine as `npm test` does, runs
 * the benchmarks on the real Docker engine, writes bench/results/<name>.json, and prints one
 * markdown table per benchmark comparing medians with the last committed results.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { apiBench } from './api';
import { dashboardBench } from './dashboard';
import { BenchContext } from './lib/context';
import { BenchHome, REPO_ROOT } from './lib/profile';
import type { BenchResult } from './lib/results';
import {
  MetricSet,
  committedResult,
  currentCommit,
  hasRegression,
  machineInfo,
  markdownTable,
  writeResult,
} from './lib/results';
import { podStart } from './pod-start';
import { resourcesBench } from './resources';
import { scaleOut } from './scale-out';
import { timeToK8s } from './time-to-k8s';

interface Benchmark {
  name: string;
  title: string;
  run: (ctx: BenchContext) => Promise<MetricSet>;
}

const BENCHMARKS: Benchmark[] = [
  { name: 'time-to-k8s', title: 'time-to-k8s (ms from `kubedesk start`)', run: timeToK8s },
  { name: 'pod-start', title: 'Pod start against raw Docker', run: podStart },
  { name: 'scale-out', title: 'Scale-out 0 → 50 → 0 against raw Docker', run: scaleOut },
  { name: 'api', title: 'API server throughput and latency', run: apiBench },
  { name: 'resources', title: 'Memory and CPU', run: resourcesBench },
  { name: 'dashboard', title: 'Dashboard pod list in Chromium', run: dashboardBench },
];

function setupMachine(): void {
  for (const script of ['scripts/ensure-test-machine.sh', 'scripts/test-images/build.sh']) {
    execFileSync('bash', [script], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
}

/** Bundles the CLI and engine as `npm ci` does, and pins that build for the whole run. */
function useBundle(): void {
  execFileSync(process.execPath, ['scripts/bundle-node.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  process.env.KUBEDESK_BUNDLE = 'always';
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      runs: { type: 'string' },
      'no-setup': { type: 'boolean', default: false },
      // Measure the CLI and engine run from the TypeScript sources through tsx instead of the bundle.
      sources: { type: 'boolean', default: false },
      'fail-on-regression': { type: 'boolean', default: false },
    },
  });
  const unknown = positionals.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
    );
    return 2;
  }
  const selected =
    positionals.length > 0 ? BENCHMARKS.filter((b) => positionals.includes(b.name)) : BENCHMARKS;
  const runs = values.runs !== undefined ? Number(values.runs) : undefined;
  if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) {
    console.error('--runs must be a positive integer');
    return 2;
  }

  if (!values['no-setup']) setupMachine();
  if (values.sources) process.env.KUBEDESK_BUNDLE = '0';
  else useBundle();
  const build = values.sources ? 'sources (tsx)' : 'bundle (dist/node)';
  process.env.KUBEDESK_PAUSE_IMAGE ||= 'kubedesk-test/pause:1';
  process.env.KUBEDESK_AGENT_BASE_IMAGE ||= 'kubedesk-test/node:1';
  process.env.KUBEDESK_REGISTRY_IMAGE ||= 'kubedesk-test/registry:1';
  process.env.KUBEDESK_TEST_IMAGE ||= 'kubedesk-test/busybox:1';

  const machine = machineInfo();
  const commit = currentCommit(REPO_ROOT);
  const tables: string[] = [];
  let regressed = false;
  for (const benchmark of selected) {
    const home = new BenchHome();
    const log = (message: string) => console.error(`[${benchmark.name}] ${message}`);
    const ctx = new BenchContext(home, runs, log);
    log('running');
    const started = Date.now();
    let metrics: MetricSet;
    try {
      metrics = await benchmark.run(ctx);
    } catch (error) {
      metrics = new MetricSet();
      const reason = error instanceof Error ? error.message : String(error);
      log(`failed: ${error instanceof Error ? (error.stack ?? reason) : reason}`);
      metrics.missing('run', 'benchmark run', '', 'lower', `failed: ${reason.split('\n')[0]}`);
    } finally {
      await ctx.cleanup();
      home.remove();
    }
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const result: BenchResult = {
      name: benchmark.name,
      title: benchmark.title,
      date: new Date().toISOString(),
      commit,
      build,
      machine,
      metrics: metrics.metrics,
    };
    const previous = committedResult(benchmark.name, REPO_ROOT);
    writeResult(result);
    const table = markdownTable(result, previous);
    tables.push(table);
    regressed ||= hasRegression(result, previous);
    console.log(`${table}\n`);
  }
  console.log(
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Docker ${machine.docker}, Node ${machine.node}; commit ${commit}; CLI and engine from the ${build}.`,
  );
  if (regressed)
    console.log('\nSome medians regressed against the committed results (marked **regression**).');
  return regressed && values['fail-on-regression'] ? 1 : 0;
}

process.exitCode = await main();
