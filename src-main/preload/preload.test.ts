import { describe, expect, it, vi } from 'vitest';

const exposed = new Map<string, unknown>();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
}));

describe('preload', () => {
  it('exposes exactly the contract bridge as window.kubedesk', async () => {
    await import('./preload');
    expect([...exposed.keys()]).toEqual(['kubedesk']);
    const bridge = exposed.get('kubedesk') as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
  });
});
