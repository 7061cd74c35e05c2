/**
 * Scale-out: a Deployment scaled 0 → 50 (until all 50 pods are Ready) and back to 0 (until every
 * pod is gone from the API and its containers from Docker), against 50 sandbox+container pairs
 * created and then stopped and removed through the Docker API with the kubelet's concurrency.
 */
import type { BenchContext } from './lib/context';
import { PodTracker } from './lib/pod-tracker';
import { since, waitFor } from './lib/profile';
import type { RawPod } from './lib/raw-docker';
import { Docker, rawPodWithApi, removeByPrefix, removeRawPod, withConcurrency } from './lib/raw-docker';
import { MetricSet } from './lib/results';
import { deploymentManifest, ensureNamespace } from './lib/workloads';

const NAMESPACE = 'bench-scale';
const DEPLOYMENT = 'scale';
const REPLICAS = 50;
/** The kubelet syncs this many pods at once (its controller's workers). */
const KUBELET_WORKERS = 8;
const RAW_PREFIX = 'bench-raw-scale';

export async function scaleOut(ctx: BenchContext): Promise<MetricSet> {
  const runs = ctx.runs(3);
  const profile = ctx.profile('scale');
  await profile.start();
  const client = profile.client();
  const docker = new Docker();
  const tracker = new PodTracker(client, NAMESPACE);
  const place = { network: profile.network, dns: profile.dnsServer() };
  const samples = {
    up: [] as number[],
    down: [] as number[],
    rawUp: [] as number[],
    rawDown: [] as number[],
  };
  const scaleTo = (replicas: number) =>
    client.ok(
      'PATCH',
      `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${DEPLOYMENT}`,
      { spec: { replicas } },
      { 'content-type': 'application/merge-patch+json' },
    );
  const podContainers = async () =>
    (
      await docker.listContainers({
        all: true,
        filters: { label: [`io.kubedesk.profile=${profile.name}`, `io.kubedesk.pod-namespace=${NAMESPACE}`] },
      })
    ).length;

  try {
    await ensureNamespace(client, NAMESPACE);
    await tracker.start();
    await client.ok(
      'POST',
      `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`,
      deploymentManifest(DEPLOYMENT, NAMESPACE, 0),
    );

    for (let run = 0; run < runs; run++) {
      let t0 = performance.now();
      await scaleTo(REPLICAS);
      await tracker.until(`${REPLICAS} Ready pods`, () => tracker.readyCount >= REPLICAS, 300_000);
      samples.up.push(since(t0));

      t0 = performance.now();
      await scaleTo(0);
      await tracker.until('every pod gone', () => tracker.present.size === 0, 300_000);
      await waitFor('pod containers gone', async () => (await podContainers()) === 0, 120_000, 50);
      samples.down.push(since(t0));

      const names = Array.from({ length: REPLICAS }, (_, i) => `${RAW_PREFIX}-${run}-${i}`);
      t0 = performance.now();
      const pods: RawPod[] = await withConcurrency(names, KUBELET_WORKERS, (name) =>
        rawPodWithApi(docker, name, place),
      );
      samples.rawUp.push(since(t0));
      t0 = performance.now();
      await withConcurrency(pods, KUBELET_WORKERS, (pod) => removeRawPod(docker, pod));
      samples.rawDown.push(since(t0));
      ctx.log(
        `#${run + 1}: up ${samples.up[run].toFixed(0)} (raw ${samples.rawUp[run].toFixed(0)}), down ${samples.down[run].toFixed(0)} (raw ${samples.rawDown[run].toFixed(0)})`,
      );
    }
  } finally {
    tracker.stop();
    client.close();
    await removeByPrefix(docker, RAW_PREFIX);
  }

  const ratio = (a: number[], b: number[]) => a.map((value, i) => value / b[i]);
  const metrics = new MetricSet();
  metrics.add('up', `Deployment 0 → ${REPLICAS}: all Ready`, 'ms', 'lower', samples.up);
  metrics.add(
    'raw-up',
    `raw Docker: ${REPLICAS} sandbox+container pairs started`,
    'ms',
    'lower',
    samples.rawUp,
    `${KUBELET_WORKERS} at a time`,
  );
  metrics.add('ratio-up', 'ratio scale-up / raw Docker', '×', 'lower', ratio(samples.up, samples.rawUp));
  metrics.add('down', `Deployment ${REPLICAS} → 0: pods and containers gone`, 'ms', 'lower', samples.down);
  metrics.add(
    'raw-down',
    `raw Docker: ${REPLICAS} pairs stopped and removed`,
    'ms',
    'lower',
    samples.rawDown,
    `${KUBELET_WORKERS} at a time`,
  );
  metrics.add(
    'ratio-down',
    'ratio scale-down / raw Docker',
    '×',
    'lower',
    ratio(samples.down, samples.rawDown),
  );
  return metrics;
}
