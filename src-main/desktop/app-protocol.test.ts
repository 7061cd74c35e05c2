import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveAppRequest } from './app-protocol';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-app-'));
  await mkdir(join(dir, 'renderer', 'assets'), { recursive: true });
  await writeFile(join(dir, 'renderer', 'index.html'), '<html>app</html>');
  await writeFile(join(dir, 'renderer', 'assets', 'a.js'), 'x');
  await writeFile(join(dir, 'private.txt'), 'secret');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('serves the renderer with the CSP and refuses paths outside it', async () => {
    const root = join(dir, 'renderer');
    const index = await serveAppRequest('app://kubedesk/index.html', root);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await serveAppRequest('app://kubedesk/assets/a.js', root)).headers.get('content-type')).toContain(
      'javascript',
    );
    expect(await (await serveAppRequest('app://kubedesk/c/profile:x/pods', root)).text()).toBe(
      '<html>app</html>',
    );
    const escape = await serveAppRequest('app://kubedesk/..%2fprivate.txt', root);
    expect(escape.status).toBe(403);
    expect((await serveAppRequest('app://kubedesk/missing.js', root)).status).toBe(404);
  });
});
