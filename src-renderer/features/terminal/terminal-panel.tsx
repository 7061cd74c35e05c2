import { useState } from 'react';
import type { KubeObject } from '../../../src-main/ipc/contract';
import type { TerminalTarget } from './terminal-view';
import { TerminalView } from './terminal-view';
import './terminal.css';

interface Tab {
  id: number;
  target: TerminalTarget;
}

const SHELLS = [
  { value: 'auto', label: 'bash, else sh' },
  { value: '/bin/bash', label: '/bin/bash' },
  { value: '/bin/sh', label: '/bin/sh' },
  { value: '/bin/ash', label: '/bin/ash' },
];

/** Shells in a pod's containers, several at once in tabs. */
export function TerminalPanel({ cluster, pod }: { cluster: string; pod: KubeObject }) {
  const spec = pod.spec as { containers?: Array<{ name: string }> } | undefined;
  const containers = (spec?.containers ?? []).map((c) => c.name);
  const [container, setContainer] = useState(containers[0] ?? '');
  const [shell, setShell] = useState('auto');
  const [tabs, setTabs] = useState<Tab[]>([]);
  const [active, setActive] = useState(0);
  const [nextId, setNextId] = useState(1);

  const open = () => {
    const tab: Tab = {
      id: nextId,
      target: {
        cluster,
        namespace: pod.metadata.namespace ?? 'default',
        pod: pod.metadata.name ?? '',
        container,
        shell,
      },
    };
    setNextId(nextId + 1);
    setTabs([...tabs, tab]);
    setActive(tab.id);
  };

  const close = (id: number) => {
    const left = tabs.filter((t) => t.id !== id);
    setTabs(left);
    if (active === id) setActive(left.at(-1)?.id ?? 0);
  };

  return (
    <div className="terminal-panel">
      <div className="terminal-toolbar">
        {containers.length > 1 && (
          <select aria-label="Container" value={container} onChange={(e) => setContainer(e.target.value)}>
            {containers.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        )}
        <select aria-label="Shell" value={shell} onChange={(e) => setShell(e.target.value)}>
          {SHELLS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <button onClick={open}>+ New terminal</button>
        <div className="terminal-tabs" role="tablist">
          {tabs.map((t, i) => (
            <span key={t.id} className={`terminal-tab${t.id === active ? ' active' : ''}`}>
              <button role="tab" aria-selected={t.id === active} onClick={() => setActive(t.id)}>
                {t.target.container} #{i + 1}
              </button>
              <button
                aria-label={`Close terminal ${i + 1}`}
                className="terminal-close"
                onClick={() => close(t.id)}
              >
                ×
              </button>
            </span>
          ))}
        </div>
      </div>
      {tabs.length === 0 && <div className="muted empty">Open a terminal to run a shell in {container}.</div>}
      {tabs.map((t) => (
        <TerminalView key={t.id} target={t.target} active={t.id === active} />
      ))}
    </div>
  );
}
