import type { MenuItemConstructorOptions } from 'electron';
import type { ClusterInfo } from '../ipc/contract';

export interface TrayActions {
  open(): void;
  openCluster(id: string): void;
  start(name: string): void;
  stop(name: string): void;
  setKeepRunning(keep: boolean): void;
  quit(): void;
}

const STATE_MARK: Record<string, string> = {
  Running: '●',
  Starting: '◐',
  Stopping: '◐',
  Deleting: '◐',
  Stopped: '○',
  Unknown: '○',
};

/** The tray's tooltip: how many local clusters run. */
export function trayTooltip(clusters: ClusterInfo[]): string {
  const profiles = clusters.filter((c) => c.source === 'profile');
  const running = profiles.filter((c) => c.state === 'Running').length;
  return profiles.length === 0
    ? 'Kubedesk — no local clusters'
    : `Kubedesk — ${running} of ${profiles.length} clusters running`;
}

/** The tray menu: each local cluster with its state and start/stop, then settings and quit. */
export function trayTemplate(
  clusters: ClusterInfo[],
  keepRunning: boolean,
  actions: TrayActions,
): MenuItemConstructorOptions[] {
  const profiles = clusters.filter((c) => c.source === 'profile');
  const items: MenuItemConstructorOptions[] = [
    { label: 'Open Kubedesk', click: () => actions.open() },
    { type: 'separator' },
  ];
  if (profiles.length === 0) items.push({ label: 'No local clusters', enabled: false });
  for (const cluster of profiles) {
    const running = cluster.state === 'Running';
    const settled = running || cluster.state === 'Stopped';
    items.push({
      label: `${STATE_MARK[cluster.state] ?? '○'} ${cluster.name} — ${cluster.state}`,
      submenu: [
        { label: 'Open', enabled: running, click: () => actions.openCluster(cluster.id) },
        { label: 'Start', enabled: settled && !running, click: () => actions.start(cluster.name) },
        { label: 'Stop', enabled: settled && running, click: () => actions.stop(cluster.name) },
      ],
    });
  }
  items.push(
    { type: 'separator' },
    {
      label: 'Keep clusters running when Kubedesk closes',
      type: 'checkbox',
      checked: keepRunning,
      click: (item) => actions.setKeepRunning(item.checked),
    },
    { type: 'separator' },
    { label: 'Quit Kubedesk', click: () => actions.quit() },
  );
  return items;
}
