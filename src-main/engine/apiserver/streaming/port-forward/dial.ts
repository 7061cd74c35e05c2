import type { Duplex } from 'node:stream';

/** Opens a TCP connection to a port inside the pod's network namespace. */
export type PodDialer = (port: number) => Promise<Duplex>;

/** Parses a port as Kubernetes accepts it: an integer in 1–65535. */
export function parsePort(raw: string | undefined | null): number | undefined {
  if (!raw || !/^\d+$/.test(raw)) return undefined;
  const port = Number(raw);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** The kubelet's words when forwarding to a port fails. */
export function forwardError(port: number, podName: string, podUid: string, error: unknown): string {
  const cause = error instanceof Error ? error.message : String(error);
  return `error forwarding port ${port} to pod ${podName}, uid ${podUid}: ${cause}`;
}
