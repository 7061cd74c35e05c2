import { _electron as electron, expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SCREENSHOTS } from './environment';

/** The Electron binary, when one is installed (it cannot be downloaded everywhere). */
function electronBinary(): string | undefined {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();

test.describe('desktop app', () => {
  test.skip(
    !binary,
    'no Electron binary installed (node_modules/electron/dist is missing; it could not be downloaded)',
  );

  test('launches a secure window showing the clusters view', async () => {
    execFileSync(
      'npx',
      [
        'esbuild',
        'src-main/preload/preload.ts',
        '--bundle',
        '--platform=node',
        '--format=cjs',
        '--external:electron',
        '--outfile=dist/desktop/preload.cjs',
      ],
      { stdio: 'inherit' },
    );
    const app = await electron.launch({
      executablePath: binary,
      args: ['src-main/desktop/electron-entry.mjs', '--no-sandbox'],
    });
    try {
      const window = await app.firstWindow();
      await expect(window.getByRole('heading', { name: 'Local clusters' })).toBeVisible();
      // The page has the bridge and nothing of Node.
      expect(
        await window.evaluate(
          () => typeof (globalThis as { kubedesk?: { invoke?: unknown } }).kubedesk?.invoke,
        ),
      ).toBe('function');
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      );
      // The main process's own record of the window's preferences.
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const contents = BrowserWindow.getAllWindows()[0].webContents as unknown as {
          getLastWebPreferences(): { contextIsolation?: boolean; sandbox?: boolean } | null;
        };
        const last = contents.getLastWebPreferences();
        return { isolated: last?.contextIsolation, sandbox: last?.sandbox };
      });
      expect(prefs).toEqual({ isolated: true, sandbox: true });
      await window.screenshot({ path: `${SCREENSHOTS}/electron-home.png` });
    } finally {
      await app.close();
    }
  });
});
