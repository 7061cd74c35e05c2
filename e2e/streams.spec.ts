import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import type { E2eEnvironment } from './environment';
import { SCREENSHOTS, readEnvironment } from './environment';

/**
 * Logs in the dashboard against a real cluster (started with the CLI): a 3-replica Deployment
 * followed with per-pod prefixes and searched, and a 200,000-line log downloaded whole and
 * compared with `kubectl logs` byte for byte.
 */
test.describe.configure({ mode: 'serial' });

const IMAGE = 'kubedesk-test/busybox:1';
const PROFILE = `streams-${Date.now().toString(36).slice(-5)}`;
const CLUSTER = encodeURIComponent(`profile:${PROFILE}`);

let env: E2eEnvironment;
let page: Page;

const FLAKY = `apiVersion: v1
kind: Pod
metadata:
  name: flaky
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: main
      image: ${IMAGE}
      imagePullPolicy: Never
      command: ["sh", "-c", "echo \\"boot $(cat /proc/uptime)\\"; sleep 3; exit 1"]
`;

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: chat
spec:
  replicas: 3
  selector:
    matchLabels: {app: chat}
  template:
    metadata:
      labels: {app: chat}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: talk
          image: ${IMAGE}
          imagePullPolicy: Never
          command: ["sh", "-c", "i=0; while true; do echo \\"message $i from $HOSTNAME\\"; i=$((i+1)); sleep 1; done"]
---
apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: main
      image: ${IMAGE}
      imagePullPolicy: Never
      command: ["sh", "-c", "seq 1 200000 | awk '{print \\"row \\" $1 \\" of the big log, with some padding\\"}'; exec sleep 3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: done
spec:
  restartPolicy: Never
  containers:
    - name: once
      image: ${IMAGE}
      imagePullPolicy: Never
      command: ["true"]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: site
spec:
  replicas: 1
  selector:
    matchLabels: {app: site}
  template:
    metadata:
      labels: {app: site}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: httpd
          image: ${IMAGE}
          imagePullPolicy: Never
          command: ["sh", "-c", "mkdir -p /www && echo 'hello from site' > /www/index.html && exec httpd -f -p 8080 -h /www"]
          ports: [{containerPort: 8080, name: web}]
---
apiVersion: v1
kind: Service
metadata:
  name: site
spec:
  type: NodePort
  selector: {app: site}
  ports: [{name: http, port: 80, targetPort: web}]
`;

function cli(args: string[]): string {
  return execFileSync(process.execPath, ['bin/kubedesk.mjs', '-p', PROFILE, ...args], {
    env: {
      ...process.env,
      KUBEDESK_HOME: env.home,
      KUBECONFIG: env.kubeconfig,
      KUBEDESK_PAUSE_IMAGE: process.env.KUBEDESK_PAUSE_IMAGE ?? 'kubedesk-test/pause:1',
      KUBEDESK_AGENT_BASE_IMAGE: process.env.KUBEDESK_AGENT_BASE_IMAGE ?? 'kubedesk-test/node:1',
    },
    encoding: 'utf8',
    timeout: 300_000,
  });
}

function kubectl(args: string[], input?: string): string {
  return execFileSync('kubectl', ['--kubeconfig', env.kubeconfig, '--context', PROFILE, ...args], {
    encoding: 'utf8',
    input,
    maxBuffer: 256 * 1024 * 1024,
    timeout: 180_000,
  });
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
}

test.beforeAll(async ({ browser }) => {
  env = readEnvironment();
  cli(['start']);
  kubectl(['apply', '-f', '-'], MANIFESTS);
  kubectl(['rollout', 'status', 'deployment/chat', '--timeout=180s']);
  kubectl(['wait', '--for=condition=Ready', 'pod/big', '--timeout=180s']);
  kubectl(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/done', '--timeout=180s']);
  kubectl(['rollout', 'status', 'deployment/site', '--timeout=180s']);
  page = await browser.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
});

test.afterAll(async () => {
  await page?.close();
  try {
    cli(['delete']);
  } catch {
    // The global teardown deletes what is left.
  }
});

test('follows every pod of a 3-replica Deployment with per-pod prefixes, and finds a line by search', async () => {
  const pods = kubectl(['get', 'pods', '-l', 'app=chat', '-o', 'jsonpath={.items[*].metadata.name}'])
    .trim()
    .split(/\s+/);
  expect(pods).toHaveLength(3);
  await page.goto(`${env.url}#/c/${CLUSTER}/deployments.apps/default/chat`);
  await page.getByRole('tab', { name: 'Logs' }).click();
  const lines = page.getByTestId('log-lines');
  for (const pod of pods) await expect(lines).toContainText(`[${pod}/talk] message`);
  // New lines keep arriving while following.
  await expect(lines).toContainText(`message 5 from ${pods[1]}`, { timeout: 30_000 });
  await shot('20-logs-deployment-merged');

  await page.getByLabel('Search logs').fill(`message 3 from ${pods[2]}`);
  await expect(page.getByTestId('log-match-count')).toHaveText(/^0\/1$/);
  await page.getByRole('button', { name: 'Next match' }).click();
  await expect(page.getByTestId('log-match-count')).toHaveText('1/1');
  const current = page.locator('.log-line.current');
  await expect(current).toContainText(`message 3 from ${pods[2]}`);
  await expect(current.locator('mark')).toHaveText(`message 3 from ${pods[2]}`);
  await shot('21-logs-search');

  await page.getByLabel('Timestamps').check();
  await expect(page.locator('.log-line .log-time').first()).toHaveText(/^\d{4}-\d\d-\d\dT/);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByText(/paused, \d+ new/)).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Resume' }).click();
});

test('downloads an entire 200,000-line log, byte for byte what kubectl logs prints', async () => {
  await page.goto(`${env.url}#/c/${CLUSTER}/pods/default/big`);
  await page.getByRole('tab', { name: 'Logs' }).click();
  await expect(page.getByTestId('log-lines')).toContainText('row 200000 of the big log', { timeout: 60_000 });
  await expect(page.locator('.log-footer')).toContainText('200,000 lines');
  await shot('22-logs-200k');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download' }).click();
  const download = await downloading;
  const saved = readFileSync((await download.path()) ?? '');
  const expected = execFileSync(
    'kubectl',
    ['--kubeconfig', env.kubeconfig, '--context', PROFILE, 'logs', 'big'],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  expect(saved.length).toBe(expected.length);
  expect(saved.equals(expected)).toBe(true);
  expect(download.suggestedFilename()).toBe('big.log');
});

test('opens a terminal in a pod: echo $HOSTNAME prints the pod name; a second tab; an exited container says so', async () => {
  await page.goto(`${env.url}#/c/${CLUSTER}/pods/default/big`);
  await page.getByRole('tab', { name: 'Terminal' }).click();
  await page.getByRole('button', { name: '+ New terminal' }).click();
  // The test image has no bash: the shell falls back to sh.
  await expect(page.getByTestId('terminal-state')).toContainText('big/main — /bin/sh');
  await page.getByTestId('terminal').click();
  await page.keyboard.type('echo $HOSTNAME\n');
  await expect
    .poll(async () => (await page.locator('.xterm-rows > div').allInnerTexts()).map((t) => t.trim()))
    .toContain('big');
  await shot('23-terminal');
  await page.getByRole('button', { name: '+ New terminal' }).click();
  await expect(page.getByRole('tab', { name: 'main #2' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('terminal-state').nth(1)).toContainText('/bin/sh');
  await page.getByRole('button', { name: 'Close terminal 2' }).click();

  await page.goto(`${env.url}#/c/${CLUSTER}/pods/default/done`);
  await page.getByRole('tab', { name: 'Terminal' }).click();
  await page.getByRole('button', { name: '+ New terminal' }).click();
  await expect(page.getByTestId('terminal-state')).toContainText(
    'container once has exited (Completed, exit code 0)',
  );
  await shot('24-terminal-exited');
});

test('kubectl top pods and nodes print numbers', async () => {
  let out = '';
  await expect
    .poll(
      () => {
        try {
          out = kubectl(['top', 'pods']);
        } catch {
          out = '';
        }
        return /^big\s+\d+m\s+\d+Mi\s*$/m.test(out);
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  expect(kubectl(['top', 'nodes'])).toMatch(
    new RegExp(`^${PROFILE}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%`, 'm'),
  );
});

test('a NodePort Service shows its host URL, which answers; a tunnel to it answers and stops', async () => {
  await page.goto(`${env.url}#/c/${CLUSTER}/services/default/site`);
  await page.getByRole('tab', { name: 'Access' }).click();
  const link = page.getByTestId('access-link');
  await expect(link).toHaveText(/^http:\/\/127\.0\.0\.1:\d+$/);
  const url = (await link.textContent()) ?? '';
  await expect
    .poll(async () =>
      (
        await fetch(url)
          .then((r) => r.text())
          .catch(() => '')
      ).trim(),
    )
    .toBe('hello from site');

  await page.getByRole('button', { name: 'Start tunnel' }).click();
  const tunnel = page.getByTestId('tunnels').locator('a').first();
  await expect(tunnel).toHaveText(/^http:\/\/127\.0\.0\.1:\d+$/);
  const tunnelUrl = (await tunnel.textContent()) ?? '';
  expect((await (await fetch(tunnelUrl)).text()).trim()).toBe('hello from site');
  await shot('25-service-access');
  await page.getByTestId('tunnels').getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByText('No tunnels open.')).toBeVisible();
  await expect(fetch(tunnelUrl)).rejects.toThrow();
});

test('a pod and a node show non-empty CPU charts', async () => {
  await page.goto(`${env.url}#/c/${CLUSTER}/pods/default/big`);
  await page.getByRole('tab', { name: 'Metrics' }).click();
  const cpu = page.getByTestId('cpu-chart');
  // Two samples draw a line; metrics.k8s.io serves a new window every few seconds.
  await expect
    .poll(async () => ((await cpu.locator('polyline').getAttribute('points')) ?? '').split(' ').length, {
      timeout: 60_000,
    })
    .toBeGreaterThanOrEqual(2);
  await expect(cpu.locator('.usage-now')).toHaveText(/^\d+m$|cores$/);
  await expect(page.getByTestId('memory-chart').locator('.usage-now')).toHaveText(/MiB$/);
  await shot('26-pod-metrics');
  await page.goto(`${env.url}#/c/${CLUSTER}/nodes/_/${PROFILE}`);
  await page.getByRole('tab', { name: 'Metrics' }).click();
  await expect(page.getByTestId('cpu-chart').locator('.usage-now')).toHaveText(/^\d+m$|cores$/, {
    timeout: 30_000,
  });
  await shot('27-node-metrics');
});

test('logs of a restarting pod carry on by themselves after each restart', async () => {
  // Created now, so the restart back-off is still short.
  kubectl(['apply', '-f', '-'], FLAKY);
  await page.goto(`${env.url}#/c/${CLUSTER}/pods/default/flaky`);
  await page.getByRole('tab', { name: 'Logs' }).click();
  const boots = page.locator('.log-line', { hasText: /^boot / });
  await expect.poll(() => boots.count(), { timeout: 90_000 }).toBeGreaterThanOrEqual(2);
  await shot('28-logs-after-restart');
});
