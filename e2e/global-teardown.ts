import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { readEnvironment, stateFile } from './environment';

/** Stops the dashboard and deletes whatever profile the specs left behind. */
export default async function globalTeardown(): Promise<void> {
  const state = readEnvironment();
  try {
    process.kill(state.dashboardPid, 'SIGTERM');
  } catch {
    // Already gone.
  }
  try {
    execFileSync(process.execPath, ['bin/kubedesk.mjs', 'delete', '--all'], {
      env: { ...process.env, KUBEDESK_HOME: state.home, KUBECONFIG: state.kubeconfig },
      stdio: 'inherit',
      timeout: 120_000,
    });
  } catch {
    // Reported above; the temporary folder is removed regardless.
  }
  rmSync(dirname(state.home), { recursive: true, force: true });
  rmSync(stateFile(), { force: true });
}
