import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import type { E2eEnvironment } from './environment';
import { SCREENSHOTS, readEnvironment } from './environment';

/**
 * The dashboard against a real local cluster, driven like a user: create and start a profile from
 * the home view, browse it, deploy from pasted YAML, scale, roll out and undo, delete, stop.
 */
test.describe.configure({ mode: 'serial' });

let env: E2eEnvironment;
let page: Page;

const DEPLOYMENT = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: ${image}
          command: ["sleep", "3600"]
`;

const CONFIGMAP_AND_SECRET = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: demo
---
apiVersion: v1
kind: Secret
metadata:
  name: credentials
stringData:
  password: hunter2
`;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
}

async function openView(title: string): Promise<void> {
  await page.locator('.nav-item', { hasText: new RegExp(`^${title}$`) }).click();
  await expect(page.locator('.list-head h1')).toContainText(
    title === 'PVCs' ? 'PersistentVolumeClaims' : title,
  );
}

function row(name: string) {
  return page.locator('.tr', { has: page.locator('.td', { hasText: new RegExp(`^${name}$`) }) });
}

/** Whether the cluster runs workload controllers (pods appear for a Deployment). */
async function controllersRun(): Promise<boolean> {
  await openView('ReplicaSets');
  try {
    await expect(page.locator('.tr').first()).toBeVisible({ timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

test.beforeAll(async ({ browser }) => {
  env = readEnvironment();
  page = await browser.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
});

test.afterAll(async () => {
  await page.close();
});

test('creates and starts a cluster from the home view, showing its phases', async () => {
  await page.goto(`${env.url}#/`);
  await expect(page.getByRole('heading', { name: 'Local clusters' })).toBeVisible();
  await expect(page.locator('.context-row', { hasText: 'staging-eks' })).toBeVisible();
  await page.getByRole('button', { name: '+ New cluster' }).click();
  await expect(page.getByRole('dialog', { name: 'New local cluster' })).toBeVisible();
  await shot('01-create-cluster-dialog');
  await page.getByLabel('Name').fill(env.profile);
  await page.getByRole('button', { name: 'Create and start' }).click();

  const card = page.getByTestId(`profile-${env.profile}`);
  await expect(card).toBeVisible();
  // Phases stream in while the engine starts.
  await expect(card.locator('.progress-steps li').first()).toBeVisible({ timeout: 30_000 });
  await expect(card.locator('.status', { hasText: 'Running' })).toBeVisible({ timeout: 180_000 });
  await expect(card.locator('.progress-steps')).toContainText('Starting');
  await shot('02-home-running');
});

test('opens the cluster: namespaces, nodes, and the namespace switcher', async () => {
  const card = page.getByTestId(`profile-${env.profile}`);
  await card.getByRole('button', { name: 'Open' }).click();
  await expect(page.locator('.list-head h1')).toContainText('Pods');
  await expect(page.getByLabel('Cluster')).toHaveValue(`profile:${env.profile}`);
  await expect(
    page.getByLabel('Cluster').locator('option', { hasText: 'staging-eks (context)' }),
  ).toHaveCount(1);
  await openView('Namespaces');
  for (const ns of ['default', 'kube-system', 'kube-public']) await expect(row(ns)).toBeVisible();
  await shot('03-namespaces');
  await openView('Nodes');
  await expect(row(env.profile)).toBeVisible();
  await expect(row(env.profile).locator('.status')).toContainText('Ready');
  await shot('04-nodes');
  await row(env.profile).click();
  await page.getByRole('button', { name: 'Cordon' }).click();
  await expect(page.locator('.detail-head h1 .status')).toContainText('SchedulingDisabled');
  await shot('04b-node-cordoned');
  await page.getByRole('button', { name: 'Uncordon' }).click();
  await expect(page.locator('.detail-head h1 .status')).toHaveText('Ready');

  // Types without a view of their own get the generic one, from discovery.
  await page.getByRole('button', { name: /More types/ }).click();
  await page.locator('.nav-item', { hasText: /^Lease$/ }).click();
  await page.getByLabel('Namespace').selectOption('kube-node-lease');
  await expect(row(env.profile)).toBeVisible();
  await shot('04c-generic-leases');

  await page.getByLabel('Namespace').selectOption({ label: 'All namespaces' });
  await openView('ConfigMaps');
  // kube-root-ca.crt lives in every namespace once the publisher runs; the column shows namespaces.
  await expect(page.locator('.th', { hasText: 'Namespace' })).toBeVisible();
  await page.getByLabel('Namespace').selectOption('default');
  await expect(page.locator('.th', { hasText: 'Namespace' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel('Namespace')).toHaveValue('default');
});

test('says what keeps the cluster from working while a node is not Ready', async () => {
  // The engine reports a node NotReady with its cause when Docker stops answering (proven against a
  // real dockerd restart in the reliability tests); here the node's status says so directly.
  const setReady = (status: string, message: string) =>
    execFileSync('kubectl', [
      ...['--kubeconfig', env.kubeconfig, '--context', env.profile],
      ...['patch', 'node', env.profile, '--subresource=status', '--type=strategic', '-p'],
      JSON.stringify({
        status: { conditions: [{ type: 'Ready', status, reason: 'KubeletNotReady', message }] },
      }),
    ]);
  setReady('False', 'container runtime is down: Docker engine not reachable (e2e)');
  const banner = page.getByRole('alert', { name: 'Cluster problems' });
  await expect(banner).toContainText(
    `node ${env.profile} is not Ready: container runtime is down: Docker engine not reachable (e2e)`,
    { timeout: 15_000 },
  );
  // The state pill beside the cluster picker agrees with the banner.
  const pill = page.locator('.sidebar .status');
  await expect(pill).toHaveText('Degraded');
  await shot('04d-cluster-problem');
  setReady('True', 'kubelet is posting ready status');
  await expect(banner).toHaveCount(0, { timeout: 15_000 });
  await expect(pill).toHaveText('Running');
});

test('deploys from pasted YAML and shows it live', async () => {
  await openView('Deployments');
  await page.getByRole('button', { name: '+ Create' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create from YAML' });
  await dialog.getByLabel('YAML').fill('kind: [');
  await expect(dialog.locator('.problems')).toBeVisible();
  await dialog.getByLabel('YAML').fill(DEPLOYMENT('kubedesk-test/busybox:1'));
  await expect(dialog.locator('.server-check.ok')).toBeVisible();
  await shot('05-create-from-yaml');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('.toast', { hasText: 'deployment/web created' })).toBeVisible();
  await expect(row('web')).toBeVisible();
  await expect(page.locator('.live.on')).toHaveText('Live');

  await page.getByRole('button', { name: '+ Create' }).click();
  const second = page.getByRole('dialog', { name: 'Create from YAML' });
  await second.getByLabel('YAML').fill(CONFIGMAP_AND_SECRET);
  await second.getByRole('button', { name: 'Apply' }).click();
  await expect(
    page.locator('.toast', { hasText: 'configmap/settings created, secret/credentials created' }),
  ).toBeVisible();
  await shot('06-deployments');
});

test('shows secret values only when revealed', async () => {
  await openView('Secrets');
  await row('credentials').click();
  const value = page.getByTestId('data-password');
  await expect(value).toHaveText('••••••••');
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(value).toHaveText('hunter2');
  await shot('07-secret-revealed');
});

test('shows server errors with their causes when an edit is refused', async () => {
  await openView('Deployments');
  await row('web').click();
  await expect(page.locator('.detail-head h1')).toContainText('web');
  // Read the YAML once the controllers have settled, so the edit below starts from what is shown.
  await expect(page.locator('.detail-head h1 .status')).toContainText('Available', { timeout: 60_000 });
  await page.getByRole('tab', { name: 'YAML' }).click();
  const editor = page.getByLabel('Object YAML');
  const yaml = await editor.inputValue();
  await editor.fill(yaml.replace(/replicas: 1/, 'replicas: -1'));
  const error = page.locator('.error-box');
  // Checked with the server (dry run) while typing, before anything is applied.
  await expect(error).toContainText('The server would refuse this');
  await expect(error).toContainText('spec.replicas');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(error).toContainText('The server refused the change');
  await expect(error).toContainText('Invalid');
  await expect(error).toContainText('spec.replicas');
  await shot('08-yaml-error');
  await page.getByRole('button', { name: 'Revert' }).click();
  await expect(error).toHaveCount(0);
});

test('scales to 3 and back to 1', async () => {
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByRole('button', { name: 'Scale' }).click();
  const dialog = page.getByRole('dialog', { name: 'Scale web' });
  await dialog.getByLabel('Replicas').fill('3');
  await dialog.getByRole('button', { name: 'Scale' }).click();
  await expect(page.locator('.fact', { hasText: 'Replicas' })).toContainText('3 desired');
  await page.getByRole('tab', { name: 'YAML' }).click();
  await expect(page.getByLabel('Object YAML')).toHaveValue(/\n {2}replicas: 3\n/);
  await page.getByRole('tab', { name: 'Overview' }).click();
  await shot('09-deployment-detail');

  if (await controllersRun()) {
    await openView('Pods');
    await expect(page.locator('.tr', { hasText: /^web-/ })).toHaveCount(3, { timeout: 60_000 });
    await shot('10-pods-live');
  }
  await openView('Deployments');
  await row('web').click();
  await page.getByRole('button', { name: 'Scale' }).click();
  await page.getByRole('dialog', { name: 'Scale web' }).getByLabel('Replicas').fill('1');
  await page.getByRole('dialog', { name: 'Scale web' }).getByRole('button', { name: 'Scale' }).click();
  await expect(page.locator('.fact', { hasText: 'Replicas' })).toContainText('1 desired');
});

test('rolls out a new image and undoes it from the history', async () => {
  await page.getByRole('tab', { name: 'YAML' }).click();
  const editor = page.getByLabel('Object YAML');
  await editor.fill(
    (await editor.inputValue()).replace('kubedesk-test/busybox:1', 'kubedesk-test/busybox:2'),
  );
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('.toast', { hasText: 'deployment/web saved' })).toBeVisible();
  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(page.locator('.fact', { hasText: 'Images' })).toContainText('kubedesk-test/busybox:2');

  await page.getByRole('button', { name: 'History / Undo' }).click();
  const history = page.getByRole('dialog', { name: 'Rollout history — web' });
  const revisions = history.locator('.revision');
  const withControllers = await revisions
    .nth(1)
    .waitFor({ timeout: 20_000 })
    .then(
      () => true,
      () => false,
    );
  await shot('11-rollout-history');
  if (withControllers) {
    await expect(history.locator('.diff-col').first()).toContainText('kubedesk-test/busybox:1');
    await history.getByRole('button', { name: /Roll back to revision/ }).click();
    await expect(page.locator('.toast', { hasText: /rolled back to revision/ })).toBeVisible();
    await history.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(page.locator('.fact', { hasText: 'Images' })).toContainText('kubedesk-test/busybox:1');
  } else {
    await expect(history.locator('.empty')).toContainText('No revisions');
    await history.getByRole('button', { name: 'Close', exact: true }).click();
  }
});

test('finds objects with the command palette', async () => {
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByLabel('Search').fill('settings');
  await expect(palette.getByRole('option').first()).toContainText('ConfigMap');
  await shot('12-command-palette');
  await palette.getByLabel('Search').press('Enter');
  await expect(page.locator('.detail-head h1')).toContainText('settings');
});

test('switches to the dark theme', async () => {
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', /dark|light/);
  const theme = await page.locator('html').getAttribute('data-theme');
  if (theme !== 'dark') await page.getByRole('button', { name: 'Toggle theme' }).click();
  await openView('Deployments');
  await shot('13-deployments-dark');
  await openView('Events');
  await shot('14-events-dark');
  await page.getByRole('button', { name: 'Toggle theme' }).click();
});

test('deletes the Deployment with a propagation choice', async () => {
  await openView('Deployments');
  await row('web').click();
  await page.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: /Delete Deployment/ });
  await dialog.getByLabel(/Foreground/).check();
  await shot('15-delete-dialog');
  // Background: the Deployment goes at once; its ReplicaSets and pods follow through the collector.
  await dialog.getByLabel(/Background/).check();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page.locator('.list-head h1')).toContainText('Deployments');
  await expect(row('web')).toHaveCount(0, { timeout: 60_000 });
});

test('stops and deletes the cluster from the home view', async () => {
  await page.getByRole('button', { name: '← Clusters' }).click();
  const card = page.getByTestId(`profile-${env.profile}`);
  await card.getByRole('button', { name: 'Stop' }).click();
  await expect(card.locator('.status', { hasText: 'Stopped' })).toBeVisible({ timeout: 60_000 });
  await shot('16-home-stopped');
  await card.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete cluster' }).click();
  await expect(card).toHaveCount(0, { timeout: 60_000 });
});
