import type { CliIo } from './io';

/**
 * Prints a start's steps: the running step as `… label` (on a terminal, redrawn as `✓ label` when
 * it ends), finished steps as `✓ label`, failed ones as `✗ label`. Off a terminal only finished
 * and failed steps are printed, one line each, so logs stay clean.
 */
export class Progress {
  private current: string | undefined;

  constructor(private readonly io: CliIo) {}

  /** Ends the running step (as done) and starts `label`. */
  step(label: string): void {
    this.done();
    this.current = label;
    if (this.io.isTTY) this.io.out(`… ${label}`);
  }

  /** Ends the running step as done; `label` replaces its text (e.g. to add a detail learnt meanwhile). */
  done(label?: string): void {
    if (this.current === undefined) return;
    this.finish('✓', label ?? this.current);
  }

  /** Ends the running step as failed. */
  fail(): void {
    if (this.current === undefined) return;
    this.finish('✗', this.current);
  }

  /** A step that is over as soon as it is told. */
  note(label: string): void {
    this.done();
    this.io.out(`✓ ${label}\n`);
  }

  private finish(mark: string, label: string): void {
    this.io.out(this.io.isTTY ? `\r\x1b[2K${mark} ${label}\n` : `${mark} ${label}\n`);
    this.current = undefined;
  }
}

const PHASE_LABELS: Record<string, string> = {
  profile: 'Loading profile',
  pki: 'Loading certificates',
  cluster: 'Starting the cluster',
  docker: 'Connecting to Docker',
  store: 'Opening the state store',
  apiserver: 'Starting the API server',
  'api-server': 'Starting the API server',
  controllers: 'Starting controllers',
  scheduler: 'Starting the scheduler',
  network: 'Setting up the cluster network',
  nodes: 'Starting nodes',
  kubelet: 'Starting nodes',
  kubelets: 'Starting nodes',
  addons: 'Enabling addons',
  'api-ready': 'Waiting for the API server',
};

/** The words shown for an engine phase; unknown phases are shown as they are named. */
export function phaseLabel(phase: string): string {
  return PHASE_LABELS[phase] ?? phase.charAt(0).toUpperCase() + phase.slice(1).replace(/[-_]/g, ' ');
}
