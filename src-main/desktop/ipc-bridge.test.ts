import { describe, expect, it, vi } from 'vitest';
import type { Session } from '../ipc/contract';
import { IPC_INVOKE, IPC_PUSH, wireIpc } from './ipc-bridge';

function fakeContents(id: number) {
  const handlers = new Map<string, (...args: unknown[]) => void>();
  return {
    id,
    sent: [] as unknown[][],
    destroyed: false,
    isDestroyed() {
      return this.destroyed;
    },
    send(...args: unknown[]) {
      this.sent.push(args);
    },
    once: (name: string, handler: (...args: unknown[]) => void) => handlers.set(name, handler),
    on: (name: string, handler: (...args: unknown[]) => void) => handlers.set(name, handler),
    fire: (name: string, ...args: unknown[]) => handlers.get(name)?.(...args),
  };
}

describe('IPC bridge', () => {
  it('runs invokes from the app for one session per window, pushes back to that window, and cleans up', async () => {
    const handlers = new Map<string, (...args: unknown[]) => Promise<unknown>>();
    const ipcMain = {
      handle: vi.fn((name: string, h: never) => handlers.set(name, h)),
      removeHandler: vi.fn(),
    };
    const sessions: Session[] = [];
    const closed: string[] = [];
    const backend = {
      connect: (session: Session) => {
        sessions.push(session);
        session.onClose(() => closed.push(session.id));
      },
      invoke: vi.fn(async (channel: unknown, _request: unknown, session: Session) => {
        session.push('clusters.changed', {});
        return { ok: true as const, result: channel };
      }),
    };
    const dispose = wireIpc(ipcMain as never, backend);
    const invoke = handlers.get(IPC_INVOKE);
    const contents = fakeContents(7);
    const fromApp = { sender: contents, senderFrame: { url: 'app://kubedesk/index.html' } };

    expect(await invoke?.(fromApp, 'clusters.list', {})).toEqual({ ok: true, result: 'clusters.list' });
    await invoke?.(fromApp, 'app.info', {});
    expect(sessions).toHaveLength(1);
    expect(contents.sent[0]).toEqual([IPC_PUSH, { channel: 'clusters.changed', payload: {} }]);

    const foreign = { sender: contents, senderFrame: { url: 'https://evil.example/' } };
    expect(await invoke?.(foreign, 'clusters.list', {})).toMatchObject({
      ok: false,
      error: { kind: 'Forbidden' },
    });
    expect(backend.invoke).toHaveBeenCalledTimes(2);

    contents.fire('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    expect(closed).toEqual(['window-7']);
    await invoke?.(fromApp, 'clusters.list', {});
    expect(sessions).toHaveLength(2);
    contents.destroyed = true;
    sessions[1].push('clusters.changed', {});
    expect(contents.sent).toHaveLength(3);

    dispose();
    expect(ipcMain.removeHandler).toHaveBeenCalledWith(IPC_INVOKE);
  });
});
