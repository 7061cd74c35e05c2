import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { E2eEnvironment } from './environment';
import { SCREENSHOTS, stateFile } from './environment';

/**
 * Builds the renderer, then runs `kubedesk dashboard` with a private KUBEDESK_HOME and KUBECONFIG
 * (so no real profile or kubeconfig is touched) and records its URL for the specs.
 */
export default async function globalSetup(): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  // A second tag of the test image, for the roll-out-and-undo flow.
  execFileSync('docker', ['tag', 'kubedesk-test/busybox:1', 'kubedesk-test/busybox:2']);
  const dir = mkdtempSync(join(tmpdir(), 'kubedesk-e2e-'));
  const home = join(dir, 'home');
  const kubeconfig = join(dir, 'kubeconfig');
  // A foreign context, so the contexts list has something besides our profile.
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: remote',
      '  cluster: {server: "https://203.0.113.10:6443"}',
      'users:',
      '- name: remote',
      '  user: {token: abc}',
      'contexts:',
      '- name: staging-eks',
      '  context: {cluster: remote, user: remote, namespace: shop}',
      'current-context: staging-eks',
      '',
    ].join('\n'),
  );
  const env = {
    ...process.env,
    KUBEDESK_HOME: home,
    KUBECONFIG: kubeconfig,
    KUBEDESK_PAUSE_IMAGE: process.env.KUBEDESK_PAUSE_IMAGE ?? 'kubedesk-test/pause:1',
    KUBEDESK_AGENT_BASE_IMAGE: process.env.KUBEDESK_AGENT_BASE_IMAGE ?? 'kubedesk-test/node:1',
    KUBEDESK_REGISTRY_IMAGE: process.env.KUBEDESK_REGISTRY_IMAGE ?? 'kubedesk-test/registry:1',
  };
  const child = spawn(process.execPath, ['bin/kubedesk.mjs', 'dashboard', '--no-open'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`dashboard did not print its URL: ${out}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Dashboard: (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].split('#')[0]);
      }
    });
    child.once('exit', (code) => reject(new Error(`dashboard exited (${code}): ${out}`)));
  });
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  child.unref();
  const state: E2eEnvironment = {
    url,
    dashboardPid: child.pid ?? 0,
    home,
    kubeconfig,
    profile: `e2e-${Date.now().toString(36).slice(-5)}`,
  };
  writeFileSync(stateFile(), JSON.stringify(state));
}
