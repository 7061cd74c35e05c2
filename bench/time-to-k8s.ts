/**
 * time-to-k8s: the phases of minikube's benchmark, from running `kubedesk start` to DNS answering
 * inside a pod, for a new profile (cold) and a stopped one (warm). Each phase is polled only once
 * the previous one is reached, as a user would go on after the command returns; times are
 * cumulative from the command's exec.
 */
import type { BenchContext } from './lib/context';
import { queryA } from './lib/dns-probe';
import type { BenchProfile } from './lib/profile';
import { since, waitFor } from './lib/profile';
import { MetricSet } from './lib/results';
import { deploymentManifest, isPodReady, listPods } from './lib/workloads';

const PHASES = [
  ['command', 'command exec'],
  ['api', 'API server answering'],
  ['kubernetes-svc', '`kubernetes` Service present'],
  ['dns-svc', 'DNS Service answering'],
  ['app-running', "Deployment's app Running"],
  ['dns-in-pod', 'DNS answering in a pod'],
] as const;
type Phase = (typeof PHASES)[number][0];

const APP = 'ttk-app';
const DNS_NAME = 'kubernetes.default.svc.cluster.local';

interface StartTiming {
  reached: Partial<Record<Phase, number>>;
  failed?: { phase: Phase; reason: string };
  dnsNote?: string;
}

async function measureStart(profile: BenchProfile): Promise<StartTiming> {
  const reached: Partial<Record<Phase, number>> = {};
  const t0 = performance.now();
  let phase: Phase = 'command';
  let dnsNote: string | undefined;
  try {
    const command = await profile.startAsync();
    if (command.code !== 0)
      throw new Error(`kubedesk start exited ${command.code}: ${command.stderr.trim()}`);
    reached.command = since(t0);

    phase = 'api';
    const client = profile.client();
    try {
      await waitFor(
        'the API server',
        async () => (await client.request('GET', '/readyz')).status === 200,
        60_000,
      );
      reached.api = since(t0);

      phase = 'kubernetes-svc';
      await waitFor(
        'the kubernetes Service',
        async () =>
          (await client.request('GET', '/api/v1/namespaces/default/services/kubernetes')).status === 200,
        60_000,
      );
      reached['kubernetes-svc'] = since(t0);

      phase = 'dns-svc';
      const kubeDns = await client.request<{ spec?: { clusterIP?: string } }>(
        'GET',
        '/api/v1/namespaces/kube-system/services/kube-dns',
      );
      let server = kubeDns.status === 200 ? kubeDns.body.spec?.clusterIP : undefined;
      if (!server) {
        server = profile.dnsServer();
        dnsNote = 'no kube-dns Service: queried the DNS server pods are given (the network agent)';
      }
      if (!server) throw new Error('the profile has no cluster DNS server');
      const dnsServer = server;
      await waitFor('cluster DNS', async () => (await queryA(dnsServer, DNS_NAME, 300)).length > 0, 60_000);
      reached['dns-svc'] = since(t0);

      phase = 'app-running';
      const apply = await profile.kubectl(
        ['apply', '-f', '-'],
        JSON.stringify(deploymentManifest(APP, 'default', 1)),
      );
      if (apply.code !== 0) throw new Error(`kubectl apply: ${apply.stderr.trim()}`);
      await waitFor(
        'the app pod to run',
        async () =>
          (await listPods(client, 'default', `app=${APP}`)).some(
            (pod) => pod.status?.phase === 'Running' && isPodReady(pod) && !pod.metadata?.deletionTimestamp,
          ),
        120_000,
      );
      reached['app-running'] = since(t0);

      phase = 'dns-in-pod';
      await waitFor(
        'DNS in the pod',
        async () => (await profile.kubectl(['exec', `deploy/${APP}`, '--', 'nslookup', DNS_NAME])).code === 0,
        60_000,
        50,
      );
      reached['dns-in-pod'] = since(t0);
    } finally {
      client.close();
    }
  } catch (error) {
    return {
      reached,
      failed: { phase, reason: error instanceof Error ? error.message : String(error) },
      dnsNote,
    };
  }
  return { reached, dnsNote };
}

/** Removes the app so the next (warm) start deploys it again from scratch. */
async function removeApp(profile: BenchProfile): Promise<void> {
  await profile.kubectl(['delete', 'deployment', APP, '--ignore-not-found', '--wait=true', '--timeout=60s']);
  const client = profile.client();
  try {
    await waitFor(
      'app pods to go',
      async () => (await listPods(client, 'default', `app=${APP}`)).length === 0,
      60_000,
      200,
    );
  } catch {
    // A leftover pod only makes the next warm start's app phase look faster; it is noted by the run.
  } finally {
    client.close();
  }
}

export async function timeToK8s(ctx: BenchContext): Promise<MetricSet> {
  const runs = ctx.runs(5);
  const samples: Record<'cold' | 'warm', StartTiming[]> = { cold: [], warm: [] };

  // An unrecorded first start builds what a first start on any machine builds once (the agent image).
  const warmup = ctx.profile('ttk-warmup');
  await warmup.start().catch((error: unknown) => ctx.log(`warm-up start failed: ${String(error)}`));
  await warmup.delete();

  for (let i = 0; i < runs; i++) {
    const profile = ctx.profile(`ttk-${i}`);
    try {
      const cold = await measureStart(profile);
      samples.cold.push(cold);
      ctx.log(`cold #${i + 1}: ${describeTiming(cold)}`);
      await removeApp(profile);
      await profile.stop();
      const warm = await measureStart(profile);
      samples.warm.push(warm);
      ctx.log(`warm #${i + 1}: ${describeTiming(warm)}`);
    } finally {
      await profile.delete();
    }
  }

  const metrics = new MetricSet();
  for (const kind of ['cold', 'warm'] as const) {
    const timings = samples[kind];
    const failure = timings.find((t) => t.failed)?.failed;
    const dnsNote = timings.find((t) => t.dnsNote)?.dnsNote;
    for (const [phase, label] of PHASES) {
      const values = timings.map((t) => t.reached[phase]).filter((v): v is number => v !== undefined);
      const reason =
        failure && values.length < timings.length ? `${failure.phase}: ${failure.reason}` : undefined;
      const note = phase === 'dns-svc' ? dnsNote : undefined;
      metrics.add(`${kind}.${phase}`, `${kind}: ${label}`, 'ms', 'lower', values, reason ?? note);
    }
    const totals = timings.filter((t) => !t.failed).map((t) => t.reached['dns-in-pod'] as number);
    metrics.add(`${kind}.total`, `${kind}: **total (time-to-k8s)**`, 'ms', 'lower', totals, failure?.reason);
  }
  return metrics;
}

function describeTiming(timing: StartTiming): string {
  const parts = PHASES.map(([phase]) => `${phase} ${timing.reached[phase]?.toFixed(0) ?? '-'}`);
  return `${parts.join(', ')}${timing.failed ? ` (failed at ${timing.failed.phase}: ${timing.failed.reason})` : ''}`;
}
