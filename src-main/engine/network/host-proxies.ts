import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { V1Service } from '@kubernetes/client-node';
import type { KubeObject } from '../k8s-object';
import type { ObjectApi } from '../apiserver/object-api';
import type { Clock } from '../controllers/runtime/clock';
import { EventRecorder } from '../controllers/runtime/event-recorder';
import { Informer } from '../controllers/runtime/informer';

const SERVICES = { group: '', version: 'v1', resource: 'services' };
/** The condition a Service carries about its host listeners. */
export const HOST_PORTS_CONDITION = 'HostPortsBound';
const FIELD_MANAGER = 'kubedesk-network';
const RETRY_MS = 5000;
const RECONCILE_DELAY_MS = 20;

export interface HostProxiesOptions {
  api: ObjectApi;
  clock: Clock;
  /** 127.0.0.1, or 0.0.0.0 when the profile exposes on all interfaces. */
  bindHost: string;
  /** Opens a connection to a ClusterIP port inside the cluster. */
  dial: (ip: string, port: number) => Promise<Duplex>;
  log: (message: string) => void;
}

interface Target {
  namespace: string;
  name: string;
  /** The Service port connections go to (the ClusterIP side). */
  port: number;
}

interface HostListener {
  server: net.Server;
  target: Target;
}

/**
 * Host listeners for every NodePort (on its nodePort) and LoadBalancer (on its service port,
 * and its nodePorts) TCP Service port, each forwarding through the tunnel to the Service's
 * ClusterIP. LoadBalancers get `status.loadBalancer.ingress[0].ip` 127.0.0.1; a host port that
 * cannot be bound is reported as a Warning event and a `HostPortsBound=False` condition, and
 * retried.
 */
export class HostProxies {
  private readonly informer: Informer;
  private readonly recorder: EventRecorder;
  private readonly listeners = new Map<number, HostListener>();
  /** Ports that failed to bind, with the reason, per Service key. */
  private readonly failures = new Map<string, Map<number, string>>();
  private cancelTimer: (() => void) | undefined;
  private cancelRetry: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly options: HostProxiesOptions) {
    this.informer = new Informer(options.api, SERVICES);
    this.recorder = new EventRecorder(options.api, { component: 'kubedesk-network' }, options.clock);
  }

  start(): void {
    const schedule = () => this.schedule();
    this.informer.addHandlers({ add: schedule, update: schedule, delete: schedule });
    this.informer.start();
    this.schedule();
  }

  /** Resolves once the listeners match the current Services. */
  settled(): Promise<void> {
    return this.running ?? this.reconcile();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.informer.stop();
    this.cancelTimer?.();
    this.cancelRetry?.();
    await Promise.all([...this.listeners.values()].map((l) => new Promise((r) => l.server.close(r))));
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.stopped || this.cancelTimer) return;
    this.cancelTimer = this.options.clock.setTimer(RECONCILE_DELAY_MS, () => {
      this.cancelTimer = undefined;
      void this.reconcile();
    });
  }

  private reconcile(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.reconcileOnce().catch((error: unknown) =>
          this.options.log(`host proxies: ${String(error)}`),
        );
      } while (this.again && !this.stopped);
      this.running = undefined;
    })();
    return this.running;
  }

  private async reconcileOnce(): Promise<void> {
    if (this.stopped) return;
    const services = this.informer.list() as V1Service[];
    const wanted = new Map<number, Target>();
    const claims = new Map<string, number[]>();
    for (const service of services) {
      const spec = service.spec;
      const type = spec?.type;
      if (type !== 'NodePort' && type !== 'LoadBalancer') continue;
      const namespace = service.metadata?.namespace ?? 'default';
      const name = service.metadata?.name ?? '';
      const key = `${namespace}/${name}`;
      const ports: number[] = [];
      for (const port of spec?.ports ?? []) {
        if ((port.protocol ?? 'TCP') !== 'TCP') continue;
        const hostPorts = [port.nodePort, type === 'LoadBalancer' ? port.port : undefined];
        for (const hostPort of hostPorts) {
          if (!hostPort || wanted.has(hostPort)) continue;
          wanted.set(hostPort, { namespace, name, port: port.port });
          ports.push(hostPort);
        }
      }
      claims.set(key, ports);
    }

    for (const [port, listener] of this.listeners) {
      const target = wanted.get(port);
      if (target) listener.target = target;
      else {
        this.listeners.delete(port);
        listener.server.close();
      }
    }

    const failures = new Map<string, Map<number, string>>();
    for (const [port, target] of wanted) {
      if (this.listeners.has(port)) continue;
      try {
        this.listeners.set(port, await this.listen(port, target));
      } catch (error) {
        const key = `${target.namespace}/${target.name}`;
        const reason =
          (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
            ? 'already in use on the host'
            : String(error);
        if (!failures.has(key)) failures.set(key, new Map());
        failures.get(key)?.set(port, reason);
      }
    }

    for (const service of services) {
      const key = `${service.metadata?.namespace ?? 'default'}/${service.metadata?.name ?? ''}`;
      if (claims.has(key)) this.reportStatus(service, failures.get(key) ?? new Map());
      else this.clearStatus(service);
    }
    this.failures.clear();
    for (const [key, value] of failures) this.failures.set(key, value);
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    if (failures.size > 0 && !this.stopped) {
      this.cancelRetry = this.options.clock.setTimer(RETRY_MS, () => {
        this.cancelRetry = undefined;
        this.schedule();
      });
    }
  }

  private listen(port: number, target: Target): Promise<HostListener> {
    const listener: HostListener = { server: net.createServer({ allowHalfOpen: true }), target };
    listener.server.on('connection', (client) => this.forward(client, listener.target));
    return new Promise((resolve, reject) => {
      listener.server.once('error', reject);
      listener.server.listen(port, this.options.bindHost, () => {
        listener.server.off('error', reject);
        listener.server.on('error', (error) => this.options.log(`host port ${port}: ${error.message}`));
        resolve(listener);
      });
    });
  }

  private forward(client: net.Socket, target: Target): void {
    client.pause();
    client.on('error', () => undefined);
    const service = this.informer.get(`${target.namespace}/${target.name}`) as V1Service | undefined;
    const clusterIP = service?.spec?.clusterIP;
    if (!clusterIP || clusterIP === 'None') {
      client.resetAndDestroy();
      return;
    }
    this.options.dial(clusterIP, target.port).then(
      (upstream) => {
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      },
      () => client.resetAndDestroy(),
    );
  }

  /** Takes our ingress and condition off a Service that is no longer NodePort or LoadBalancer. */
  private clearStatus(service: V1Service): void {
    const status = service.status ?? {};
    const ours = (status.loadBalancer?.ingress ?? []).some((i) => i.ip === '127.0.0.1');
    const conditions = status.conditions ?? [];
    const hasCondition = conditions.some((c) => c.type === HOST_PORTS_CONDITION);
    if (!ours && !hasCondition) return;
    const patch: Record<string, unknown> = {};
    if (ours) patch.loadBalancer = { ingress: null };
    if (hasCondition) patch.conditions = conditions.filter((c) => c.type !== HOST_PORTS_CONDITION);
    const namespace = service.metadata?.namespace ?? 'default';
    const name = service.metadata?.name ?? '';
    try {
      this.options.api.patch(
        SERVICES,
        namespace,
        name,
        'merge',
        { status: patch },
        {
          subresource: 'status',
          fieldManager: FIELD_MANAGER,
        },
      );
    } catch (error) {
      this.options.log(`status of service ${namespace}/${name}: ${String(error)}`);
    }
  }

  /** Sets the LoadBalancer ingress and the host-ports condition when they differ. */
  private reportStatus(service: V1Service, failed: Map<number, string>): void {
    const namespace = service.metadata?.namespace ?? 'default';
    const name = service.metadata?.name ?? '';
    const status = service.status ?? {};
    const patch: Record<string, unknown> = {};
    if (service.spec?.type === 'LoadBalancer') {
      const ingress = status.loadBalancer?.ingress ?? [];
      if (ingress.length !== 1 || ingress[0].ip !== '127.0.0.1' || ingress[0].hostname) {
        patch.loadBalancer = { ingress: [{ ip: '127.0.0.1' }] };
      }
    }
    const conditions = status.conditions ?? [];
    const current = conditions.find((c) => c.type === HOST_PORTS_CONDITION);
    const ok = failed.size === 0;
    const message = ok
      ? 'every host port is listening'
      : [...failed].map(([port, reason]) => `host port ${port} ${reason}`).join('; ');
    if (!current || current.status !== (ok ? 'True' : 'False') || current.message !== message) {
      if (!ok) this.recorder.record(service as KubeObject, 'Warning', 'HostPortUnavailable', message);
      const now = this.options.clock
        .now()
        .toISOString()
        .replace(/\.\d+Z$/, 'Z');
      patch.conditions = [
        ...conditions.filter((c) => c.type !== HOST_PORTS_CONDITION),
        {
          type: HOST_PORTS_CONDITION,
          status: ok ? 'True' : 'False',
          reason: ok ? 'Listening' : 'PortInUse',
          message,
          lastTransitionTime:
            current && current.status === (ok ? 'True' : 'False') ? current.lastTransitionTime : now,
        },
      ];
    }
    if (Object.keys(patch).length === 0) return;
    try {
      this.options.api.patch(
        SERVICES,
        namespace,
        name,
        'merge',
        { status: patch },
        { subresource: 'status', fieldManager: FIELD_MANAGER },
      );
    } catch (error) {
      this.options.log(`status of service ${namespace}/${name}: ${String(error)}`);
    }
  }
}
