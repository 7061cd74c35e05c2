import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { DesktopBridge, InvokeOutcome, PushChannel } from '../ipc/contract';
import { isInvokeChannel, isPushChannel } from '../ipc/contract';

/** Electron IPC channel names (the same strings as desktop/ipc-bridge.ts). */
export const IPC_INVOKE = 'kubedesk:invoke';
export const IPC_PUSH = 'kubedesk:push';

/**
 * The whole renderer-facing API: `invoke` for the contract's calls and `on` for its pushes. Only
 * contract channels pass; the page never sees `ipcRenderer` itself or Electron events.
 */
export function createBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): DesktopBridge {
  const listeners = new Map<PushChannel, Set<(payload: unknown) => void>>();
  ipc.on(IPC_PUSH, (_event: IpcRendererEvent, message: unknown) => {
    if (typeof message !== 'object' || message === null) return;
    const { channel, payload } = message as { channel?: unknown; payload?: unknown };
    if (!isPushChannel(channel)) return;
    for (const listener of listeners.get(channel) ?? []) listener(payload);
  });
  return {
    invoke(channel, request): Promise<InvokeOutcome<unknown>> {
      if (!isInvokeChannel(channel)) {
        return Promise.resolve({
          ok: false,
          error: { kind: 'BadRequest', message: `unknown channel ${String(channel)}` },
        });
      }
      return ipc.invoke(IPC_INVOKE, channel, request) as Promise<InvokeOutcome<unknown>>;
    },
    on(channel, listener) {
      if (!isPushChannel(channel)) return () => undefined;
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      const wrapped = (payload: unknown) => listener(payload);
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
  };
}
