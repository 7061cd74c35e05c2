import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const windows: { options: Record<string, unknown>; loaded: string[]; contents: Record<string, unknown> }[] =
    [];
  const handlers = new Map<string, unknown>();
  const protocols = new Map<string, (request: { url: string }) => Promise<Response>>();
  const appEvents = new Map<string, (...args: unknown[]) => void>();
  class BrowserWindow {
    webContents = {
      on: () => undefined,
      setWindowOpenHandler: () => undefined,
      executeJavaScript: async () => undefined,
    };
    loaded: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      windows.push({ options, loaded: this.loaded, contents: this.webContents });
    }
    once() {}
    on() {}
    show() {}
    focus() {}
    hide() {}
    isDestroyed() {
      return false;
    }
    async loadURL(url: string) {
      this.loaded.push(url);
    }
  }
  class Tray {
    menu: unknown;
    tooltip = '';
    on() {}
    isDestroyed() {
      return false;
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    setContextMenu(menu: unknown) {
      this.menu = menu;
    }
  }
  return {
    windows,
    handlers,
    protocols,
    appEvents,
    module: {
      app: {
        requestSingleInstanceLock: () => true,
        whenReady: async () => undefined,
        on: (name: string, handler: (...args: unknown[]) => void) => appEvents.set(name, handler),
        quit: vi.fn(),
        exit: vi.fn(),
      },
      BrowserWindow,
      Tray,
      Menu: { buildFromTemplate: (template: unknown) => ({ template }), setApplicationMenu: vi.fn() },
      ipcMain: {
        handle: (name: string, handler: unknown) => handlers.set(name, handler),
        removeHandler: vi.fn(),
      },
      nativeImage: { createFromPath: () => ({ resize: () => ({}) }) },
      protocol: {
        registerSchemesAsPrivileged: vi.fn(),
        handle: (scheme: string, handler: (request: { url: string }) => Promise<Response>) =>
          protocols.set(scheme, handler),
      },
      session: { defaultSession: { setPermissionRequestHandler: vi.fn() } },
      shell: { openExternal: vi.fn() },
    },
  };
});
vi.mock('electron', () => electron.module);

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'kubedesk-desktop-'));
  process.env.KUBEDESK_HOME = home;
  process.env.KUBECONFIG = join(home, 'kubeconfig');
});
afterAll(() => rm(home, { recursive: true, force: true }));

describe('desktop main process', () => {
  it('opens one secure window on the app protocol, wires IPC and the tray', async () => {
    const { startDesktop } = await import('./app-main');
    await startDesktop({
      rendererDir: join(home, 'renderer'),
      preload: '/x/preload.cjs',
      icon: '/x/icon.png',
    });

    expect(electron.windows).toHaveLength(1);
    const [window] = electron.windows;
    expect(window.options.webPreferences).toMatchObject({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(window.loaded).toEqual(['app://kubedesk/index.html']);
    expect(electron.handlers.has('kubedesk:invoke')).toBe(true);
    expect(electron.module.protocol.registerSchemesAsPrivileged).toHaveBeenCalled();
    const answer = await electron.protocols.get('app')?.({ url: 'app://kubedesk/index.html' });
    expect(answer?.headers.get('content-security-policy')).toContain("script-src 'self'");
    const permission = vi.fn();
    const handler = electron.module.session.defaultSession.setPermissionRequestHandler.mock.calls[0][0] as (
      c: unknown,
      p: string,
      cb: (ok: boolean) => void,
    ) => void;
    handler(undefined, 'media', permission);
    expect(permission).toHaveBeenCalledWith(false);
    expect(electron.appEvents.has('web-contents-created')).toBe(true);
  });
});
