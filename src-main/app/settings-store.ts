import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AppSettings } from '../ipc/contract';

export const DEFAULT_SETTINGS: AppSettings = { keepClustersRunning: true };

/** App settings in `<home>/app-settings.json`; unreadable or missing fields fall back to defaults. */
export class SettingsStore {
  private readonly path: string;

  constructor(home: string) {
    this.path = join(home, 'app-settings.json');
  }

  async get(): Promise<AppSettings> {
    try {
      const value: unknown = JSON.parse(await readFile(this.path, 'utf8'));
      const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
      return {
        keepClustersRunning:
          typeof record.keepClustersRunning === 'boolean'
            ? record.keepClustersRunning
            : DEFAULT_SETTINGS.keepClustersRunning,
      };
    } catch {
      return { ...DEFAULT_SETTINGS };
    }
  }

  async set(change: Partial<AppSettings>): Promise<AppSettings> {
    const next: AppSettings = { ...(await this.get()) };
    if (typeof change.keepClustersRunning === 'boolean')
      next.keepClustersRunning = change.keepClustersRunning;
    await mkdir(dirname(this.path), { recursive: true });
    await writeFile(this.path, `${JSON.stringify(next, null, 2)}\n`);
    return next;
  }
}
