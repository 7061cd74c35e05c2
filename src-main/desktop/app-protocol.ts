import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from './window-security';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Answers a request for `app://kubedesk/<path>` from the built renderer in `root`, with the CSP
 * header on every answer. Paths outside `root` are refused; unknown paths without an extension
 * get index.html (client-side routes).
 */
export async function serveAppRequest(url: string, root: string): Promise<Response> {
  const { pathname } = new URL(url);
  let relative = decodeURIComponent(pathname);
  if (relative === '/' || !extname(relative)) relative = '/index.html';
  const base = resolve(root);
  const path = normalize(join(base, relative));
  const headers = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
  };
  if (!path.startsWith(base + sep)) return new Response('forbidden', { status: 403, headers });
  try {
    const body = await readFile(path);
    return new Response(body, {
      status: 200,
      headers: { ...headers, 'Content-Type': MIME[extname(path)] ?? 'application/octet-stream' },
    });
  } catch {
    return new Response('not found', { status: 404, headers });
  }
}
