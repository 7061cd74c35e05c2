import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Summary } from './stats';
import { round, summarize } from './stats';

/** Whether a smaller or a larger value is the better one. */
export type Better = 'lower' | 'higher';

/** One measured quantity of a benchmark, or the reason it could not be measured. */
export interface Metric {
  /** Stable key, used to compare with earlier results. */
  key: string;
  label: string;
  unit: string;
  better: Better;
  available: boolean;
  /** Why the metric is missing, or a caveat about how it was measured. */
  note?: string;
  samples: number[];
  summary?: Summary;
}

/** What one benchmark wrote to `bench/results/<name>.json`. */
export interface BenchResult {
  name: string;
  title: string;
  date: string;
  commit: string;
  /** How the CLI and engine ran: the bundle or the TypeScript sources. */
  build?: string;
  machine: MachineInfo;
  metrics: Metric[];
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  docker: string;
  platform: string;
}

/** Collects metrics of one benchmark; `add` summarizes, `missing` records what could not run. */
export class MetricSet {
  readonly metrics: Metric[] = [];

  add(key: string, label: string, unit: string, better: Better, samples: number[], note?: string): Metric {
    const metric: Metric = {
      key,
      label,
      unit,
      better,
      available: samples.length > 0,
      note: samples.length > 0 ? note : (note ?? 'no samples'),
      samples: samples.map(round),
      summary: samples.length > 0 ? roundSummary(summarize(samples)) : undefined,
    };
    this.metrics.push(metric);
    return metric;
  }

  missing(key: string, label: string, unit: string, better: Better, reason: string): Metric {
    const metric: Metric = { key, label, unit, better, available: false, note: reason, samples: [] };
    this.metrics.push(metric);
    return metric;
  }
}

function roundSummary(summary: Summary): Summary {
  return {
    n: summary.n,
    median: round(summary.median),
    min: round(summary.min),
    max: round(summary.max),
    p90: round(summary.p90),
    mad: round(summary.mad),
  };
}

/** The folder results are written to. */
export const RESULTS_DIR = new URL('../results/', import.meta.url).pathname;

/** Facts about the machine that make results comparable (or not). */
export function machineInfo(): MachineInfo {
  let docker = 'unknown';
  try {
    docker = execFileSync('docker', ['version', '-f', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();
  } catch {
    // Reported as unknown; the benchmarks themselves say what failed.
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    docker,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** The commit the results were measured at (short hash of HEAD). */
export function currentCommit(cwd: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    return head;
  } catch {
    return 'unknown';
  }
}

/** Writes `<dir>/<name>.json`, creating the folder. */
export function writeResult(result: BenchResult, dir: string = RESULTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${result.name}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

/**
 * The result of benchmark `name` as last committed (HEAD), so a run can show regressions against
 * it even after it has overwritten the file; undefined when none was committed.
 */
export function committedResult(name: string, repoRoot: string): BenchResult | undefined {
  try {
    const text = execFileSync('git', ['show', `HEAD:bench/results/${name}.json`], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return JSON.parse(text) as BenchResult;
  } catch {
    return undefined;
  }
}

/** A change of a median against the committed one. */
export interface Comparison {
  previous: number;
  /** Relative change in percent (positive: larger). */
  changePercent: number;
  /** Worse by more than the tolerance and by more than the two runs' spreads. */
  regression: boolean;
  improvement: boolean;
}

/** Worse by this fraction (and beyond the noise) counts as a regression. */
export const REGRESSION_TOLERANCE = 0.1;

/** Compares a metric's median with the same metric of an earlier result. */
export function compareMetric(current: Metric, previous: Metric | undefined): Comparison | undefined {
  if (!current.summary || !previous?.summary || !current.available || !previous.available) return undefined;
  const before = previous.summary.median;
  const now = current.summary.median;
  if (!Number.isFinite(before) || !Number.isFinite(now) || before === 0) return undefined;
  const change = (now - before) / Math.abs(before);
  const worse = current.better === 'lower' ? change : -change;
  const noise = (current.summary.mad + previous.summary.mad) / Math.abs(before);
  const beyond = Math.abs(change) > Math.max(REGRESSION_TOLERANCE, noise);
  return {
    previous: before,
    changePercent: round(change * 100),
    regression: beyond && worse > 0,
    improvement: beyond && worse < 0,
  };
}

/** The markdown table of one result, with a column comparing with the committed result. */
export function markdownTable(result: BenchResult, previous: BenchResult | undefined): string {
  const lines = [
    `### ${result.title}`,
    '',
    '| metric | median | spread (min–max) | n | vs committed | notes |',
    '|---|---:|---:|---:|---|---|',
  ];
  for (const metric of result.metrics) {
    if (!metric.available || !metric.summary) {
      lines.push(`| ${metric.label} | not available | | | | ${metric.note ?? ''} |`);
      continue;
    }
    const s = metric.summary;
    const comparison = compareMetric(
      metric,
      previous?.metrics.find((m) => m.key === metric.key),
    );
    let versus = '—';
    if (comparison) {
      const sign = comparison.changePercent > 0 ? '+' : '';
      const flag = comparison.regression ? ' **regression**' : comparison.improvement ? ' better' : '';
      versus = `${sign}${comparison.changePercent}% (was ${comparison.previous} ${metric.unit})${flag}`;
    }
    lines.push(
      `| ${metric.label} | ${s.median} ${metric.unit} | ${s.min}–${s.max} | ${s.n} | ${versus} | ${metric.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}

/** True when any metric regressed against the committed result. */
export function hasRegression(result: BenchResult, previous: BenchResult | undefined): boolean {
  return result.metrics.some(
    (metric) =>
      compareMetric(
        metric,
        previous?.metrics.find((m) => m.key === metric.key),
      )?.regression === true,
  );
}
