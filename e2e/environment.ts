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

export const STATE_FILE = join(tmpdir(), 'kubedesk-e2e-state.json');
export const SCREENSHOTS = 'test-results/screenshots';

export function readEnvironment(): E2eEnvironment {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as E2eEnvironment;
}
