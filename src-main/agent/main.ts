import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { ClusterIpProxy } from './cluster-ip-proxy';
import { readConfig } from './config';
import { startDnsServer } from './dns-server';
import { InterfaceAddresses } from './ip-addresses';
import { ListWatch } from './kube-watch';
import { ServiceTable } from './service-table';
import { startTunnelServer } from './tunnel-server';

/** Coalesces bursts of watch events into one proxy reconcile, well within a second. */
const RECONCILE_DELAY_MS = 50;

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

/**
 * The network agent: cluster DNS, the ClusterIP proxy and the host tunnel, all driven by
 * Services and EndpointSlices watched through the API server.
 */
async function main(): Promise<void> {
  const config = readConfig(process.env);
  const table = new ServiceTable();
  const proxy = new ClusterIpProxy(table, new InterfaceAddresses(config.device, log), log);
  let timer: NodeJS.Timeout | undefined;
  table.onChange(() => {
    timer ??= setTimeout(() => {
      timer = undefined;
      void proxy.reconcile();
    }, RECONCILE_DELAY_MS);
  });

  const services = new ListWatch<V1Service>(
    config.api,
    '/api/v1/services',
    {
      reset: (items) => table.resetServices(items),
      put: (item) => table.putService(item),
      remove: (item) => table.deleteService(item),
    },
    log,
  );
  const slices = new ListWatch<V1EndpointSlice>(
    config.api,
    '/apis/discovery.k8s.io/v1/endpointslices',
    {
      reset: (items) => table.resetSlices(items),
      put: (item) => table.putSlice(item),
      remove: (item) => table.deleteSlice(item),
    },
    log,
  );

  await startDnsServer({
    table,
    host: config.agentIp,
    port: 53,
    domain: config.clusterDomain,
    upstream: config.upstreamDns,
    log,
  });
  let ready = false;
  await startTunnelServer({
    host: config.agentIp,
    port: config.tunnelPort,
    token: config.tunnelToken,
    ready: () => ready,
    apiAddress: () => services.apiAddress() ?? slices.apiAddress(),
    log,
  });
  log(`agent listening on ${config.agentIp} (dns :53, tunnel :${config.tunnelPort})`);
  await Promise.all([services.start(), slices.start()]);
  await proxy.reconcile();
  ready = true;
  log(`synced: ${table.allServices().length} services`);

  const shutdown = () => {
    services.stop();
    slices.stop();
    proxy.close();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  log(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
