/**
 * API server throughput and latency through real HTTPS clients with the admin certificate:
 * ConfigMap creates per second from 4 concurrent clients (each its own keep-alive connection),
 * list latency of 10,000 objects as JSON and as a Table, and watch delivery latency with 100
 * watchers (each its own connection), from just before the create request to the event's arrival.
 */
import type { BenchContext } from './lib/context';
import { KubeClient } from './lib/kube-client';
import type { WatchHandle } from './lib/kube-client';
import { since } from './lib/profile';
import { MetricSet } from './lib/results';
import { quantile } from './lib/stats';
import { ensureNamespace } from './lib/workloads';

const CLIENTS = 4;
const LIST_NAMESPACE = 'bench-list';
const LIST_SIZE = 10_000;
const WATCH_NAMESPACE = 'bench-watch';
const WATCHERS = 100;
const WATCH_EVENTS = 50;
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';

function configMap(name: string, namespace: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace },
    data: { key: `value of ${name}` },
  };
}

/** Creates `count` ConfigMaps spread over the clients; answers creates/s and each request's latency. */
async function createMany(
  clients: KubeClient[],
  namespace: string,
  prefix: string,
  count: number,
): Promise<{ perSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (next < count) {
        const index = next++;
        const started = performance.now();
        await client.ok(
          'POST',
          `/api/v1/namespaces/${namespace}/configmaps`,
          configMap(`${prefix}-${index}`, namespace),
        );
        latencies.push(since(started));
      }
    }),
  );
  return { perSecond: count / (since(t0) / 1000), latencies };
}

export async function apiBench(ctx: BenchContext): Promise<MetricSet> {
  const runs = ctx.runs(5);
  const profile = ctx.profile('api');
  await profile.start();
  const home = profile.where.home;
  const port = profile.port() as number;
  const clients = Array.from({ length: CLIENTS }, () => KubeClient.forProfile(home, profile.name, port, 1));
  const admin = profile.client();
  const metrics = new MetricSet();
  const watches: WatchHandle[] = [];

  try {
    // Creates: the 10,000 objects of the list test, made in `runs` equal batches.
    await ensureNamespace(admin, LIST_NAMESPACE);
    const perSecond: number[] = [];
    const createP50: number[] = [];
    const createP99: number[] = [];
    const batch = Math.ceil(LIST_SIZE / runs);
    for (let run = 0; run < runs; run++) {
      const count = Math.min(batch, LIST_SIZE - run * batch);
      const result = await createMany(clients, LIST_NAMESPACE, `cm-${run}`, count);
      perSecond.push(result.perSecond);
      createP50.push(quantile(result.latencies, 0.5));
      createP99.push(quantile(result.latencies, 0.99));
      ctx.log(`creates #${run + 1}: ${result.perSecond.toFixed(0)}/s over ${count}`);
    }
    metrics.add(
      'create-per-second',
      `ConfigMap creates/s (${CLIENTS} HTTPS clients)`,
      '/s',
      'higher',
      perSecond,
      `${batch} per run`,
    );
    metrics.add('create-p50', 'create latency p50', 'ms', 'lower', createP50);
    metrics.add('create-p99', 'create latency p99', 'ms', 'lower', createP99);

    // Lists of all 10,000.
    const listJson: number[] = [];
    const listTable: number[] = [];
    for (let run = 0; run < runs; run++) {
      let t0 = performance.now();
      const json = await admin.request<{ items?: unknown[] }>(
        'GET',
        `/api/v1/namespaces/${LIST_NAMESPACE}/configmaps`,
      );
      listJson.push(since(t0));
      // The namespace also holds its kube-root-ca.crt ConfigMap.
      if ((json.body.items?.length ?? 0) < LIST_SIZE)
        throw new Error(`list answered ${json.body.items?.length} items`);
      t0 = performance.now();
      const table = await admin.request<{ kind?: string; rows?: unknown[] }>(
        'GET',
        `/api/v1/namespaces/${LIST_NAMESPACE}/configmaps`,
        undefined,
        { accept: TABLE_ACCEPT },
      );
      listTable.push(since(t0));
      if (table.body.kind !== 'Table' || (table.body.rows?.length ?? 0) < LIST_SIZE) {
        throw new Error(`Table list answered ${table.body.kind} with ${table.body.rows?.length} rows`);
      }
      ctx.log(
        `list #${run + 1}: JSON ${listJson[run].toFixed(0)} ms (${(json.bytes / 1e6).toFixed(1)} MB), Table ${listTable[run].toFixed(0)} ms`,
      );
    }
    metrics.add(
      'list-json',
      `list ${LIST_SIZE.toLocaleString('en')} ConfigMaps (JSON)`,
      'ms',
      'lower',
      listJson,
    );
    metrics.add(
      'list-table',
      `list ${LIST_SIZE.toLocaleString('en')} ConfigMaps (Table)`,
      'ms',
      'lower',
      listTable,
    );

    // Watch delivery.
    await ensureNamespace(admin, WATCH_NAMESPACE);
    const sentAt = new Map<string, number>();
    const delays: number[][] = [];
    let received = 0;
    for (let w = 0; w < WATCHERS; w++) {
      const mine: number[] = [];
      delays.push(mine);
      watches.push(
        admin.watch(`/api/v1/namespaces/${WATCH_NAMESPACE}/configmaps`, (event) => {
          const sent = sentAt.get(event.object.metadata?.name ?? '');
          if (event.type === 'ADDED' && sent !== undefined) {
            mine.push(performance.now() - sent);
            received++;
          }
        }),
      );
    }
    await Promise.all(watches.map((w) => w.opened));
    const watchP50: number[] = [];
    const watchP99: number[] = [];
    for (let run = 0; run < runs; run++) {
      received = 0;
      for (const mine of delays) mine.length = 0;
      for (let e = 0; e < WATCH_EVENTS; e++) {
        const name = `w-${run}-${e}`;
        sentAt.set(name, performance.now());
        await admin.ok(
          'POST',
          `/api/v1/namespaces/${WATCH_NAMESPACE}/configmaps`,
          configMap(name, WATCH_NAMESPACE),
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const deadline = Date.now() + 30_000;
      while (received < WATCHERS * WATCH_EVENTS && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const all = delays.flat();
      if (all.length < WATCHERS * WATCH_EVENTS) {
        ctx.log(`watch #${run + 1}: only ${all.length} of ${WATCHERS * WATCH_EVENTS} events arrived`);
      }
      watchP50.push(quantile(all, 0.5));
      watchP99.push(quantile(all, 0.99));
      ctx.log(
        `watch #${run + 1}: p50 ${watchP50[run].toFixed(1)} ms, p99 ${watchP99[run].toFixed(1)} ms over ${all.length} deliveries`,
      );
    }
    const note = `${WATCHERS} watchers × ${WATCH_EVENTS} creates per run`;
    metrics.add('watch-p50', 'watch delivery p50', 'ms', 'lower', watchP50, note);
    metrics.add('watch-p99', 'watch delivery p99', 'ms', 'lower', watchP99, note);
  } finally {
    for (const watch of watches) watch.close();
    for (const client of clients) client.close();
    admin.close();
  }
  return metrics;
}
