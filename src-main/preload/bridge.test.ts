import { describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE, IPC_PUSH, createBridge } from './bridge';

type Listener = (event: unknown, message: unknown) => void;

function fakeIpc() {
  const listeners = new Map<string, Listener[]>();
  return {
    invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, result: 'pong' })),
    on: vi.fn((channel: string, listener: Listener) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
    }),
    removeListener: vi.fn(),
    emit(channel: string, message: unknown) {
      for (const listener of listeners.get(channel) ?? []) listener({ sender: 'secret' }, message);
    },
  };
}

describe('preload bridge', () => {
  it('forwards contract calls on the one invoke channel and refuses the rest without IPC', async () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc as never);
    await expect(bridge.invoke('clusters.list', {})).resolves.toEqual({ ok: true, result: 'pong' });
    expect(ipc.invoke).toHaveBeenCalledWith(IPC_INVOKE, 'clusters.list', {});
    const refused = await bridge.invoke('fs.readFile' as never, { path: '/etc/passwd' });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'BadRequest' } });
    expect(ipc.invoke).toHaveBeenCalledTimes(1);
  });

  it('delivers pushes by channel, payload only, until unsubscribed', () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc as never);
    const seen: unknown[] = [];
    const off = bridge.on('clusters.changed', (payload) => seen.push(payload));
    ipc.emit(IPC_PUSH, { channel: 'clusters.changed', payload: { n: 1 } });
    ipc.emit(IPC_PUSH, { channel: 'watch.event', payload: { n: 2 } });
    ipc.emit(IPC_PUSH, { channel: 'not.a.channel', payload: { n: 3 } });
    ipc.emit(IPC_PUSH, 'garbage');
    off();
    ipc.emit(IPC_PUSH, { channel: 'clusters.changed', payload: { n: 4 } });
    expect(seen).toEqual([{ n: 1 }]);
    expect(bridge.on('nope' as never, () => undefined)).toBeTypeOf('function');
  });
});
