import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { stringify } from 'yaml';
import type { DeletePropagation, KubeObject, ObjectRef } from '../../src-main/ipc/contract';
import { useApi } from '../data/api-context';
import { queryKeys } from '../data/query-keys';
import { num } from '../resources/object-helpers';
import { Dialog } from '../ui/dialog';
import { ErrorView } from '../ui/error-view';
import { useToast } from '../ui/toasts';

interface RefProps {
  target: ObjectRef;
  kind: string;
  onClose(): void;
}

/** Delete with the choice of what happens to dependents. */
export function DeleteDialog({ target, kind, onClose, onDeleted }: RefProps & { onDeleted(): void }) {
  const api = useApi();
  const toast = useToast();
  const [policy, setPolicy] = useState<DeletePropagation>('Background');
  const remove = useMutation({
    // Done inside the call: the object can vanish from the live list (unmounting this dialog)
    // before the mutation settles, and what follows a delete must happen regardless.
    mutationFn: async () => {
      await api.invoke('kube.delete', { ...target, propagationPolicy: policy });
      toast(`${kind.toLowerCase()}/${target.name} deleted`);
      onDeleted();
    },
  });
  return (
    <Dialog
      title={`Delete ${kind} “${target.name}”?`}
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button className="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
            Delete
          </button>
        </>
      }
    >
      <fieldset className="radio-list">
        <legend>Dependents (pods, ReplicaSets…)</legend>
        {(
          [
            ['Background', 'Delete now; dependents are removed in the background'],
            ['Foreground', 'Delete dependents first, then this object'],
            ['Orphan', 'Keep dependents running without an owner'],
          ] as const
        ).map(([value, text]) => (
          <label key={value}>
            <input
              type="radio"
              name="propagation"
              checked={policy === value}
              onChange={() => setPolicy(value)}
            />
            <b>{value}</b> <span className="muted">{text}</span>
          </label>
        ))}
      </fieldset>
      {remove.error && <ErrorView error={remove.error} title="Delete failed" />}
    </Dialog>
  );
}

export function ScaleDialog({ target, kind, object, onClose }: RefProps & { object: KubeObject }) {
  const api = useApi();
  const toast = useToast();
  const [replicas, setReplicas] = useState(String(num(object, 'spec.replicas') ?? 1));
  const scale = useMutation({
    mutationFn: () => api.invoke('kube.scale', { ...target, replicas: Number(replicas) }),
    onSuccess: () => {
      toast(`${kind.toLowerCase()}/${target.name} scaled to ${replicas}`);
      onClose();
    },
  });
  const value = Number(replicas);
  return (
    <Dialog
      title={`Scale ${target.name}`}
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button
            className="primary"
            disabled={!Number.isInteger(value) || value < 0 || scale.isPending}
            onClick={() => scale.mutate()}
          >
            Scale
          </button>
        </>
      }
    >
      <form
        className="stepper"
        onSubmit={(e) => {
          e.preventDefault();
          scale.mutate();
        }}
      >
        <button type="button" onClick={() => setReplicas(String(Math.max(0, value - 1)))} aria-label="Fewer">
          −
        </button>
        <input
          aria-label="Replicas"
          type="number"
          min={0}
          value={replicas}
          onChange={(e) => setReplicas(e.target.value)}
          autoFocus
        />
        <button type="button" onClick={() => setReplicas(String(value + 1))} aria-label="More">
          +
        </button>
      </form>
      <p className="muted small">
        Currently {num(object, 'spec.replicas') ?? 0} desired, {num(object, 'status.readyReplicas') ?? 0}{' '}
        ready.
      </p>
      {scale.error && <ErrorView error={scale.error} title="Scale failed" />}
    </Dialog>
  );
}

/** Revision history of a Deployment with the selected revision beside the current one, and undo. */
export function RolloutHistoryDialog({ target, onClose }: Omit<RefProps, 'kind'>) {
  const api = useApi();
  const toast = useToast();
  const history = useQuery({
    queryKey: queryKeys.rolloutHistory(target.cluster, target.namespace, target.name),
    queryFn: () => api.invoke('kube.rolloutHistory', target),
  });
  const revisions = history.data ?? [];
  const current = revisions.find((r) => r.current) ?? revisions[0];
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const chosen =
    revisions.find((r) => r.revision === selected) ?? revisions.find((r) => r !== current) ?? current;
  const undo = useMutation({
    mutationFn: (revision: number) => api.invoke('kube.rolloutUndo', { ...target, toRevision: revision }),
    onSuccess: (_, revision) => {
      toast(`${target.name} rolled back to revision ${revision}`);
      void history.refetch();
    },
  });
  const [left, right] = useMemo(
    () => [yamlLines(chosen?.template), yamlLines(current?.template)],
    [chosen, current],
  );
  return (
    <Dialog title={`Rollout history — ${target.name}`} wide onClose={onClose}>
      {history.error && <ErrorView error={history.error} title="Cannot read the history" />}
      {history.isSuccess && revisions.length === 0 && <div className="empty">No revisions yet.</div>}
      <div className="history">
        <ul className="revision-list" aria-label="Revisions">
          {revisions.map((revision) => (
            <li key={revision.revision}>
              <button
                className={`revision${chosen?.revision === revision.revision ? ' active' : ''}`}
                onClick={() => setSelected(revision.revision)}
              >
                <b>#{revision.revision}</b> {revision.current && <span className="chip ok">current</span>}
                <div className="muted small ellipsis">{revision.images.join(', ')}</div>
                {revision.changeCause && <div className="small ellipsis">{revision.changeCause}</div>}
              </button>
            </li>
          ))}
        </ul>
        {chosen && current && (
          <div className="diff">
            <div className="diff-col">
              <div className="diff-title">Revision {chosen.revision}</div>
              <pre>
                {left.map((line, i) => (
                  <div key={i} className={right.includes(line) ? '' : 'diff-del'}>
                    {line || ' '}
                  </div>
                ))}
              </pre>
            </div>
            <div className="diff-col">
              <div className="diff-title">Current (revision {current.revision})</div>
              <pre>
                {right.map((line, i) => (
                  <div key={i} className={left.includes(line) ? '' : 'diff-add'}>
                    {line || ' '}
                  </div>
                ))}
              </pre>
            </div>
          </div>
        )}
      </div>
      {undo.error && <ErrorView error={undo.error} title="Undo failed" />}
      <footer className="dialog-foot inline">
        <span className="spacer" />
        <button onClick={onClose}>Close</button>
        <button
          className="primary"
          disabled={!chosen || chosen.current || undo.isPending}
          onClick={() => chosen && undo.mutate(chosen.revision)}
        >
          Roll back to revision {chosen?.revision}
        </button>
      </footer>
    </Dialog>
  );
}

function yamlLines(value: unknown): string[] {
  return value === undefined ? [] : stringify(value, { indent: 2 }).trimEnd().split('\n');
}

export function DrainDialog({ cluster, name, onClose }: { cluster: string; name: string; onClose(): void }) {
  const api = useApi();
  const toast = useToast();
  const drain = useMutation({
    mutationFn: () => api.invoke('kube.drain', { cluster, name }),
    onSuccess: (result) => toast(`${name} drained: ${result.evicted.length} pod(s) evicted`),
  });
  return (
    <Dialog
      title={`Drain node ${name}?`}
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>{drain.isSuccess ? 'Close' : 'Cancel'}</button>
          {!drain.isSuccess && (
            <button className="danger" disabled={drain.isPending} onClick={() => drain.mutate()}>
              {drain.isPending ? 'Draining…' : 'Drain'}
            </button>
          )}
        </>
      }
    >
      <p>The node is cordoned and its pods are evicted (DaemonSet and mirror pods stay).</p>
      {drain.data && (
        <div className="small">
          <div>Evicted: {drain.data.evicted.join(', ') || 'none'}</div>
          {drain.data.skipped.length > 0 && (
            <div className="muted">
              Skipped: {drain.data.skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}
            </div>
          )}
        </div>
      )}
      {drain.error && <ErrorView error={drain.error} title="Drain failed" />}
    </Dialog>
  );
}
