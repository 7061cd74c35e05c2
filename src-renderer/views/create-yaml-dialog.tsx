import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../data/api-context';
import { useNamespace } from '../state/preferences';
import { Dialog } from '../ui/dialog';
import { ErrorView } from '../ui/error-view';
import { useToast } from '../ui/toasts';
import { ProblemList, YamlEditor, checkManifests } from './yaml-editor';
import { useDryRun } from '../data/use-dry-run';
import { ServerCheck } from './server-check';

const EXAMPLE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx
`;

/** Create (or update) objects from pasted or dropped YAML, one or many documents. */
export function CreateYamlDialog({ cluster, onClose }: { cluster: string; onClose(): void }) {
  const api = useApi();
  const toast = useToast();
  const [namespace] = useNamespace(cluster);
  const [text, setText] = useState('');
  const problems = text.trim() ? checkManifests(text) : [];
  const check = useDryRun(
    text.trim() && problems.length === 0
      ? { cluster, yaml: text, mode: 'apply', namespace: namespace || 'default' }
      : undefined,
  );
  const apply = useMutation({
    mutationFn: () =>
      api.invoke('kube.apply', { cluster, yaml: text, mode: 'apply', namespace: namespace || 'default' }),
    onSuccess: (results) => {
      toast(results.map((r) => `${r.kind.toLowerCase()}/${r.name} ${r.action}`).join(', '));
      onClose();
    },
  });
  return (
    <Dialog
      title="Create from YAML"
      wide
      onClose={onClose}
      footer={
        <>
          <span className="muted small">Objects without a namespace go to “{namespace || 'default'}”.</span>
          <span className="spacer" />
          <button onClick={onClose}>Cancel</button>
          <button
            className="primary"
            disabled={!text.trim() || problems.length > 0 || apply.isPending}
            onClick={() => apply.mutate()}
          >
            {apply.isPending ? 'Applying…' : 'Apply'}
          </button>
        </>
      }
    >
      <div
        className="drop-zone"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          const file = e.dataTransfer.files[0];
          if (file) void file.text().then(setText);
        }}
      >
        <YamlEditor label="YAML" value={text} onChange={setText} minRows={20} />
        {!text && (
          <div className="drop-hint">
            Paste YAML or drop a file here.{' '}
            <button className="link" onClick={() => setText(EXAMPLE)}>
              Start from an example
            </button>
          </div>
        )}
      </div>
      <ProblemList problems={problems} />
      {apply.error ? (
        <ErrorView error={apply.error} title="The server refused it" />
      ) : (
        text.trim() && problems.length === 0 && <ServerCheck check={check} />
      )}
    </Dialog>
  );
}
