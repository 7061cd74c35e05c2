import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { realClock } from '../../controllers/runtime/clock';
import type { KubeObject } from '../../k8s-object';
import { DockerRuntime } from '../../runtime/docker/docker-runtime';
import { startKubelet, type KubeletOptions, type RunningKubelet } from '../kubelet';
import { removeProfileContainers } from '../profile-cleanup';
import { PODS } from '../resources';
import { openTestApi } from './test-api';

export const pauseImage = process.env.KUBEDESK_PAUSE_IMAGE ?? 'kubedesk-test/pause:1';
export const testImage = process.env.KUBEDESK_TEST_IMAGE ?? 'kubedesk-test/busybox:1';

/** A kubelet against the real Docker engine and an in-process API, cleaned up by `close`. */
export async function startHarness(over: Partial<KubeletOptions> = {}) {
  const profile = `kt-${randomUUID().slice(0, 8)}`;
  const profileDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubedesk-kubelet-'));
  const network = `kubedesk-${profile}`;
  const { api, close } = openTestApi();
  const runtime = new DockerRuntime();
  const errors: string[] = [];
  const options: KubeletOptions = {
    api,
    runtime,
    nodeName: profile,
    profile,
    profileDir,
    network,
    clock: realClock,
    pauseImage,
    resyncMs: 2_000,
    onError: (message, error) =>
      errors.push(`${message}: ${error instanceof Error ? error.stack : String(error)}`),
    ...over,
  };
  let kubelet: RunningKubelet | undefined = await startKubelet(options);

  return {
    api,
    runtime,
    profile,
    profileDir,
    network,
    errors,
    options,
    async restartKubelet(): Promise<void> {
      await kubelet?.stop();
      kubelet = await startKubelet(options);
    },
    async stopKubelet(): Promise<void> {
      await kubelet?.stop();
      kubelet = undefined;
    },
    async startKubelet(): Promise<void> {
      kubelet = await startKubelet(options);
    },
    pod(namespace: string, name: string): KubeObject {
      return api.get(PODS, namespace, name);
    },
    createPod(
      spec: Record<string, unknown>,
      name = `p-${randomUUID().slice(0, 6)}`,
      namespace = 'default',
    ): KubeObject {
      return api.create(PODS, namespace, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace },
        spec: { nodeName: profile, terminationGracePeriodSeconds: 2, ...spec },
      });
    },
    async close(): Promise<void> {
      await kubelet?.stop();
      await removeProfileContainers(runtime, profile, network);
      close();
      await fs.rm(profileDir, { recursive: true, force: true });
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The pod's status as plain data. */
export function statusOf(pod: KubeObject): {
  phase?: string;
  podIP?: string;
  conditions?: Array<{ type: string; status: string; reason?: string }>;
  containerStatuses?: Array<
    Record<string, unknown> & {
      name: string;
      restartCount: number;
      ready: boolean;
      state: Record<string, Record<string, unknown>>;
    }
  >;
  initContainerStatuses?: Array<
    Record<string, unknown> & { name: string; state: Record<string, Record<string, unknown>> }
  >;
} {
  return (pod.status ?? {}) as ReturnType<typeof statusOf>;
}
