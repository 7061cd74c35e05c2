import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../data/api-context';

export interface TerminalTarget {
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
  /** A shell path, or "auto" (/bin/bash, then /bin/sh). */
  shell: string;
}

/**
 * One interactive shell in a container, in xterm.js: keystrokes go to the backend, output comes
 * back as pushes; the terminal follows the size of its panel. Copy and paste are xterm's own
 * (selection, Ctrl+Shift+C/V or the context menu).
 */
export function TerminalView({ target, active }: { target: TerminalTarget; active: boolean }) {
  const api = useApi();
  const hostRef = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ text: string; tone: 'muted' | 'bad' }>({
    text: 'Connecting…',
    tone: 'muted',
  });
  const fitRef = useRef<FitAddon | undefined>(undefined);
  const key = JSON.stringify(target);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const parsed = JSON.parse(key) as TerminalTarget;
    const term = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      fontSize: 13,
      theme: { background: '#0b0d10' },
    });
    const fit = new FitAddon();
    fitRef.current = fit;
    term.loadAddon(fit);
    term.open(host);
    fit.fit();
    let sessionId: string | undefined;
    let disposed = false;
    const offOutput = api.on('exec.output', (payload) => {
      if (payload.sessionId === sessionId) term.write(payload.data);
    });
    const offExit = api.on('exec.exit', (payload) => {
      if (payload.sessionId !== sessionId) return;
      sessionId = undefined;
      setState(
        payload.message
          ? { text: `Session ended: ${payload.message}`, tone: 'bad' }
          : { text: `Shell exited with code ${payload.code ?? 0}`, tone: 'muted' },
      );
    });
    const input = term.onData((data) => {
      if (sessionId) void api.invoke('exec.input', { sessionId, data }).catch(() => undefined);
    });
    const resized = term.onResize(({ cols, rows }) => {
      if (sessionId) void api.invoke('exec.resize', { sessionId, cols, rows }).catch(() => undefined);
    });
    const observer = new ResizeObserver(() => {
      // A hidden tab has no size: fitting it would shrink the shell to nothing.
      if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
    });
    observer.observe(host);
    api
      .invoke('exec.start', { ...parsed, cols: term.cols, rows: term.rows })
      .then((started) => {
        if (disposed) {
          void api.invoke('exec.stop', { sessionId: started.sessionId }).catch(() => undefined);
          return;
        }
        sessionId = started.sessionId;
        setState({ text: `${parsed.pod}/${parsed.container} — ${started.shell}`, tone: 'muted' });
        term.focus();
      })
      .catch((err: unknown) =>
        setState({ text: err instanceof Error ? err.message : String(err), tone: 'bad' }),
      );
    return () => {
      disposed = true;
      observer.disconnect();
      offOutput();
      offExit();
      input.dispose();
      resized.dispose();
      if (sessionId) void api.invoke('exec.stop', { sessionId }).catch(() => undefined);
      term.dispose();
    };
  }, [api, key]);

  useEffect(() => {
    if (active) requestAnimationFrame(() => fitRef.current?.fit());
  }, [active]);

  return (
    <div className="terminal-view" style={{ display: active ? 'flex' : 'none' }}>
      <div className={`terminal-state small tone-text tone-${state.tone}`} data-testid="terminal-state">
        {state.text}
      </div>
      <div className="terminal-host" ref={hostRef} data-testid="terminal" />
    </div>
  );
}
