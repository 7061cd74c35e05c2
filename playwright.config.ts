import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests: the dashboard in the system Chromium against a real local cluster (see
 * e2e/global-setup.ts), and the desktop app where an Electron binary exists.
 */
// One output folder per run: Playwright empties its output folder when a run starts, which would
// pull traces from under a run already going in the same checkout. Workers inherit the variable.
process.env.KUBEDESK_E2E_RUN ??= new Date().toISOString().replace(/[:.]/g, '-');

export default defineConfig({
  testDir: 'e2e',
  outputDir: `test-results/e2e/${process.env.KUBEDESK_E2E_RUN}`,
  timeout: 300_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  globalSetup: './e2e/global-setup.ts',
  globalTeardown: './e2e/global-teardown.ts',
  use: {
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
