import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { InvokeOutcome, PushChannel, PushMap, Session } from '../ipc/contract';
import { isAppUrl } from './window-security';

import { IPC_INVOKE, IPC_PUSH } from '../preload/bridge';

export { IPC_INVOKE, IPC_PUSH };

/** What the bridge needs of the backend. */
export interface InvokeTarget {
  connect(session: Session): void;
  invoke(channel: unknown, request: unknown, session: Session): Promise<InvokeOutcome<unknown>>;
}

/**
 * Routes the contract over Electron IPC: one handler for every invoke (the contract channel is
 * an argument, checked by the backend), pushes sent to the window that opened the session. Calls
 * from frames that are not the app's own pages are refused.
 */
export function wireIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  backend: InvokeTarget,
): () => void {
  const sessions = new Map<number, Session>();
  const sessionOf = (contents: WebContents): Session => {
    let session = sessions.get(contents.id);
    if (session) return session;
    const cleanups: (() => void)[] = [];
    let closed = false;
    const created: Session = {
      id: `window-${contents.id}`,
      push<C extends PushChannel>(channel: C, payload: PushMap[C]) {
        if (!closed && !contents.isDestroyed()) contents.send(IPC_PUSH, { channel, payload });
      },
      onClose(cleanup) {
        if (closed) cleanup();
        else cleanups.push(cleanup);
      },
    };
    session = created;
    sessions.set(contents.id, created);
    const close = () => {
      if (closed) return;
      closed = true;
      sessions.delete(contents.id);
      for (const cleanup of cleanups.splice(0)) cleanup();
    };
    contents.once('destroyed', close);
    // A reload starts a new renderer: its watches and subscriptions start over.
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) close();
    });
    backend.connect(created);
    return created;
  };
  ipcMain.handle(IPC_INVOKE, async (event: IpcMainInvokeEvent, channel: unknown, request: unknown) => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!isAppUrl(frameUrl)) {
      return { ok: false, error: { kind: 'Forbidden', message: 'calls are only accepted from the app' } };
    }
    return backend.invoke(channel, request, sessionOf(event.sender));
  });
  return () => ipcMain.removeHandler(IPC_INVOKE);
}
