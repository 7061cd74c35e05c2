import dgram from 'node:dgram';
import net from 'node:net';
import { BackendPicker } from './backend-picker';
import type { InterfaceAddresses } from './ip-addresses';
import type { Backend, ServiceTable } from './service-table';

/** Failed backend connects tried before a client is reset. */
const MAX_ATTEMPTS = 3;
const CONNECT_TIMEOUT_MS = 3000;
const UDP_IDLE_MS = 30_000;

interface UdpSession {
  upstream: dgram.Socket;
  /** Datagrams that arrived before the upstream socket was connected. */
  queue: Buffer[];
  connected: boolean;
  timer: NodeJS.Timeout | undefined;
}

interface Listener {
  close(): void;
}

/**
 * Carries every ClusterIP on the agent's interface and proxies TCP and UDP `port` →
 * endpoint `targetPort`. A TCP port listens only while its Service has ready endpoints, so
 * connections to a Service without any are refused by the kernel at once; backends are read
 * from the live table at each connection, so endpoint changes apply to the next connection.
 */
export class ClusterIpProxy {
  private readonly listeners = new Map<string, Listener>();
  private readonly pickers = new Map<string, BackendPicker>();
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly table: ServiceTable,
    private readonly addresses: InterfaceAddresses,
    private readonly log: (message: string) => void,
  ) {}

  /** Brings addresses and listeners in line with the table; concurrent calls coalesce. */
  reconcile(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.reconcileOnce().catch((error: unknown) => this.log(`proxy: ${String(error)}`));
      } while (this.again);
      this.running = undefined;
    })();
    return this.running;
  }

  close(): void {
    for (const listener of this.listeners.values()) listener.close();
    this.listeners.clear();
  }

  private async reconcileOnce(): Promise<void> {
    const ips = new Set<string>();
    const wanted = new Map<string, { ip: string; port: number; protocol: 'TCP' | 'UDP' }>();
    for (const service of this.table.allServices()) {
      for (const ip of service.clusterIPs) {
        ips.add(ip);
        for (const port of service.ports) {
          if (port.protocol === 'SCTP') continue;
          if (port.protocol === 'TCP' && this.table.backends(service, port).length === 0) continue;
          wanted.set(`${ip}:${port.port}/${port.protocol}`, { ip, port: port.port, protocol: port.protocol });
        }
      }
    }
    for (const [key, listener] of this.listeners) {
      if (wanted.has(key)) continue;
      listener.close();
      this.listeners.delete(key);
      this.pickers.delete(key);
    }
    await this.addresses.sync(ips);
    for (const [key, target] of wanted) {
      if (this.listeners.has(key)) continue;
      try {
        const listener =
          target.protocol === 'TCP'
            ? await this.listenTcp(key, target.ip, target.port)
            : await this.listenUdp(key, target.ip, target.port);
        this.listeners.set(key, listener);
      } catch (error) {
        this.log(`listen ${key}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Current backends for a ClusterIP port, in the order to try them for this client. */
  private choose(key: string, ip: string, port: number, protocol: 'TCP' | 'UDP', clientIp: string) {
    const service = this.table.serviceByClusterIP(ip);
    const servicePort = service?.ports.find((p) => p.port === port && p.protocol === protocol);
    if (!service || !servicePort) return { backends: [] as Backend[], affinity: undefined };
    let picker = this.pickers.get(key);
    if (!picker) {
      picker = new BackendPicker();
      this.pickers.set(key, picker);
    }
    const backends = picker.order(
      this.table.backends(service, servicePort),
      clientIp,
      service.affinitySeconds,
    );
    return { backends, affinity: service.affinitySeconds, picker };
  }

  private listenTcp(key: string, ip: string, port: number): Promise<Listener> {
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (client) => {
      const clientIp = client.remoteAddress ?? '';
      const { backends, affinity, picker } = this.choose(key, ip, port, 'TCP', clientIp);
      connectFirst(backends.slice(0, MAX_ATTEMPTS), client, (chosen) =>
        picker?.stick(clientIp, chosen, affinity),
      );
    });
    server.on('error', (error) => this.log(`tcp ${key}: ${error.message}`));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, ip, () => resolve({ close: () => server.close() }));
    });
  }

  private listenUdp(key: string, ip: string, port: number): Promise<Listener> {
    const socket = dgram.createSocket('udp4');
    const sessions = new Map<string, UdpSession>();
    socket.on('message', (message, remote) => {
      const sessionKey = `${remote.address}:${remote.port}`;
      let session = sessions.get(sessionKey);
      if (!session) {
        const { backends, affinity, picker } = this.choose(key, ip, port, 'UDP', remote.address);
        const backend = backends[0];
        if (!backend) return;
        picker?.stick(remote.address, backend, affinity);
        const upstream = dgram.createSocket('udp4');
        const created: UdpSession = { upstream, queue: [], connected: false, timer: undefined };
        upstream.on('message', (reply) => socket.send(reply, remote.port, remote.address));
        upstream.on('error', () => undefined);
        upstream.connect(backend.port, backend.ip, () => {
          created.connected = true;
          for (const queued of created.queue) upstream.send(queued);
          created.queue = [];
        });
        sessions.set(sessionKey, created);
        session = created;
      }
      if (session.connected) session.upstream.send(message);
      else session.queue.push(message);
      clearTimeout(session.timer);
      const current = session;
      current.timer = setTimeout(() => {
        current.upstream.close();
        sessions.delete(sessionKey);
      }, UDP_IDLE_MS);
    });
    socket.on('error', (error) => this.log(`udp ${key}: ${error.message}`));
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, ip, () =>
        resolve({
          close: () => {
            for (const s of sessions.values()) {
              clearTimeout(s.timer);
              s.upstream.close();
            }
            socket.close();
          },
        }),
      );
    });
  }
}

/** Pipes `client` to the first backend that accepts; resets the client when none does. */
function connectFirst(backends: Backend[], client: net.Socket, onChosen: (backend: Backend) => void): void {
  const backend = backends[0];
  if (!backend) {
    client.resetAndDestroy();
    return;
  }
  const upstream = net.connect({ host: backend.ip, port: backend.port, allowHalfOpen: true });
  const timer = setTimeout(() => upstream.destroy(new Error('connect timeout')), CONNECT_TIMEOUT_MS);
  const onFailure = () => {
    clearTimeout(timer);
    connectFirst(backends.slice(1), client, onChosen);
  };
  upstream.once('error', onFailure);
  upstream.once('connect', () => {
    clearTimeout(timer);
    upstream.off('error', onFailure);
    onChosen(backend);
    splice(client, upstream);
    client.resume();
  });
}

/** Two-way pipe that closes both sides when either ends with an error. */
export function splice(a: net.Socket, b: net.Socket): void {
  a.pipe(b);
  b.pipe(a);
  const destroyBoth = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', destroyBoth);
  b.on('error', destroyBoth);
  a.on('close', () => b.end());
  b.on('close', () => a.end());
}
