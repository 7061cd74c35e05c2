/**
 * Memory and CPU: the engine process tree's RSS and the network agent container's memory on an
 * idle cluster (their sum is the idle cluster's footprint), then with a 10-pod Deployment: the
 * memory of each pod's sandbox and app containers, and CPU use while idle over 60 s.
 */
import type { BenchContext } from './lib/context';
import { PodTracker } from './lib/pod-tracker';
import type { BenchProfile } from './lib/profile';
import { Docker } from './lib/raw-docker';
import { MetricSet } from './lib/results';
import type { Usage } from './lib/usage';
import { containerUsage, mib, processTreeUsage } from './lib/usage';
import { deploymentManifest, ensureNamespace } from './lib/workloads';

const NAMESPACE = 'bench-idle';
const PODS = 10;
const SETTLE_MS = 10_000;
const CPU_WINDOW_MS = 60_000;
const CPU_SLICES = 6;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Snapshot {
  engine: Usage;
  agent?: Usage;
  sandboxes: Usage[];
  apps: Usage[];
}

async function snapshot(docker: Docker, profile: BenchProfile, enginePid: number): Promise<Snapshot> {
  const containers = await docker.listContainers({
    filters: { label: [`io.kubedesk.profile=${profile.name}`] },
  });
  const byRole = (role: string) => containers.filter((c) => c.Labels['io.kubedesk.role'] === role);
  const usages = async (list: typeof containers) =>
    (await Promise.all(list.map((c) => containerUsage(docker, c.Id)))).filter(
      (u): u is Usage => u !== undefined,
    );
  const [agent, sandboxes, apps] = await Promise.all([
    usages(byRole('network-agent')),
    usages(byRole('sandbox')),
    usages(
      containers.filter((c) => !['network-agent', 'sandbox'].includes(c.Labels['io.kubedesk.role'] ?? '')),
    ),
  ]);
  const engine = processTreeUsage(enginePid);
  if (!engine) throw new Error(`the engine (pid ${enginePid}) is gone`);
  return { engine, agent: agent[0], sandboxes, apps };
}

const sum = (usages: Usage[], key: keyof Usage) => usages.reduce((total, u) => total + u[key], 0);

export async function resourcesBench(ctx: BenchContext): Promise<MetricSet> {
  const samplesWanted = ctx.runs(5);
  const profile = ctx.profile('resources');
  await profile.start();
  const enginePid = profile.enginePid();
  if (!enginePid) throw new Error('the engine wrote no pid');
  const docker = new Docker();
  const client = profile.client();
  const tracker = new PodTracker(client, NAMESPACE);
  const metrics = new MetricSet();
  const idle = { engine: [] as number[], agent: [] as number[], total: [] as number[] };
  const loaded = {
    engine: [] as number[],
    sandbox: [] as number[],
    app: [] as number[],
    total: [] as number[],
  };
  const cpu = { engine: [] as number[], agent: [] as number[], pods: [] as number[] };

  try {
    await sleep(SETTLE_MS);
    for (let i = 0; i < samplesWanted; i++) {
      const s = await snapshot(docker, profile, enginePid);
      idle.engine.push(mib(s.engine.memoryBytes));
      if (s.agent) idle.agent.push(mib(s.agent.memoryBytes));
      idle.total.push(mib(s.engine.memoryBytes + (s.agent?.memoryBytes ?? 0)));
      await sleep(1000);
    }

    await ensureNamespace(client, NAMESPACE);
    await tracker.start();
    await client.ok(
      'POST',
      `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`,
      deploymentManifest('idle', NAMESPACE, PODS),
    );
    await tracker.until(`${PODS} Ready pods`, () => tracker.readyCount >= PODS, 180_000);
    await sleep(SETTLE_MS);
    for (let i = 0; i < samplesWanted; i++) {
      const s = await snapshot(docker, profile, enginePid);
      loaded.engine.push(mib(s.engine.memoryBytes));
      loaded.sandbox.push(mib(sum(s.sandboxes, 'memoryBytes') / Math.max(1, s.sandboxes.length)));
      loaded.app.push(mib(sum(s.apps, 'memoryBytes') / Math.max(1, s.apps.length)));
      loaded.total.push(
        mib(
          s.engine.memoryBytes +
            (s.agent?.memoryBytes ?? 0) +
            sum(s.sandboxes, 'memoryBytes') +
            sum(s.apps, 'memoryBytes'),
        ),
      );
      await sleep(1000);
    }

    // CPU while idle with the workload: percent of one core, per slice of the window.
    let before = await snapshot(docker, profile, enginePid);
    let beforeAt = performance.now();
    for (let slice = 0; slice < CPU_SLICES; slice++) {
      await sleep(CPU_WINDOW_MS / CPU_SLICES);
      const after = await snapshot(docker, profile, enginePid);
      const afterAt = performance.now();
      const percent = (a: number, b: number) => ((a - b) / (afterAt - beforeAt)) * 100;
      cpu.engine.push(percent(after.engine.cpuMs, before.engine.cpuMs));
      if (after.agent && before.agent) cpu.agent.push(percent(after.agent.cpuMs, before.agent.cpuMs));
      cpu.pods.push(
        percent(
          sum(after.sandboxes, 'cpuMs') + sum(after.apps, 'cpuMs'),
          sum(before.sandboxes, 'cpuMs') + sum(before.apps, 'cpuMs'),
        ),
      );
      before = after;
      beforeAt = afterAt;
    }
    ctx.log(
      `idle total ${idle.total[0]?.toFixed(0)} MiB; with ${PODS} pods ${loaded.total[0]?.toFixed(0)} MiB; engine CPU ${cpu.engine.map((c) => c.toFixed(1)).join(' ')} %`,
    );
  } finally {
    tracker.stop();
    client.close();
  }

  metrics.add('idle-engine-rss', 'idle: engine RSS', 'MiB', 'lower', idle.engine);
  metrics.add('idle-agent-memory', 'idle: network agent container memory', 'MiB', 'lower', idle.agent);
  metrics.add(
    'idle-total',
    '**idle cluster total** (goal < 150 MB)',
    'MiB',
    'lower',
    idle.total,
    'engine + agent',
  );
  metrics.add('loaded-engine-rss', `${PODS} pods: engine RSS`, 'MiB', 'lower', loaded.engine);
  metrics.add('per-pod-sandbox', 'per-pod sandbox container memory', 'MiB', 'lower', loaded.sandbox);
  metrics.add('per-pod-app', 'per-pod app container memory (busybox sleep)', 'MiB', 'lower', loaded.app);
  metrics.add(
    'loaded-total',
    `${PODS} pods: cluster total`,
    'MiB',
    'lower',
    loaded.total,
    'engine + agent + pods',
  );
  const window = `${CPU_SLICES} slices of ${CPU_WINDOW_MS / CPU_SLICES / 1000} s`;
  metrics.add('idle-cpu-engine', `${PODS} pods idle: engine CPU`, '% of a core', 'lower', cpu.engine, window);
  metrics.add('idle-cpu-agent', `${PODS} pods idle: agent CPU`, '% of a core', 'lower', cpu.agent, window);
  metrics.add(
    'idle-cpu-pods',
    `${PODS} pods idle: pod containers CPU`,
    '% of a core',
    'lower',
    cpu.pods,
    window,
  );
  return metrics;
}
