import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sendJson, Warnings } from './respond';

describe('Warning headers', () => {
  it('carries warnings quoting any user input, escaped to printable ASCII', async () => {
    const warnings = new Warnings();
    const field = 'unknown field "spec.é💥\u0000\u007f\ufffd"';
    warnings.add(field);
    const server = createServer((_req, res) => sendJson(res, 200, { ok: true }, {}, warnings));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const raw = await new Promise<{ status: number; warning: string }>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: '/' }, (res) => {
          res.resume();
          const header =
            res.rawHeaders[res.rawHeaders.findIndex((h) => h.toLowerCase() === 'warning') + 1] ?? '';
          resolve({ status: res.statusCode ?? 0, warning: header });
        }).on('error', reject);
      });
      expect(raw.status).toBe(200);
      expect(raw.warning).toBe('299 - "unknown field \\"spec.\\u00e9\\ud83d\\udca5\\u0000\\u007f\\ufffd\\""');
      expect(JSON.parse(raw.warning.slice('299 - '.length))).toBe(field);
    } finally {
      server.close();
    }
  });
});
