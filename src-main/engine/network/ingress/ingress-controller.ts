import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { V1Ingress, V1IngressClass, V1Secret, V1Service } from '@kubernetes/client-node';
import type { ObjectApi } from '../../apiserver/object-api';
import type { Clock } from '../../controllers/runtime/clock';
import { EventRecorder } from '../../controllers/runtime/event-recorder';
import { Informer } from '../../controllers/runtime/informer';
import type { KubeObject } from '../../k8s-object';
import {
  DEFAULT_CLASS_ANNOTATION,
  INGRESS_CLASS,
  INGRESS_CONTROLLER,
  IngressRoutes,
  servedByUs,
} from './ingress-routes';
import type { RouteTarget } from './ingress-routes';

const INGRESSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' };
const INGRESS_CLASSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses' };
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const FIELD_MANAGER = 'kubedesk-ingress';
const STATUS_DELAY_MS = 50;

export interface IngressControllerOptions {
  api: ObjectApi;
  clock: Clock;
  /** 127.0.0.1, or 0.0.0.0 when the profile exposes on all interfaces. */
  bindHost: string;
  /** Opens a connection to a ClusterIP port (the network tunnel). */
  dial: (ip: string, port: number) => Promise<Duplex>;
  /** Served to HTTPS clients whose name matches no Ingress TLS entry. */
  defaultCertificate: { certPem: string; keyPem: string };
  /** Host ports to try in order; the first free one is used. */
  httpPorts?: number[];
  httpsPorts?: number[];
  /** Create the `nginx` IngressClass when missing (default true; the addon creates it otherwise). */
  createClass?: boolean;
  log?: (message: string) => void;
}

export interface RunningIngressController {
  /** The host ports actually serving HTTP and HTTPS (80/443 unless they were taken). */
  httpPort: number;
  httpsPort: number;
  stop(): Promise<void>;
}

/** The candidates after the preferred port: the usual alternates, then a few more. */
const HTTP_PORTS = [80, 8080, 8081, 8082, 8083, 8084, 8085, 0];
const HTTPS_PORTS = [443, 8443, 8444, 8445, 8446, 8447, 8448, 0];

/** The `nginx` IngressClass, marked as the cluster default, that the built-in router serves. */
export function nginxIngressClass(): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name: INGRESS_CLASS,
      annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' },
      labels: { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/name': 'ingress-nginx' },
    },
    spec: { controller: INGRESS_CONTROLLER },
  };
}

/**
 * Creates the `nginx` IngressClass, marked as the cluster default, unless it exists.
 * Idempotent; an existing class is left as the user set it.
 */
export function ensureIngressClass(api: ObjectApi): void {
  const ingressClass = nginxIngressClass();
  try {
    api.get(INGRESS_CLASSES, undefined, INGRESS_CLASS);
    return;
  } catch {
    // Missing: create it below.
  }
  try {
    api.create(INGRESS_CLASSES, undefined, ingressClass, { fieldManager: FIELD_MANAGER });
  } catch (error) {
    if (!(typeof error === 'object' && error !== null && (error as { code?: number }).code === 409))
      throw error;
  }
}

/**
 * The Ingress addon's controller: an HTTP and an HTTPS router on the host (80/443 when free,
 * otherwise the next free alternates — logged and shown as `status.loadBalancer.ingress[].ports`)
 * that route by host and path to Services through the tunnel, terminate TLS with the Secrets
 * named in `spec.tls` (SNI), redirect plain HTTP to HTTPS for TLS hosts (308, as ingress-nginx;
 * `ssl-redirect: "false"` turns it off), honour `rewrite-target`/`use-regex`, pass WebSocket
 * upgrades through, and set each served Ingress'
 * `status.loadBalancer.ingress` to 127.0.0.1.
 */
export async function startIngressController(
  options: IngressControllerOptions,
): Promise<RunningIngressController> {
  const log = options.log ?? (() => undefined);
  if (options.createClass !== false) ensureIngressClass(options.api);
  const ingresses = new Informer(options.api, INGRESSES);
  const classes = new Informer(options.api, INGRESS_CLASSES);
  const services = new Informer(options.api, SERVICES);
  const secrets = new Informer(options.api, SECRETS);
  const recorder = new EventRecorder(options.api, { component: 'ingress-nginx-controller' }, options.clock);

  let routes: IngressRoutes | undefined;
  const served = () =>
    (ingresses.list() as V1Ingress[]).filter((i) => servedByUs(i, classes.list() as V1IngressClass[]));
  const currentRoutes = () => (routes ??= new IngressRoutes(served()));

  let cancelStatus: (() => void) | undefined;
  let ports = { http: 0, https: 0 };
  const scheduleStatus = () => {
    routes = undefined;
    if (cancelStatus) return;
    cancelStatus = options.clock.setTimer(STATUS_DELAY_MS, () => {
      cancelStatus = undefined;
      for (const ingress of served()) updateStatus(options.api, ingress, ports, log);
    });
  };
  const invalidate = { add: scheduleStatus, update: scheduleStatus, delete: scheduleStatus };
  ingresses.addHandlers(invalidate);
  classes.addHandlers(invalidate);

  const contexts = new Map<string, { version: string; context: tls.SecureContext }>();
  const secureContextFor = (servername: string): tls.SecureContext | undefined => {
    const name = servername.toLowerCase();
    for (const ingress of served()) {
      const namespace = ingress.metadata?.namespace ?? 'default';
      for (const entry of ingress.spec?.tls ?? []) {
        const hosts = entry.hosts ?? [];
        if (
          !entry.secretName ||
          !hosts.some((h) => h === name || (h.startsWith('*.') && name.endsWith(h.slice(1))))
        )
          continue;
        const secret = secrets.get(`${namespace}/${entry.secretName}`) as V1Secret | undefined;
        const cert = secret?.data?.['tls.crt'];
        const key = secret?.data?.['tls.key'];
        if (!cert || !key) continue;
        const cacheKey = `${namespace}/${entry.secretName}`;
        const version = secret.metadata?.resourceVersion ?? '';
        const cached = contexts.get(cacheKey);
        if (cached?.version === version) return cached.context;
        try {
          const context = tls.createSecureContext({
            cert: Buffer.from(cert, 'base64'),
            key: Buffer.from(key, 'base64'),
          });
          contexts.set(cacheKey, { version, context });
          return context;
        } catch (error) {
          log(`ingress TLS secret ${cacheKey}: ${String(error)}`);
        }
      }
    }
    return undefined;
  };

  const resolveTarget = (target: RouteTarget): { ip: string; port: number } | undefined => {
    const service = services.get(`${target.namespace}/${target.service}`) as V1Service | undefined;
    const ip = service?.spec?.clusterIP;
    if (!ip || ip === 'None') return undefined;
    const port = (service.spec?.ports ?? []).find((p) =>
      target.port.number !== undefined ? p.port === target.port.number : p.name === target.port.name,
    );
    return port ? { ip, port: port.port } : undefined;
  };

  const handler = (secure: boolean) => (request: http.IncomingMessage, response: http.ServerResponse) => {
    const match = currentRoutes().match(request.headers.host, request.url ?? '/');
    if (match?.redirectToHttps && !secure) {
      const host = (request.headers.host ?? 'localhost').replace(/:\d+$/, '');
      const port = ports.https === 443 ? '' : `:${ports.https}`;
      response.writeHead(308, { Location: `https://${host}${port}${request.url ?? '/'}` });
      response.end();
      return;
    }
    const target = match && resolveTarget(match.target);
    if (!target) {
      respond(response, 404, '404 Not Found');
      return;
    }
    const headers = { ...request.headers };
    const forwardedFor = request.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = headers['x-forwarded-for']
      ? `${String(headers['x-forwarded-for'])}, ${forwardedFor}`
      : forwardedFor;
    headers['x-forwarded-proto'] = secure ? 'https' : 'http';
    headers['x-forwarded-host'] = request.headers.host ?? '';
    headers['x-real-ip'] = forwardedFor;
    const upstream = http.request(
      {
        method: request.method,
        path: match.rewrittenUrl ?? request.url,
        headers,
        createConnection: (_opts: unknown, done: (error: Error | null, socket?: Duplex) => void) => {
          options.dial(target.ip, target.port).then(
            (socket) => done(null, socket),
            (error: Error) => done(error),
          );
          return undefined;
        },
      } as http.RequestOptions,
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.statusMessage, reply.rawHeaders);
        reply.pipe(response);
      },
    );
    upstream.on('error', () => {
      if (!response.headersSent) respond(response, 503, '503 Service Temporarily Unavailable');
      else response.destroy();
    });
    request.pipe(upstream);
  };

  const upgrade = (request: http.IncomingMessage, client: Duplex, head: Buffer) => {
    const match = currentRoutes().match(request.headers.host, request.url ?? '/');
    const target = match && resolveTarget(match.target);
    if (!target) {
      client.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    options.dial(target.ip, target.port).then(
      (upstream) => {
        const url = match.rewrittenUrl ?? request.url;
        const lines = [`${request.method} ${url} HTTP/${request.httpVersion}`];
        for (let i = 0; i < request.rawHeaders.length; i += 2)
          lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      },
      () => client.end('HTTP/1.1 503 Service Temporarily Unavailable\r\nConnection: close\r\n\r\n'),
    );
  };

  const httpServer = http.createServer(handler(false));
  const httpsServer = https.createServer(
    {
      cert: options.defaultCertificate.certPem,
      key: options.defaultCertificate.keyPem,
      SNICallback: (servername, done) => done(null, secureContextFor(servername)),
    },
    handler(true),
  );
  httpServer.on('upgrade', upgrade);
  httpsServer.on('upgrade', upgrade);

  ingresses.start();
  classes.start();
  services.start();
  secrets.start();
  try {
    ports = {
      http: await listenFirst(httpServer, options.httpPorts ?? HTTP_PORTS, options.bindHost),
      https: await listenFirst(httpsServer, options.httpsPorts ?? HTTPS_PORTS, options.bindHost),
    };
  } catch (error) {
    for (const informer of [ingresses, classes, services, secrets]) informer.stop();
    httpServer.close();
    throw error;
  }
  if (ports.http !== 80 || ports.https !== 443) {
    log(`ingress: host ports 80/443 are taken; serving HTTP on ${ports.http} and HTTPS on ${ports.https}`);
    for (const ingress of served()) {
      recorder.record(
        ingress as KubeObject,
        'Normal',
        'HostPortFallback',
        `host ports 80/443 are taken; HTTP is served on ${ports.http}, HTTPS on ${ports.https}`,
      );
    }
  }
  scheduleStatus();

  return {
    httpPort: ports.http,
    httpsPort: ports.https,
    async stop() {
      cancelStatus?.();
      for (const informer of [ingresses, classes, services, secrets]) informer.stop();
      httpServer.closeAllConnections();
      httpsServer.closeAllConnections();
      await Promise.all([new Promise((r) => httpServer.close(r)), new Promise((r) => httpsServer.close(r))]);
    },
  };
}

function respond(response: http.ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(`${text}\n`);
}

async function listenFirst(server: net.Server, candidates: number[], host: string): Promise<number> {
  let lastError: unknown;
  for (const port of candidates) {
    try {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          resolve();
        });
      });
      return (server.address() as net.AddressInfo).port;
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`no free host port for the ingress router: ${String(lastError)}`);
}

function updateStatus(
  api: ObjectApi,
  ingress: V1Ingress,
  ports: { http: number; https: number },
  log: (m: string) => void,
): void {
  const fallback = ports.http !== 80 || ports.https !== 443;
  const wanted = {
    ip: '127.0.0.1',
    ...(fallback
      ? {
          ports: [
            { port: ports.http, protocol: 'TCP' },
            { port: ports.https, protocol: 'TCP' },
          ],
        }
      : {}),
  };
  const current = ingress.status?.loadBalancer?.ingress ?? [];
  if (current.length === 1 && JSON.stringify(current[0]) === JSON.stringify(wanted)) return;
  const namespace = ingress.metadata?.namespace ?? 'default';
  const name = ingress.metadata?.name ?? '';
  try {
    api.patch(
      INGRESSES,
      namespace,
      name,
      'merge',
      { status: { loadBalancer: { ingress: [wanted] } } },
      { subresource: 'status', fieldManager: FIELD_MANAGER },
    );
  } catch (error) {
    log(`status of ingress ${namespace}/${name}: ${String(error)}`);
  }
}
