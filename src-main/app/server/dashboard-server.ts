import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { RawData } from 'ws';
import { WebSocketServer } from 'ws';
import type { ClientFrame, PushChannel, PushMap, ServerFrame, Session } from '../../ipc/contract';
import type { Backend } from '../backend';

export interface DashboardServerOptions {
  backend: Backend;
  /** Folder with the built renderer (index.html and assets). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token (tests); a random one otherwise. */
  token?: string;
}

export interface DashboardServer {
  /** `http://127.0.0.1:<port>/?token=<token>` — the only way in. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Serves the renderer on 127.0.0.1 and the contract over a WebSocket at `/ws`. The socket only
 * opens with the session's token and from the dashboard's own origin, so other pages in the
 * browser (and other users' processes guessing ports) cannot drive the cluster. Static files hold
 * no data and are served to anyone who can reach the loopback port.
 */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const server = createServer((req, res) => {
    serveStatic(options.staticDir, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 * 1024 });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const host = req.headers.host;
    const sameOrigin = origin === undefined || origin === `http://${host}`;
    if (url.pathname !== '/ws' || !tokenMatches(url.searchParams.get('token'), token) || !sameOrigin) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const cleanups: (() => void)[] = [];
      let closed = false;
      const session: Session = {
        id: randomUUID(),
        push<C extends PushChannel>(channel: C, payload: PushMap[C]) {
          if (closed || ws.readyState !== ws.OPEN) return;
          const frame: ServerFrame = { t: 'push', channel, payload };
          ws.send(JSON.stringify(frame));
        },
        onClose(cleanup) {
          if (closed) cleanup();
          else cleanups.push(cleanup);
        },
      };
      options.backend.connect(session);
      ws.on('message', (data: RawData) => {
        const frame = parseFrame(data);
        if (!frame) return;
        void options.backend.invoke(frame.channel, frame.request, session).then((outcome) => {
          if (ws.readyState !== ws.OPEN) return;
          const reply: ServerFrame = { t: 'result', id: frame.id, outcome };
          ws.send(JSON.stringify(reply));
        });
      });
      ws.on('close', () => {
        closed = true;
        for (const cleanup of cleanups.splice(0)) cleanup();
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function tokenMatches(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function parseFrame(data: RawData): ClientFrame | undefined {
  try {
    const value = JSON.parse(data.toString()) as Partial<ClientFrame>;
    if (value.t === 'invoke' && typeof value.id === 'number' && typeof value.channel === 'string') {
      return value as ClientFrame;
    }
  } catch {
    // Not a frame of ours: ignored, the client gets no answer for garbage.
  }
  return undefined;
}

/** The page's policy: scripts and styles from the dashboard only; the socket back to it. */
function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ws://${host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  let relative = decodeURIComponent(url.pathname);
  if (relative === '/' || !extname(relative)) relative = '/index.html';
  const base = resolve(root);
  const path = normalize(join(base, relative));
  if (!path.startsWith(base + sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a file');
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  const body = await readFile(path);
  res.writeHead(200, {
    'Content-Type': MIME[extname(path)] ?? 'application/octet-stream',
    'Content-Security-Policy': contentSecurityPolicy(req.headers.host ?? '127.0.0.1'),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': relative.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
