import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import type { E2eEnvironment } from './environment';
import { SCREENSHOTS, readEnvironment } from './environment';

/**
 * The Images view against a real cluster: the host's images listed, an image built from a folder
 * with its build log shown live, and that image deployed with one click and answering on the
 * Service's host URL.
 */
test.describe.configure({ mode: 'serial' });

const RUN = Date.now().toString(36).slice(-5);
const PROFILE = `images-${RUN}`;
const CLUSTER = encodeURIComponent(`profile:${PROFILE}`);
const BUILT = `kubedesk-e2e/site${RUN}:1`;
const NAME = `site${RUN}`;

let env: E2eEnvironment;
let page: Page;
let folder: string;
let pushed: string | undefined;

function cli(args: string[]): string {
  return execFileSync(process.execPath, ['bin/kubedesk.mjs', '-p', PROFILE, ...args], {
    env: {
      ...process.env,
      KUBEDESK_HOME: env.home,
      KUBECONFIG: env.kubeconfig,
      KUBEDESK_PAUSE_IMAGE: process.env.KUBEDESK_PAUSE_IMAGE ?? 'kubedesk-test/pause:1',
      KUBEDESK_AGENT_BASE_IMAGE: process.env.KUBEDESK_AGENT_BASE_IMAGE ?? 'kubedesk-test/node:1',
      KUBEDESK_REGISTRY_IMAGE: process.env.KUBEDESK_REGISTRY_IMAGE ?? 'kubedesk-test/registry:1',
    },
    encoding: 'utf8',
    timeout: 300_000,
  });
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
}

test.beforeAll(async ({ browser }) => {
  env = readEnvironment();
  cli(['start']);
  folder = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-build-'));
  writeFileSync(join(folder, 'index.html'), `hello from ${NAME}\n`);
  writeFileSync(
    join(folder, 'Dockerfile'),
    [
      'FROM kubedesk-test/busybox:1',
      'ARG GREETING=unset',
      'RUN echo "greeting is $GREETING"',
      'COPY index.html /www/index.html',
      'CMD ["httpd","-f","-p","8080","-h","/www"]',
      '',
    ].join('\n'),
  );
  page = await browser.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
});

test.afterAll(async () => {
  await page?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
  try {
    execFileSync('docker', ['rmi', '-f', BUILT, ...(pushed ? [pushed] : [])], { stdio: 'ignore' });
  } catch {
    // Already gone.
  }
  try {
    cli(['delete']);
  } catch {
    // The global teardown deletes what is left.
  }
});

test('lists the host images', async () => {
  await page.goto(`${env.url}#/c/${CLUSTER}/images`);
  await expect(page.getByRole('heading', { name: 'Images' })).toBeVisible();
  await page.getByLabel('Filter images').fill('kubedesk-test/busybox');
  const row = page.getByTestId('image-row').filter({ hasText: 'kubedesk-test/busybox' }).first();
  await expect(row).toBeVisible();
  const tagged = page
    .getByTestId('image-row')
    .filter({ hasText: 'kubedesk-test/busybox' })
    .filter({ has: page.locator('.td', { hasText: /^1$/ }) });
  await expect(tagged).toHaveCount(1);
  await shot('30-images-list');
});

test('builds an image from a folder with build args, showing the build log', async () => {
  await page.getByLabel('Build folder').fill(folder);
  await page.getByLabel('Image tag').fill(BUILT);
  await page.getByLabel('Build args').fill(`GREETING=hi-${RUN}`);
  await page.getByTestId('image-build').getByRole('button', { name: 'Build' }).click();
  const log = page.getByTestId('build-log');
  await expect(log).toContainText('Step 1/5 : FROM kubedesk-test/busybox:1');
  await expect(log).toContainText(`greeting is hi-${RUN}`);
  await expect(page.getByTestId('build-result')).toContainText(`Built ${BUILT}`, { timeout: 120_000 });
  await page.getByLabel('Filter images').fill(`site${RUN}`);
  await expect(page.getByTestId('image-row').filter({ hasText: `kubedesk-e2e/site${RUN}` })).toHaveCount(1);
  await shot('31-images-build-log');
});

test('deploys the built image and its Service answers on the host URL', async () => {
  const row = page.getByTestId('image-row').filter({ hasText: `kubedesk-e2e/site${RUN}` });
  await row.getByRole('button', { name: 'Deploy' }).click();
  const panel = page.getByTestId('image-deploy');
  await expect(panel.getByLabel('Deployment name')).toHaveValue(NAME);
  await panel.getByLabel('Container port').fill('8080');
  await panel.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(page.getByTestId('deploy-result')).toContainText(`deployment/${NAME} created`);
  await expect(page.getByTestId('deploy-result')).toContainText(`service/${NAME} created`);
  const link = page.getByTestId('deploy-link').first();
  await expect(link).toBeVisible({ timeout: 30_000 });
  const url = (await link.getAttribute('href')) ?? '';
  expect(url).toMatch(/^http:\/\//);
  await expect
    .poll(
      async () => {
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
          return response.ok ? await response.text() : `HTTP ${response.status}`;
        } catch (error) {
          return String(error);
        }
      },
      { timeout: 180_000, intervals: [2_000] },
    )
    .toBe(`hello from ${NAME}\n`);
  await shot('32-images-deployed');
});

test('pushes the built image to the cluster registry addon with per-layer progress', async () => {
  const enabled = cli(['addons', 'enable', 'registry', '--wait-timeout', '120']);
  const address = /at (localhost:\d+)/.exec(enabled)?.[1];
  expect(address, enabled).toBeDefined();
  await page.reload();
  await page.getByLabel('Filter images').fill(`site${RUN}`);
  const row = page
    .getByTestId('image-row')
    .filter({ hasText: `kubedesk-e2e/site${RUN}` })
    .first();
  await row.getByRole('button', { name: 'Push' }).click();
  const panel = page.getByTestId('image-push');
  await expect(panel).toContainText(`The cluster registry is at ${address}`);
  pushed = `${address}/${BUILT}`;
  await expect(panel.getByLabel('Push as')).toHaveValue(pushed);
  await panel.getByRole('button', { name: 'Push', exact: true }).click();
  await expect(page.getByTestId('push-result')).toContainText(`Pushed ${pushed}`, { timeout: 120_000 });
  await expect(page.getByTestId('push-log')).toContainText('Pushed');
  await shot('33-images-pushed');
});
