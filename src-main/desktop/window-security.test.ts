import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAppUrl, lockDownContents, secureWebPreferences } from './window-security';

describe('window security', () => {
  it('isolates and sandboxes the page with no Node access', () => {
    expect(secureWebPreferences('/p/preload.cjs')).toMatchObject({
      preload: '/p/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });

  it('cancels navigation away from the app and never opens windows', () => {
    const handlers = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (name: string, handler: (event: { preventDefault(): void }, url: string) => void) =>
        handlers.set(name, handler),
      setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) =>
        (openHandler = handler),
    };
    const opened: string[] = [];
    lockDownContents(contents as never, (url) => opened.push(url));

    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      handlers.get('will-navigate')?.(event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('app://kubedesk/index.html#/c/x')).toBe(false);
    expect(isAppUrl('app://other/index.html')).toBe(false);

    expect(openHandler?.({ url: 'https://kubernetes.io/docs' })).toEqual({ action: 'deny' });
    expect(openHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://kubernetes.io/docs']);

    const webview = { preventDefault: vi.fn() };
    handlers.get('will-attach-webview')?.(webview, '');
    expect(webview.preventDefault).toHaveBeenCalled();
  });
});
