import type { ProfileConfig, ProfilePki } from './profiles/types';

/**
 * Wires one local cluster: store, API server, controllers, scheduler, kubelets and network.
 * Everything a profile runs lives in the process that calls `startCluster`.
 */
export interface ClusterOptions {
  config: ProfileConfig;
  /** The profile's folder (state database, logs). */
  profileDir: string;
  pki: ProfilePki;
  /** Reports start phases as they happen ("store", "apiserver", …) for progress output. */
  onPhase?: (phase: string) => void;
}

export interface RunningCluster {
  /** The port the API server listens on (127.0.0.1). */
  port: number;
  /** Stops serving and closes the store; containers keep running (they are re-adopted). */
  stop(): Promise<void>;
}

export async function startCluster(_options: ClusterOptions): Promise<RunningCluster> {
  throw new Error('startCluster: not wired yet');
}
