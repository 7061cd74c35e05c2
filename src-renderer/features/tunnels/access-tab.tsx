import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { KubeObject } from '../../../src-main/ipc/contract';
import { useApi } from '../../data/api-context';

/** Kinds with an Access tab. */
export function hasAccess(kind: string): kind is 'Service' | 'Ingress' | 'Pod' {
  return kind === 'Service' || kind === 'Ingress' || kind === 'Pod';
}

function forwardablePorts(object: KubeObject, kind: string): number[] {
  if (kind === 'Service') {
    const spec = object.spec as { ports?: Array<{ port: number; protocol?: string }> } | undefined;
    return (spec?.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.port);
  }
  const spec = object.spec as
    { containers?: Array<{ ports?: Array<{ containerPort: number }> }> } | undefined;
  return (spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
}

/**
 * How to reach an object from this machine: its host URLs as links, port-forward tunnels to it,
 * and every open tunnel with a stop button.
 */
export function AccessTab({ cluster, object, kind }: { cluster: string; object: KubeObject; kind: string }) {
  const api = useApi();
  const queries = useQueryClient();
  const namespace = object.metadata.namespace ?? 'default';
  const name = object.metadata.name ?? '';
  const ports = forwardablePorts(object, kind);
  const [port, setPort] = useState(String(ports[0] ?? ''));
  const [localPort, setLocalPort] = useState('');
  const links = useQuery({
    queryKey: ['access.links', cluster, kind, namespace, name],
    queryFn: () =>
      api.invoke('access.links', {
        cluster,
        kind: kind === 'Ingress' ? 'Ingress' : 'Service',
        namespace,
        name,
      }),
    enabled: kind !== 'Pod',
    refetchInterval: 5_000,
  });
  const tunnels = useQuery({
    queryKey: ['tunnels.list'],
    queryFn: () => api.invoke('tunnels.list', {}),
    refetchInterval: 3_000,
  });
  const start = useMutation({
    mutationFn: () =>
      api.invoke('tunnels.start', {
        cluster,
        namespace,
        kind: kind === 'Pod' ? 'Pod' : 'Service',
        name,
        port: Number(port),
        ...(localPort ? { localPort: Number(localPort) } : {}),
      }),
    onSettled: () => queries.invalidateQueries({ queryKey: ['tunnels.list'] }),
  });
  const stop = useMutation({
    mutationFn: (id: string) => api.invoke('tunnels.stop', { id }),
    onSettled: () => queries.invalidateQueries({ queryKey: ['tunnels.list'] }),
  });

  return (
    <div className="detail-main access-tab">
      {kind !== 'Pod' && (
        <section className="panel">
          <h3>Open in the browser</h3>
          {links.error && <div className="tone-text tone-bad">{links.error.message}</div>}
          {links.data?.length === 0 && (
            <div className="muted">
              Nothing is exposed on this machine
              {kind === 'Service' ? ' (not a NodePort or LoadBalancer)' : ''}; use a tunnel below.
            </div>
          )}
          <ul className="access-links">
            {links.data?.map((link) => (
              <li key={link.url}>
                <a href={link.url} target="_blank" rel="noreferrer" data-testid="access-link">
                  {link.url}
                </a>{' '}
                <span className="muted small">{link.label}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {kind !== 'Ingress' && (
        <section className="panel">
          <h3>Port-forward tunnel</h3>
          <div className="access-form">
            <label>
              {kind === 'Pod' ? 'Container port' : 'Service port'}{' '}
              {ports.length > 0 ? (
                <select aria-label="Remote port" value={port} onChange={(e) => setPort(e.target.value)}>
                  {ports.map((p) => (
                    <option key={p}>{p}</option>
                  ))}
                </select>
              ) : (
                <input
                  aria-label="Remote port"
                  inputMode="numeric"
                  value={port}
                  onChange={(e) => setPort(e.target.value)}
                />
              )}
            </label>
            <label>
              Local port{' '}
              <input
                aria-label="Local port"
                inputMode="numeric"
                placeholder="free"
                value={localPort}
                onChange={(e) => setLocalPort(e.target.value.replace(/\D/g, ''))}
              />
            </label>
            <button disabled={!port || start.isPending} onClick={() => start.mutate()}>
              Start tunnel
            </button>
          </div>
          {start.error && <div className="tone-text tone-bad">{start.error.message}</div>}
        </section>
      )}
      <section className="panel">
        <h3>Tunnels</h3>
        {tunnels.data?.length === 0 && <div className="muted">No tunnels open.</div>}
        <div className="mini-table" data-testid="tunnels">
          {tunnels.data?.map((t) => (
            <div key={t.id} className="mini-row">
              <span>
                <a href={t.url} target="_blank" rel="noreferrer">
                  {t.url}
                </a>{' '}
                → {t.kind.toLowerCase()}/{t.name}:{t.port}{' '}
                <span className="muted small">
                  {t.namespace} · {t.connections} connections{t.lastError ? ` · ${t.lastError}` : ''}
                </span>
              </span>
              <button onClick={() => stop.mutate(t.id)}>Stop</button>
            </div>
          ))}
        </div>
      </section>
    </div>
  );
}
