/**
 * Dashboard: how long the pod list takes to show 5,000 pods after the page is opened in
 * Chromium, and to reflect an update (a pod created or deleted through the API) in its count.
 * The pods carry a scheduling gate, so they stay Pending and cost no containers.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './lib/context';
import { KubeClient } from './lib/kube-client';
import { REPO_ROOT, since } from './lib/profile';
import { MetricSet } from './lib/results';
import { testImage } from './lib/workloads';

const PODS = 5_000;
const NAMESPACE = 'default';
const CLIENTS = 4;
const CHROMIUM = '/usr/bin/chromium';
const UPDATES = 10;

function gatedPod(name: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NAMESPACE, labels: { bench: 'dashboard' } },
    spec: {
      schedulingGates: [{ name: 'example.com/bench' }],
      containers: [{ name: 'app', image: testImage() }],
    },
  };
}

/** Runs `kubedesk dashboard --no-open` and resolves with the URL it prints. */
function startDashboard(
  ctxEnv: NodeJS.ProcessEnv,
  profile: string,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin/kubedesk.mjs'), 'dashboard', '--no-open', '-p', profile],
    { env: ctxEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the dashboard printed no URL:\n${output}`)), 300_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /Dashboard: (\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, child });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubedesk dashboard exited ${code}:\n${output}`));
    });
  });
}

export async function dashboardBench(ctx: BenchContext): Promise<MetricSet> {
  const metrics = new MetricSet();
  const missing = (reason: string) => {
    metrics.missing('show-5000', `pod list shows ${PODS.toLocaleString('en')} pods`, 'ms', 'lower', reason);
    metrics.missing('reflect-update', 'pod list reflects an update', 'ms', 'lower', reason);
    return metrics;
  };
  if (!existsSync(join(REPO_ROOT, 'src-main/cli/commands/dashboard.ts')))
    return missing('no `kubedesk dashboard` yet');
  if (!existsSync(CHROMIUM)) return missing(`no Chromium at ${CHROMIUM}`);

  const runs = ctx.runs(3);
  const profile = ctx.profile('dashboard');
  await profile.start();
  const port = profile.port() as number;
  const clients = Array.from({ length: CLIENTS }, () =>
    KubeClient.forProfile(profile.where.home, profile.name, port, 1),
  );
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < PODS) {
        const name = `ui-${next++}`;
        await client.ok('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, gatedPod(name));
      }
    }),
  );
  ctx.log(`created ${PODS} gated pods`);

  const { chromium } = await import('playwright-core');
  const dashboard = await startDashboard(profile.where.env, profile.name);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const show: number[] = [];
  const reflect: number[] = [];
  const admin = clients[0];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const count = page.getByTestId('row-count');
    const countIs = async (wanted: number, timeoutMs: number) => {
      await page.waitForFunction(
        (n) =>
          Number(
            document.querySelector('[data-testid="row-count"]')?.textContent?.trim().split(' ').pop(),
          ) === n,
        wanted,
        { timeout: timeoutMs, polling: 'raf' },
      );
    };
    let total = PODS;
    for (let run = 0; run < runs; run++) {
      const t0 = performance.now();
      if (run === 0) await page.goto(dashboard.url, { waitUntil: 'commit' });
      else await page.reload({ waitUntil: 'commit' });
      await countIs(total, 120_000);
      show.push(since(t0));
      ctx.log(`load #${run + 1}: ${show[run].toFixed(0)} ms (${await count.textContent()})`);
    }
    for (let update = 0; update < UPDATES; update++) {
      const name = `ui-extra-${update}`;
      let t0 = performance.now();
      await admin.ok('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, gatedPod(name));
      total++;
      await countIs(total, 30_000);
      reflect.push(since(t0));
      t0 = performance.now();
      await admin.ok('DELETE', `/api/v1/namespaces/${NAMESPACE}/pods/${name}?gracePeriodSeconds=0`);
      total--;
      await countIs(total, 30_000);
      reflect.push(since(t0));
    }
  } finally {
    await browser.close();
    dashboard.child.kill('SIGTERM');
    for (const client of clients) client.close();
  }
  metrics.add(
    'show-5000',
    `pod list shows ${PODS.toLocaleString('en')} pods`,
    'ms',
    'lower',
    show,
    'page open → count shown',
  );
  metrics.add(
    'reflect-update',
    'pod list reflects an update',
    'ms',
    'lower',
    reflect,
    'API create/delete → count changed',
  );
  return metrics;
}
