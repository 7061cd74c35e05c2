import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import { LABELS, type ContainerRuntime, type ManagedContainer } from '../runtime/types';
import { runHook } from './hooks';
import { isExited, terminationLogPath } from './instances';

/** Runs the preStop hook within the grace period, then stops with SIGTERM and, after what is left of it, SIGKILL. */
export async function stopContainer(
  deps: { runtime: ContainerRuntime; profile: string; kubeletMinorVersion: string },
  instance: ManagedContainer,
  container: V1Container | undefined,
  graceSeconds: number,
): Promise<void> {
  const { runtime } = deps;
  const began = Date.now();
  const preStop = container?.lifecycle?.preStop;
  if (instance.state === 'running' && preStop && container && graceSeconds > 0) {
    const [sandbox] = preStop.httpGet
      ? await runtime.listManaged(deps.profile, {
          [LABELS.podUid]: instance.labels[LABELS.podUid] ?? '',
          [LABELS.role]: 'sandbox',
        })
      : [];
    await runHook(
      preStop,
      {
        runtime,
        containerId: instance.id,
        container,
        sandboxId: sandbox?.id,
        podIP: sandbox?.ipAddress,
        kubeletMinorVersion: deps.kubeletMinorVersion,
      },
      graceSeconds,
    );
  }
  const remaining = Math.max(graceSeconds > 0 ? 2 : 0, graceSeconds - (Date.now() - began) / 1000);
  await runtime.stop(instance.id, remaining);
}

/** Messages of finished containers: the termination log, or the log tail when asked to. */
export async function readTerminationMessages(
  runtime: ContainerRuntime,
  profileDir: string,
  pod: V1Pod,
  containers: ManagedContainer[],
): Promise<Map<string, string>> {
  const messages = new Map<string, string>();
  const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const c of containers) {
    if (c.role === 'sandbox' || !isExited(c)) continue;
    let message = await fs
      .readFile(terminationLogPath(profileDir, c))
      .then((data) => data.subarray(0, 4096).toString('utf8'))
      .catch(() => '');
    const spec = specs.find((s) => s.name === c.container);
    if (!message && c.exitCode !== 0 && spec?.terminationMessagePolicy === 'FallbackToLogsOnError') {
      message = await runtime
        .logs(c.id, { tail: 80 })
        .then(async (stream) => {
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
          const all = Buffer.concat(chunks);
          return all.subarray(Math.max(0, all.length - 2048)).toString('utf8');
        })
        .catch(() => '');
    }
    if (message) messages.set(c.id, message);
  }
  return messages;
}
