import type { V1Container, V1LifecycleHandler } from '@kubernetes/client-node';
import type { ContainerRuntime } from '../runtime/types';
import { runProbe } from './probe-exec';

export interface HookTarget {
  runtime: ContainerRuntime;
  containerId: string;
  container: V1Container;
  /** The pod's sandbox and address, for httpGet hooks. */
  sandboxId?: string;
  podIP?: string;
  kubeletMinorVersion: string;
}

/**
 * Runs a postStart or preStop handler (exec, httpGet or sleep) within `timeoutSeconds`;
 * answers whether it succeeded and, if not, why (as the kubelet words FailedPostStartHook).
 */
export async function runHook(
  handler: V1LifecycleHandler,
  target: HookTarget,
  timeoutSeconds: number,
): Promise<{ ok: boolean; message: string }> {
  if (handler.sleep) {
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(handler.sleep!.seconds, timeoutSeconds) * 1000),
    );
    return { ok: true, message: '' };
  }
  if (handler.exec?.command?.length) {
    const outcome = await runProbe(
      { exec: handler.exec, timeoutSeconds: Math.max(1, timeoutSeconds) },
      { ...target, sandboxId: target.sandboxId ?? '', podIP: target.podIP ?? '' },
    ).catch((error: unknown) => ({
      success: false,
      message: error instanceof Error ? error.message : String(error),
    }));
    return {
      ok: outcome.success,
      message: outcome.success
        ? ''
        : `Exec lifecycle hook (${JSON.stringify(handler.exec.command)}) for Container "${target.container.name}" failed - error: ${outcome.message}`,
    };
  }
  if (handler.httpGet) {
    if (!target.sandboxId || !target.podIP) return { ok: false, message: 'pod has no network address' };
    const outcome = await runProbe(
      { httpGet: handler.httpGet, timeoutSeconds: Math.max(1, timeoutSeconds) },
      { ...target, sandboxId: target.sandboxId, podIP: target.podIP },
    ).catch((error: unknown) => ({
      success: false,
      message: error instanceof Error ? error.message : String(error),
    }));
    return {
      ok: outcome.success,
      message: outcome.success
        ? ''
        : `HTTP lifecycle hook (${handler.httpGet.path ?? '/'}) for Container "${target.container.name}" failed - error: ${outcome.message}`,
    };
  }
  return { ok: true, message: '' };
}
