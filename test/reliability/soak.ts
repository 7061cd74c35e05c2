/**
 * Soak: `npm run test:soak`. 300 pods (10 Deployments × 30) across 3 nodes stay Running through
 * 10 minutes of rolling restarts (one Deployment every 30 s) while GETs are timed; afterwards
 * every rollout completes, p99 GET latency is under 100 ms, and deleting the workloads and then
 * the cluster leaves no container, network or listener behind. Sizes and times can be scaled
 * down with SOAK_PODS, SOAK_NODES, SOAK_MINUTES and SOAK_RESTART_SECONDS. Exits 1 on failure.
 */
import { performance } from 'node:perf_hooks';
import { Agent } from 'node:https';
import { alive, docker, httpsCall, ok, run, sleep, TEST_IMAGE, TestProfile, waitFor } from './harness';

const PODS = Number(process.env.SOAK_PODS ?? 300);
const NODES = Number(process.env.SOAK_NODES ?? 3);
const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const RESTART_SECONDS = Number(process.env.SOAK_RESTART_SECONDS ?? 30);
const DEPLOYMENTS = Math.min(10, PODS);
const REPLICAS = Math.ceil(PODS / DEPLOYMENTS);
const P99_LIMIT_MS = 100;
/** kubectl waits here use `--timeout=600s`; the process gets a little longer so kubectl says why it gave up. */
const KUBECTL_WAIT_MS = 630_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

async function runningPods(profile: TestProfile): Promise<number> {
  const out = ok(
    await profile.kubectl([
      'get',
      'pods',
      '-n',
      'soak',
      '--field-selector=status.phase=Running',
      '-o',
      'name',
    ]),
  );
  return out.split('\n').filter(Boolean).length;
}

async function listeners(pid: number): Promise<string[]> {
  return ok(await run('ss', ['-ltnpH']))
    .split('\n')
    .filter((line) => line.includes(`pid=${pid},`));
}

async function main(): Promise<void> {
  const failures: string[] = [];
  const profile = await TestProfile.create('soak');
  const started = Date.now();
  try {
    log(`starting a ${NODES}-node cluster`);
    await profile.start(['--nodes', String(NODES)]);
    ok(await profile.kubectl(['create', 'namespace', 'soak']));
    for (let d = 0; d < DEPLOYMENTS; d++) {
      ok(
        await profile.kubectl(
          ['apply', '-f', '-'],
          JSON.stringify({
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: `soak-${d}`, namespace: 'soak' },
            spec: {
              replicas: REPLICAS,
              selector: { matchLabels: { app: `soak-${d}` } },
              strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
              template: {
                metadata: { labels: { app: `soak-${d}` } },
                spec: {
                  terminationGracePeriodSeconds: 1,
                  containers: [{ name: 'main', image: TEST_IMAGE, command: ['sleep', '86400'] }],
                },
              },
            },
          }),
        ),
      );
    }
    const total = DEPLOYMENTS * REPLICAS;
    await waitFor(
      `${total} running pods`,
      async () => (await runningPods(profile)) >= total,
      20 * 60_000,
      5000,
    );
    log(`${total} pods running after ${Math.round((Date.now() - started) / 1000)} s`);

    const pki = await profile.pki();
    const port = await profile.port();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const latencies: number[] = [];
    let churning = true;
    const prober = (async () => {
      const paths = [
        '/api/v1/namespaces/soak/pods?limit=50',
        '/apis/apps/v1/namespaces/soak/deployments/soak-0',
        '/api/v1/nodes',
      ];
      for (let i = 0; churning; i++) {
        const t0 = performance.now();
        const answer = await httpsCall({
          host: '127.0.0.1',
          port,
          method: 'GET',
          path: paths[i % paths.length] ?? '/api',
          ca: pki.ca,
          cert: pki.cert,
          key: pki.key,
          agent,
        }).catch((error: unknown) => ({ status: 0, body: String(error) }));
        latencies.push(performance.now() - t0);
        if (answer.status !== 200)
          failures.push(`GET answered ${answer.status}: ${answer.body.slice(0, 200)}`);
        await sleep(200);
      }
    })();

    const churnEnd = Date.now() + MINUTES * 60_000;
    let restarts = 0;
    while (Date.now() < churnEnd) {
      const name = `soak-${restarts % DEPLOYMENTS}`;
      const result = await profile.kubectl(['rollout', 'restart', `deployment/${name}`, '-n', 'soak']);
      if (result.code !== 0) failures.push(`rollout restart ${name}: ${result.stderr.trim()}`);
      restarts++;
      const running = await runningPods(profile);
      log(`restart ${restarts} (${name}); ${running} pods running`);
      await sleep(RESTART_SECONDS * 1000);
    }
    for (let d = 0; d < DEPLOYMENTS; d++) {
      const result = await profile.kubectl(
        ['rollout', 'status', `deployment/soak-${d}`, '-n', 'soak', '--timeout=600s'],
        undefined,
        KUBECTL_WAIT_MS,
      );
      if (result.code !== 0)
        // kubectl says why on stderr (a timeout, a closed watch); stdout only has the progress lines.
        failures.push(
          `rollout of soak-${d} did not complete: ${result.stderr.trim() || result.stdout.slice(-300)}`,
        );
    }
    churning = false;
    await prober;
    agent.destroy();

    const running = await runningPods(profile);
    if (running < total) failures.push(`only ${running} of ${total} pods running after the churn`);
    const sorted = [...latencies].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    log(`GET latency over ${sorted.length} requests: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    if (p99 >= P99_LIMIT_MS) failures.push(`p99 GET latency ${p99.toFixed(1)} ms ≥ ${P99_LIMIT_MS} ms`);

    // No leaks: the deleted workloads leave no containers; the deleted cluster leaves nothing.
    ok(
      await profile.kubectl(
        ['delete', 'namespace', 'soak', '--wait=true', '--timeout=600s'],
        undefined,
        KUBECTL_WAIT_MS,
      ),
    );
    const pid = await profile.enginePid();
    const podContainers = async () =>
      ok(
        await docker(
          'ps',
          '-aq',
          '--filter',
          `label=io.kubedesk.profile=${profile.name}`,
          '--filter',
          'label=io.kubedesk.pod-namespace=soak',
        ),
      )
        .split('\n')
        .filter(Boolean);
    await waitFor(
      "the workloads' containers to be removed",
      async () => (await podContainers()).length === 0,
      300_000,
      2000,
    ).catch(async () =>
      failures.push(`${(await podContainers()).length} pod containers left after deleting the namespace`),
    );
    ok(await profile.kubedesk(['delete']));
    const leftContainers = ok(
      await docker('ps', '-aq', '--filter', `label=io.kubedesk.profile=${profile.name}`),
    ).trim();
    if (leftContainers) failures.push(`containers left after delete: ${leftContainers.replace(/\n/g, ' ')}`);
    const leftNetworks = ok(
      await docker('network', 'ls', '-q', '--filter', `name=kubedesk-${profile.name}`),
    ).trim();
    if (leftNetworks) failures.push(`networks left after delete: ${leftNetworks}`);
    if (pid !== undefined) {
      if (alive(pid)) failures.push(`engine ${pid} still running after delete`);
      const left = await listeners(pid);
      if (left.length) failures.push(`listeners left after delete: ${left.join('; ')}`);
    }
    log(`restarts: ${restarts}, duration ${Math.round((Date.now() - started) / 1000)} s`);
  } catch (error) {
    failures.push(String(error instanceof Error ? (error.stack ?? error.message) : error));
  } finally {
    await profile.cleanup();
  }
  if (failures.length) {
    log(`SOAK FAILED:\n  ${failures.slice(0, 50).join('\n  ')}`);
    process.exitCode = 1;
  } else {
    log('SOAK PASSED');
  }
}

await main();
