import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What global setup prepared, shared with the specs through a file. */
export interface E2eEnvironment {
  /** Dashboard URL with its token (no hash). */
  url: string;
  dashboardPid: number;
  home: string;
  kubeconfig: string;
  /** The profile the specs create from the UI. */
  profile: string;
}

/**
 * Where this run's environment is written. One file per run (global setup sets the variable, and
 * Playwright hands it to the workers), so runs in parallel never read each other's dashboard.
 */
export function stateFile(): string {
  process.env.KUBEDESK_E2E_STATE ??= join(tmpdir(), `kubedesk-e2e-state-${process.pid}-${Date.now()}.json`);
  return process.env.KUBEDESK_E2E_STATE;
}
export const SCREENSHOTS = 'test-results/screenshots';

export function readEnvironment(): E2eEnvironment {
  return JSON.parse(readFileSync(stateFile(), 'utf8')) as E2eEnvironment;
}
