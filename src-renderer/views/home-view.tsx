import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { ClusterInfo } from '../../src-main/ipc/contract';
import { useApi } from '../data/api-context';
import type { ProgressLog } from '../data/use-clusters';
import { useClusterProgress, useClusters } from '../data/use-clusters';
import { navigate } from '../state/router';
import { Dialog } from '../ui/dialog';
import { ClusterProblems } from '../ui/cluster-problems';
import { ClusterStateBadge } from '../ui/cluster-state';
import { ThemeToggle } from '../ui/theme-toggle';
import { ErrorView } from '../ui/error-view';
import { useToast } from '../ui/toasts';

/** The start page: local clusters with one-click lifecycle, and every kubeconfig context. */
export function HomeView() {
  const clusters = useClusters();
  const progress = useClusterProgress();
  const [creating, setCreating] = useState(false);
  const profiles = clusters.data?.filter((c) => c.source === 'profile') ?? [];
  const contexts = clusters.data?.filter((c) => c.source === 'kubeconfig') ?? [];
  return (
    <div className="home-page">
      <header className="home-bar">
        <span className="brand">
          <span className="logo">◆</span> Kubedesk
        </span>
        <span className="spacer" />
        <ThemeToggle />
      </header>
      <div className="home">
        <section className="home-section">
          <div className="section-head">
            <div>
              <h1>Local clusters</h1>
              <p className="muted">Kubernetes on your Docker engine — one profile per cluster.</p>
            </div>
            <button className="primary" onClick={() => setCreating(true)}>
              + New cluster
            </button>
          </div>
          {clusters.error && <ErrorView error={clusters.error} title="Cannot list clusters" />}
          {clusters.isPending && <div className="muted">Loading…</div>}
          {clusters.isSuccess && profiles.length === 0 && (
            <div className="empty">
              No local clusters yet.{' '}
              <button className="link" onClick={() => setCreating(true)}>
                Create one
              </button>{' '}
              — it takes a few seconds.
            </div>
          )}
          <div className="cards">
            {profiles.map((cluster) => (
              <ProfileCard key={cluster.id} cluster={cluster} progress={progress[cluster.name]} />
            ))}
          </div>
        </section>
        <section className="home-section">
          <div className="section-head">
            <div>
              <h1>Kubeconfig contexts</h1>
              <p className="muted">Other clusters you can reach: kind, minikube, EKS, AKS, GKE…</p>
            </div>
          </div>
          {contexts.length === 0 ? (
            <div className="empty">No other contexts in your kubeconfig.</div>
          ) : (
            <div className="context-table">
              {contexts.map((cluster) => (
                <div className="context-row" key={cluster.id}>
                  <div className="context-name">
                    {cluster.name}
                    {cluster.current && <span className="chip">current</span>}
                  </div>
                  <div className="muted mono ellipsis">{cluster.server}</div>
                  <div className="muted">{cluster.namespace ?? 'default'}</div>
                  <button onClick={() => navigate({ view: 'list', cluster: cluster.id, resource: 'pods' })}>
                    Open
                  </button>
                </div>
              ))}
            </div>
          )}
        </section>
        {creating && (
          <CreateClusterDialog existing={profiles.map((p) => p.name)} onClose={() => setCreating(false)} />
        )}
      </div>
    </div>
  );
}

function ProfileCard({ cluster, progress }: { cluster: ClusterInfo; progress: ProgressLog | undefined }) {
  const api = useApi();
  const toast = useToast();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const action = useMutation({
    mutationFn: (operation: 'start' | 'stop' | 'delete') =>
      api.invoke(`clusters.${operation}`, { name: cluster.name }),
    onSuccess: (_, operation) =>
      toast(
        `${cluster.name}: ${operation === 'stop' ? 'stopped' : operation === 'delete' ? 'deleted' : 'running'}`,
      ),
    onError: (error) => toast(`${cluster.name}: ${error.message}`, 'bad'),
  });
  const busy = Boolean(cluster.busy) || action.isPending;
  const running = cluster.state === 'Running';
  const [hiddenLog, setHiddenLog] = useState<ProgressLog | undefined>(undefined);
  // The last operation's steps stay visible (a failure needs reading) until dismissed.
  const showProgress = progress && progress !== hiddenLog;
  return (
    <div className="card" data-testid={`profile-${cluster.name}`}>
      <div className="card-head">
        <div>
          <div className="card-title">{cluster.name}</div>
          <div className="muted mono small">{cluster.server}</div>
        </div>
        <ClusterStateBadge info={cluster} />
      </div>
      <dl className="facts">
        <dt>Nodes</dt>
        <dd>
          {running && cluster.nodesReady !== undefined
            ? `${cluster.nodesReady}/${cluster.nodes} ready`
            : cluster.nodes}
        </dd>
        <dt>Kubernetes</dt>
        <dd>{cluster.kubernetesVersion}</dd>
        <dt>Per node</dt>
        <dd>
          {cluster.cpus !== undefined ? `${cluster.cpus} CPU` : 'host CPUs'} ·{' '}
          {cluster.memoryMiB !== undefined ? `${cluster.memoryMiB} MiB` : 'host memory'}
        </dd>
      </dl>
      {running && <ClusterProblems problems={cluster.problems} variant="card" />}
      {showProgress && (
        <ol className="progress-steps" aria-label="progress">
          {!busy && (
            <button
              className="icon dismiss"
              aria-label="Hide progress"
              onClick={() => setHiddenLog(progress)}
            >
              ×
            </button>
          )}
          {progress.steps.map((step, i) => (
            <li key={i} className={`step-${step.state}`}>
              <span className="step-mark">
                {step.state === 'running' ? <span className="spinner" /> : step.state === 'done' ? '✓' : '✗'}
              </span>
              {step.step}
            </li>
          ))}
        </ol>
      )}
      <div className="card-actions">
        {running ? (
          <>
            <button
              className="primary"
              onClick={() => navigate({ view: 'list', cluster: cluster.id, resource: 'pods' })}
            >
              Open
            </button>
            <button disabled={busy} onClick={() => action.mutate('stop')}>
              Stop
            </button>
          </>
        ) : (
          <button
            className="primary"
            disabled={busy || cluster.state === 'Starting'}
            onClick={() => action.mutate('start')}
          >
            {busy ? 'Working…' : 'Start'}
          </button>
        )}
        <span className="spacer" />
        <button className="danger-ghost" disabled={busy} onClick={() => setConfirmDelete(true)}>
          Delete
        </button>
      </div>
      {confirmDelete && (
        <Dialog
          title={`Delete cluster "${cluster.name}"?`}
          onClose={() => setConfirmDelete(false)}
          footer={
            <>
              <button onClick={() => setConfirmDelete(false)}>Cancel</button>
              <button
                className="danger"
                onClick={() => {
                  setConfirmDelete(false);
                  action.mutate('delete');
                }}
              >
                Delete cluster
              </button>
            </>
          }
        >
          <p>
            This stops the cluster and removes its state, containers, network and kubeconfig context.
            Workloads in it are lost.
          </p>
        </Dialog>
      )}
    </div>
  );
}

function CreateClusterDialog({ existing, onClose }: { existing: string[]; onClose(): void }) {
  const api = useApi();
  const toast = useToast();
  const [name, setName] = useState(() => freeName(existing));
  const [nodes, setNodes] = useState('1');
  const [cpus, setCpus] = useState('');
  const [memory, setMemory] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.invoke('clusters.create', {
        name: name.trim(),
        nodes: Number(nodes) || 1,
        ...(cpus.trim() ? { cpus: Number(cpus) } : {}),
        ...(memory.trim() ? { memoryMiB: Number(memory) } : {}),
      }),
    onSuccess: () => toast(`${name}: running`),
    onError: (error) => toast(`${name}: ${error.message}`, 'bad'),
  });
  const submit = () => {
    create.mutate();
    onClose();
  };
  return (
    <Dialog
      title="New local cluster"
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button className="primary" onClick={submit} disabled={!name.trim()}>
            Create and start
          </button>
        </>
      }
    >
      <form
        className="form-grid"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <label>
          Name
          <input aria-label="Name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </label>
        <label>
          Nodes
          <input
            aria-label="Nodes"
            type="number"
            min={1}
            max={20}
            value={nodes}
            onChange={(e) => setNodes(e.target.value)}
          />
        </label>
        <label>
          CPUs per node
          <input
            aria-label="CPUs"
            placeholder="host"
            type="number"
            min={0.5}
            step={0.5}
            value={cpus}
            onChange={(e) => setCpus(e.target.value)}
          />
        </label>
        <label>
          Memory per node (MiB)
          <input
            aria-label="Memory"
            placeholder="host"
            type="number"
            min={256}
            step={256}
            value={memory}
            onChange={(e) => setMemory(e.target.value)}
          />
        </label>
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}

function freeName(existing: string[]): string {
  if (!existing.includes('kubedesk')) return 'kubedesk';
  for (let i = 2; ; i++) if (!existing.includes(`kubedesk-${i}`)) return `kubedesk-${i}`;
}
