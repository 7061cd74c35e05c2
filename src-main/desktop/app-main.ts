import type {
  BrowserWindow as BrowserWindowType,
  MenuItemConstructorOptions,
  Tray as TrayType,
} from 'electron';
import { BrowserWindow, Menu, Tray, app, ipcMain, nativeImage, protocol, session, shell } from 'electron';
import { fileURLToPath } from 'node:url';
import { Backend } from '../app/backend';
import type { ClusterInfo } from '../ipc/contract';
import { serveAppRequest } from './app-protocol';
import { wireIpc } from './ipc-bridge';
import { trayTemplate, trayTooltip } from './tray-menu';
import { APP_ORIGIN, APP_SCHEME, lockDownContents, secureWebPreferences } from './window-security';

/** Where the desktop app finds its parts (the checkout's layout; packaged builds keep it). */
export interface DesktopPaths {
  rendererDir: string;
  preload: string;
  icon: string;
}

export function desktopPaths(): DesktopPaths {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  return {
    rendererDir: `${root}dist/renderer`,
    preload: `${root}dist/desktop/preload.cjs`,
    icon: `${root}resources/icons/icon.png`,
  };
}

/** The main window: secure preferences, locked navigation, the app page. */
export function createMainWindow(paths: DesktopPaths): BrowserWindowType {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 560,
    title: 'Kubedesk',
    icon: paths.icon,
    backgroundColor: '#0f1115',
    show: false,
    webPreferences: secureWebPreferences(paths.preload),
  });
  lockDownContents(window.webContents, (url) => void shell.openExternal(url));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

function applicationMenu(actions: { palette(): void }): MenuItemConstructorOptions[] {
  return [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Command Palette', accelerator: 'CmdOrCtrl+Shift+P', click: () => actions.palette() },
        { type: 'separator' },
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
}

/**
 * Runs the desktop app: one instance, the `app://` protocol with the CSP, IPC wired to the backend,
 * the window, and a tray icon with each local cluster's state and start/stop. With the "keep
 * clusters running" setting off, closing the window stops the running clusters and quits;
 * otherwise the window hides to the tray and engines carry on (they are separate processes).
 */
export async function startDesktop(paths: DesktopPaths = desktopPaths()): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
  app.on('web-contents-created', (_event, contents) =>
    lockDownContents(contents, (url) => void shell.openExternal(url)),
  );
  await app.whenReady();

  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request.url, paths.rendererDir));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const backend = new Backend({ env: process.env, mode: 'desktop' });
  wireIpc(ipcMain, backend);

  let window: BrowserWindowType | undefined;
  let quitting = false;
  const show = (hash = '#/') => {
    if (!window || window.isDestroyed()) {
      window = createMainWindow(paths);
      window.on('close', (event) => void onClose(event));
    } else {
      window.show();
      window.focus();
    }
    if (hash !== '#/') void window.webContents.executeJavaScript(`location.hash = ${JSON.stringify(hash)}`);
  };

  const stopRunning = async () => {
    const clusters = await backend.clusters.list().catch(() => [] as ClusterInfo[]);
    await Promise.all(
      clusters
        .filter((c) => c.source === 'profile' && c.state === 'Running')
        .map((c) => backend.clusters.stop(c.name).catch(() => undefined)),
    );
  };

  const quit = async () => {
    if (quitting) return;
    quitting = true;
    if (!(await backend.settings.get()).keepClustersRunning) await stopRunning();
    app.exit(0);
  };

  const onClose = async (event: Electron.Event) => {
    if (quitting) return;
    event.preventDefault();
    if ((await backend.settings.get()).keepClustersRunning && tray) window?.hide();
    else await quit();
  };

  app.on('second-instance', () => show());
  app.on('activate', () => show());
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    void quit();
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      applicationMenu({
        palette: () =>
          window?.webContents.sendInputEvent({ type: 'keyDown', keyCode: 'K', modifiers: ['control'] }),
      }),
    ),
  );

  let tray: TrayType | undefined;
  try {
    tray = new Tray(nativeImage.createFromPath(paths.icon).resize({ width: 18, height: 18 }));
  } catch {
    // No system tray on this desktop: the window alone is the app.
    tray = undefined;
  }
  const refreshTray = async () => {
    if (!tray || tray.isDestroyed()) return;
    const [clusters, settings] = await Promise.all([
      backend.clusters.list().catch(() => [] as ClusterInfo[]),
      backend.settings.get(),
    ]);
    tray.setToolTip(trayTooltip(clusters));
    tray.setContextMenu(
      Menu.buildFromTemplate(
        trayTemplate(clusters, settings.keepClustersRunning, {
          open: () => show(),
          openCluster: (id) => show(`#/c/${encodeURIComponent(id)}/pods`),
          start: (name) =>
            void backend.clusters
              .start(name)
              .catch(() => undefined)
              .finally(refreshTray),
          stop: (name) =>
            void backend.clusters
              .stop(name)
              .catch(() => undefined)
              .finally(refreshTray),
          setKeepRunning: (keep) =>
            void backend.settings.set({ keepClustersRunning: keep }).then(refreshTray),
          quit: () => void quit(),
        }),
      ),
    );
  };
  tray?.on('click', () => show());
  backend.connect({
    id: 'tray',
    push: (channel) => {
      if (channel === 'clusters.changed') void refreshTray();
    },
    onClose: () => undefined,
  });
  void refreshTray();
  setInterval(() => void refreshTray(), 5_000).unref();

  show();
}
