import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { CoreV1Api, PortForward } from '@kubernetes/client-node';
import type { KubeConfig, V1Pod, V1Service } from '@kubernetes/client-node';
import { kubedeskError } from '../../ipc/errors';
import type { TunnelInfo, TunnelStartRequest } from '../../ipc/tunnels';
import { selectorToString } from './log-targets';

function ready(pod: V1Pod): boolean {
  return (
    pod.status?.phase === 'Running' &&
    !pod.metadata?.deletionTimestamp &&
    (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

/** A container port number for a Service's targetPort (a number, or a port name in the pod). */
function containerPort(pod: V1Pod, target: number | string): number | undefined {
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? [])
    for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  return undefined;
}

/**
 * Where a new connection goes now: a ready pod of the Service (or the pod itself) and its
 * port. Resolved per connection, so a tunnel survives pod restarts and rollouts.
 */
async function resolveBackend(
  config: KubeConfig,
  request: TunnelStartRequest,
): Promise<{ pod: string; port: number }> {
  const core = config.makeApiClient(CoreV1Api);
  const { namespace, name } = request;
  if (request.kind === 'Pod') return { pod: name, port: request.port };
  const service: V1Service = await core.readNamespacedService({ name, namespace });
  const servicePort = (service.spec?.ports ?? []).find((p) => p.port === request.port);
  if (!servicePort)
    throw kubedeskError('BadRequest', `service ${namespace}/${name} has no port ${request.port}`);
  const selector = selectorToString({ matchLabels: service.spec?.selector ?? {} });
  if (!selector) throw kubedeskError('BadRequest', `service ${namespace}/${name} has no selector`);
  const pods = await core.listNamespacedPod({ namespace, labelSelector: selector });
  const pod = pods.items.find(ready);
  if (!pod) throw kubedeskError('Unavailable', `no ready pod behind service ${namespace}/${name}`);
  const port = containerPort(pod, servicePort.targetPort ?? servicePort.port);
  if (!port)
    throw kubedeskError('BadRequest', `pod ${pod.metadata?.name} has no port ${servicePort.targetPort}`);
  return { pod: pod.metadata?.name ?? '', port };
}

interface Tunnel {
  info: TunnelInfo;
  server: Server;
  sockets: Set<Socket>;
}

/**
 * Port-forward tunnels from local ports to Services or Pods of any cluster (client-node's
 * PortForward over the API server). Each local connection goes to a ready pod chosen when it
 * opens.
 */
export class Tunnels {
  private readonly tunnels = new Map<string, Tunnel>();

  list(): TunnelInfo[] {
    return [...this.tunnels.values()].map((t) => ({ ...t.info }));
  }

  async start(config: KubeConfig, request: TunnelStartRequest): Promise<TunnelInfo> {
    // Fail now, not on the first connection, when nothing can serve the tunnel.
    await resolveBackend(config, request);
    const sockets = new Set<Socket>();
    const id = randomUUID();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      const tunnel = this.tunnels.get(id);
      if (tunnel) tunnel.info.connections++;
      resolveBackend(config, request)
        .then(async ({ pod, port }) => {
          const ws = await new PortForward(config, true).portForward(
            request.namespace,
            pod,
            [port],
            socket,
            null,
            socket,
          );
          const close = () => (typeof ws === 'function' ? ws()?.close() : ws.close());
          socket.on('close', close);
        })
        .catch((error: unknown) => {
          if (tunnel) tunnel.info.lastError = error instanceof Error ? error.message : String(error);
          socket.destroy();
        });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? kubedeskError('Conflict', `local port ${request.localPort} is in use`)
            : error,
        ),
      );
      server.listen(request.localPort ?? 0, '127.0.0.1', () => resolve());
    });
    const localPort = (server.address() as AddressInfo).port;
    const info: TunnelInfo = {
      id,
      cluster: request.cluster,
      namespace: request.namespace,
      kind: request.kind,
      name: request.name,
      port: request.port,
      localPort,
      url: `http://127.0.0.1:${localPort}`,
      connections: 0,
    };
    this.tunnels.set(id, { info, server, sockets });
    return { ...info };
  }

  stop(id: string): void {
    const tunnel = this.tunnels.get(id);
    if (!tunnel) return;
    this.tunnels.delete(id);
    tunnel.server.close();
    for (const socket of tunnel.sockets) socket.destroy();
  }

  stopAll(): void {
    for (const id of [...this.tunnels.keys()]) this.stop(id);
  }
}
