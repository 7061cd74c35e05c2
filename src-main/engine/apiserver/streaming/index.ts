import type { ContainerRuntime } from '../../runtime/types';
import type { RegisterSubresourceHandler } from '../http/subresource-handlers';
import { podLogHandler } from './logs';
import { portForwardHandler } from './port-forward/handler';
import { remoteCommandHandler } from './remote-command/handler';

export interface PodStreamsOptions {
  runtime: ContainerRuntime;
  /** The profile whose containers (label `io.kubedesk.profile`) run the cluster's pods. */
  profile: string;
}

/**
 * Serves `pods/log`, `pods/exec`, `pods/attach` and `pods/portforward` from the pods'
 * containers on `runtime`, found by the pod's uid label. Registering twice replaces the
 * earlier handlers.
 */
export function registerPodStreams(
  server: { registerSubresourceHandler: RegisterSubresourceHandler },
  options: PodStreamsOptions,
): void {
  const backend = { runtime: options.runtime, profile: options.profile };
  server.registerSubresourceHandler('', 'pods', 'log', podLogHandler(backend));
  server.registerSubresourceHandler('', 'pods', 'exec', remoteCommandHandler(backend, 'exec'));
  server.registerSubresourceHandler('', 'pods', 'attach', remoteCommandHandler(backend, 'attach'));
  server.registerSubresourceHandler('', 'pods', 'portforward', portForwardHandler(backend));
}

export type { StreamBackend } from './pod-target';
