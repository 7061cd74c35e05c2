/**
 * Pod start against raw Docker, side by side in one run: `kubectl apply` of a one-container pod to
 * Ready, against `docker create` + `docker start` of a sandbox and the same container. The same is
 * measured one level down too: a pod POSTed over HTTPS against the same containers made through
 * the Docker Engine API. The four are interleaved, rotating their order, so drift hits all alike.
 */
import type { BenchContext } from './lib/context';
import { PodTracker } from './lib/pod-tracker';
import { since } from './lib/profile';
import { MetricSet } from './lib/results';
import type { RawPod } from './lib/raw-docker';
import { Docker, rawPodWithApi, rawPodWithCli, removeByPrefix, removeRawPod } from './lib/raw-docker';
import { ensureNamespace, podManifest } from './lib/workloads';

const NAMESPACE = 'bench-pods';
const RAW_PREFIX = 'bench-raw-start';

export async function podStart(ctx: BenchContext): Promise<MetricSet> {
  const runs = Math.max(10, ctx.runs(10));
  const profile = ctx.profile('pod-start');
  await profile.start();
  const client = profile.client();
  const docker = new Docker();
  const tracker = new PodTracker(client, NAMESPACE);
  const place = { network: profile.network, dns: profile.dnsServer() };
  const samples = {
    kubectl: [] as number[],
    api: [] as number[],
    cli: [] as number[],
    dockerode: [] as number[],
  };

  try {
    await ensureNamespace(client, NAMESPACE);
    await tracker.start();

    const viaKubectl = async (i: number) => {
      const name = `kubectl-${i}`;
      const t0 = performance.now();
      const apply = await profile.kubectl(['apply', '-f', '-'], JSON.stringify(podManifest(name, NAMESPACE)));
      if (apply.code !== 0) throw new Error(`kubectl apply: ${apply.stderr.trim()}`);
      return (await tracker.readyTime(name)) - t0;
    };
    const viaApi = async (i: number) => {
      const name = `api-${i}`;
      const t0 = performance.now();
      await client.ok('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, podManifest(name, NAMESPACE));
      return (await tracker.readyTime(name)) - t0;
    };
    const raw: RawPod[] = [];
    const viaCli = async (i: number) => {
      const t0 = performance.now();
      raw.push(await rawPodWithCli(`${RAW_PREFIX}-cli-${i}`, place));
      return since(t0);
    };
    const viaDockerode = async (i: number) => {
      const t0 = performance.now();
      raw.push(await rawPodWithApi(docker, `${RAW_PREFIX}-api-${i}`, place));
      return since(t0);
    };
    const ways: [keyof typeof samples, (i: number) => Promise<number>][] = [
      ['kubectl', viaKubectl],
      ['cli', viaCli],
      ['api', viaApi],
      ['dockerode', viaDockerode],
    ];

    // Iteration -1 warms caches (image metadata, kubectl's discovery cache) and is not recorded.
    for (let i = -1; i < runs; i++) {
      const round: Partial<Record<keyof typeof samples, number>> = {};
      for (let k = 0; k < ways.length; k++) {
        const [key, way] = ways[(k + Math.max(i, 0)) % ways.length];
        round[key] = await way(i + 1);
        // A short pause lets the kubelet's status writes and Docker's events settle between starts.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (i >= 0) for (const [key] of ways) samples[key].push(round[key] as number);
      ctx.log(
        `#${i + 1}: ${Object.entries(round)
          .map(([k, v]) => `${k} ${v?.toFixed(0)}`)
          .join(', ')}`,
      );
      // Clean up before the next round so deletions never overlap with a measured start.
      await client.ok('DELETE', `/api/v1/namespaces/${NAMESPACE}/pods?gracePeriodSeconds=0`, undefined);
      await Promise.all(raw.splice(0).map((pod) => removeRawPod(docker, pod)));
      await tracker.until('pods to be deleted', () => tracker.present.size === 0, 60_000);
    }
  } finally {
    tracker.stop();
    client.close();
    await removeByPrefix(docker, RAW_PREFIX);
  }

  const metrics = new MetricSet();
  metrics.add('kubectl-apply-to-ready', '`kubectl apply` pod → Ready', 'ms', 'lower', samples.kubectl);
  metrics.add(
    'docker-cli-create-start',
    '`docker create`+`start` sandbox + container',
    'ms',
    'lower',
    samples.cli,
  );
  metrics.add(
    'ratio-kubectl-vs-docker-cli',
    '**ratio** kubectl apply / docker CLI (goal ≤ 1.2)',
    '×',
    'lower',
    samples.kubectl.map((value, i) => value / samples.cli[i]),
    'per-round ratios',
  );
  metrics.add('api-create-to-ready', 'HTTPS POST pod → Ready', 'ms', 'lower', samples.api);
  metrics.add(
    'dockerode-create-start',
    'Docker API create+start sandbox + container',
    'ms',
    'lower',
    samples.dockerode,
  );
  metrics.add(
    'ratio-api-vs-dockerode',
    'ratio HTTPS POST / Docker API',
    '×',
    'lower',
    samples.api.map((value, i) => value / samples.dockerode[i]),
    'per-round ratios',
  );
  return metrics;
}
