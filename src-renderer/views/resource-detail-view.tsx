import { useMutation } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { stringify } from 'yaml';
import type { KubeObject, ObjectRef } from '../../src-main/ipc/contract';
import { useApi } from '../data/api-context';
import { useDiscovery } from '../data/use-clusters';
import { useResourceList } from '../data/use-resource-list';
import type { ResourceView } from '../resources/catalog';
import { pick } from '../resources/object-helpers';
import { navigate, routeHref } from '../state/router';
import { ErrorView } from '../ui/error-view';
import { Status } from '../ui/status';
import { useToast } from '../ui/toasts';
import { useNow } from '../ui/use-now';
import { useShortcuts } from '../ui/use-shortcuts';
import { LogsTab, hasLogs } from '../features/logs/logs-tab';
import { TerminalPanel } from '../features/terminal/terminal-panel';
import { AccessTab, hasAccess } from '../features/tunnels/access-tab';
import { UsageCharts } from '../features/metrics/usage-charts';
import { useDryRun } from '../data/use-dry-run';
import { ServerCheck } from './server-check';
import { DeleteDialog, DrainDialog, RolloutHistoryDialog, ScaleDialog } from './action-dialogs';
import {
  Conditions,
  Containers,
  DataSection,
  Facts,
  KeyValues,
  Related,
  RelatedEvents,
  headlineStatus,
} from './detail-sections';
import { ProblemList, YamlEditor, checkManifests } from './yaml-editor';

interface Props {
  cluster: string;
  view: ResourceView;
  namespace: string | undefined;
  name: string;
}

type Dialogs = 'delete' | 'scale' | 'history' | 'drain' | undefined;

/** One object: overview, YAML editing, and the actions its kind supports. Live from the list watch. */
export function ResourceDetailView({ cluster, view, namespace, name }: Props) {
  const api = useApi();
  const toast = useToast();
  const now = useNow(1_000);
  const discovery = useDiscovery(cluster);
  const list = useResourceList(cluster, view.type, namespace ?? '');
  const object = list.data?.items.find(
    (item) => item.metadata.name === name && (item.metadata.namespace ?? undefined) === namespace,
  );
  const [tab, setTab] = useState<'overview' | 'yaml' | 'logs' | 'terminal' | 'access' | 'metrics'>(
    'overview',
  );
  const [dialog, setDialog] = useState<Dialogs>(undefined);
  const [deleted, setDeleted] = useState(false);
  const target: ObjectRef = { cluster, type: view.type, ...(namespace ? { namespace } : {}), name };
  const kind = view.type.kind;
  const action = useMutation({
    mutationFn: async (which: 'restart' | 'cordon' | 'uncordon') => {
      if (which === 'restart') return api.invoke('kube.rolloutRestart', target);
      return api.invoke('kube.cordon', { cluster, name, unschedulable: which === 'cordon' });
    },
    onSuccess: (_, which) =>
      toast(`${kind.toLowerCase()}/${name} ${which === 'restart' ? 'restarted' : `${which}ed`}`),
    onError: (error) => toast(error.message, 'bad'),
  });

  useShortcuts({
    e: () => setTab('yaml'),
    o: () => setTab('overview'),
    s: view.scalable ? () => setDialog('scale') : undefined,
    h: kind === 'Deployment' ? () => setDialog('history') : undefined,
    Delete: () => setDialog('delete'),
    Backspace: () => navigate({ view: 'list', cluster, resource: view.key }),
  });

  if (list.error) return <ErrorView error={list.error} title={`Cannot read ${kind}`} />;
  if (!object) {
    return (
      <div className="detail">
        <a className="muted" href={routeHref({ view: 'list', cluster, resource: view.key })}>
          ← {view.title}
        </a>
        <div className="empty">
          {list.isPending
            ? 'Loading…'
            : deleted
              ? `${kind} ${name} was deleted.`
              : `${kind} ${name} not found${namespace ? ` in ${namespace}` : ''}.`}
        </div>
      </div>
    );
  }
  const status = headlineStatus(object, kind);
  const cordoned = pick(object, 'spec.unschedulable') === true;
  return (
    <div className="detail">
      <div className="detail-head">
        <div>
          <a className="muted small" href={routeHref({ view: 'list', cluster, resource: view.key })}>
            ← {view.title}
          </a>
          <h1>
            <span className="kind">{kind}</span> {name}
            {status && <Status text={status} />}
          </h1>
        </div>
        <div className="actions">
          <button onClick={() => setTab('yaml')}>Edit YAML</button>
          {view.scalable && <button onClick={() => setDialog('scale')}>Scale</button>}
          {view.restartable && (
            <button disabled={action.isPending} onClick={() => action.mutate('restart')}>
              Restart
            </button>
          )}
          {kind === 'Deployment' && <button onClick={() => setDialog('history')}>History / Undo</button>}
          {kind === 'Node' && (
            <>
              <button onClick={() => action.mutate(cordoned ? 'uncordon' : 'cordon')}>
                {cordoned ? 'Uncordon' : 'Cordon'}
              </button>
              <button onClick={() => setDialog('drain')}>Drain</button>
            </>
          )}
          <button className="danger-ghost" onClick={() => setDialog('delete')}>
            Delete
          </button>
        </div>
      </div>
      <div className="tabs" role="tablist">
        <button
          role="tab"
          aria-selected={tab === 'overview'}
          className={tab === 'overview' ? 'active' : ''}
          onClick={() => setTab('overview')}
        >
          Overview
        </button>
        <button
          role="tab"
          aria-selected={tab === 'yaml'}
          className={tab === 'yaml' ? 'active' : ''}
          onClick={() => setTab('yaml')}
        >
          YAML
        </button>
        {hasLogs(kind) && (
          <button
            role="tab"
            aria-selected={tab === 'logs'}
            className={tab === 'logs' ? 'active' : ''}
            onClick={() => setTab('logs')}
          >
            Logs
          </button>
        )}
        {kind === 'Pod' && (
          <button
            role="tab"
            aria-selected={tab === 'terminal'}
            className={tab === 'terminal' ? 'active' : ''}
            onClick={() => setTab('terminal')}
          >
            Terminal
          </button>
        )}
        {hasAccess(kind) && (
          <button
            role="tab"
            aria-selected={tab === 'access'}
            className={tab === 'access' ? 'active' : ''}
            onClick={() => setTab('access')}
          >
            Access
          </button>
        )}
        {(kind === 'Pod' || kind === 'Node') && (
          <button
            role="tab"
            aria-selected={tab === 'metrics'}
            className={tab === 'metrics' ? 'active' : ''}
            onClick={() => setTab('metrics')}
          >
            Metrics
          </button>
        )}
      </div>
      {tab === 'metrics' && (kind === 'Pod' || kind === 'Node') ? (
        <UsageCharts cluster={cluster} kind={kind} {...(namespace ? { namespace } : {})} name={name} />
      ) : tab === 'access' ? (
        <AccessTab cluster={cluster} object={object} kind={kind} />
      ) : tab === 'terminal' ? (
        <TerminalPanel cluster={cluster} pod={object} />
      ) : tab === 'logs' ? (
        <LogsTab cluster={cluster} object={object} kind={kind} />
      ) : tab === 'overview' ? (
        <div className="detail-grid">
          <div className="detail-main">
            <section className="panel">
              <Facts object={object} kind={kind} now={now} />
            </section>
            <Containers object={object} kind={kind} />
            <DataSection object={object} kind={kind} />
            <Conditions object={object} />
            <RelatedEvents cluster={cluster} object={object} now={now} />
          </div>
          <div className="detail-side">
            <Related cluster={cluster} object={{ ...object, kind }} discovered={discovery.data} />
            <KeyValues title="Labels" values={object.metadata.labels} />
            <KeyValues title="Annotations" values={object.metadata.annotations} />
          </div>
        </div>
      ) : (
        <YamlTab
          cluster={cluster}
          object={object}
          kind={kind}
          apiVersion={view.type.group ? `${view.type.group}/${view.type.version}` : view.type.version}
        />
      )}
      {dialog === 'delete' && (
        <DeleteDialog
          target={target}
          kind={kind}
          onClose={() => setDialog(undefined)}
          onDeleted={() => {
            setDeleted(true);
            setDialog(undefined);
            navigate({ view: 'list', cluster, resource: view.key });
          }}
        />
      )}
      {dialog === 'scale' && (
        <ScaleDialog target={target} kind={kind} object={object} onClose={() => setDialog(undefined)} />
      )}
      {dialog === 'history' && <RolloutHistoryDialog target={target} onClose={() => setDialog(undefined)} />}
      {dialog === 'drain' && (
        <DrainDialog cluster={cluster} name={name} onClose={() => setDialog(undefined)} />
      )}
    </div>
  );
}

/** The object as YAML; applying sends it back with its resourceVersion, so a stale edit is a Conflict. */
function YamlTab({
  cluster,
  object,
  kind,
  apiVersion,
}: {
  cluster: string;
  object: KubeObject;
  kind: string;
  apiVersion: string;
}) {
  const api = useApi();
  const toast = useToast();
  const original = useMemo(() => toYaml(object, kind, apiVersion), [object, kind, apiVersion]);
  // Untouched, the editor shows (and follows) the live object; once edited it keeps the draft.
  const [draft, setDraft] = useState<{ base: string; text: string } | undefined>(undefined);
  const text = draft?.text ?? original;
  const dirty = draft !== undefined;
  const problems = checkManifests(text);
  const check = useDryRun(
    dirty && problems.length === 0
      ? {
          cluster,
          yaml: text,
          mode: 'edit',
          original: draft?.base ?? original,
          ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
        }
      : undefined,
  );
  const apply = useMutation({
    mutationFn: () =>
      api.invoke('kube.apply', {
        cluster,
        yaml: text,
        mode: 'edit',
        original: draft?.base ?? original,
        ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
      }),
    onSuccess: () => {
      toast(`${kind.toLowerCase()}/${object.metadata.name} saved`);
      setDraft(undefined);
    },
  });
  return (
    <div className="yaml-tab">
      <div className="yaml-toolbar">
        <span className="muted small">
          {dirty
            ? 'Edited — the live object is not followed until you apply or revert.'
            : 'Live: follows the object as it changes.'}
        </span>
        <span className="spacer" />
        <button
          disabled={!dirty}
          onClick={() => {
            setDraft(undefined);
            apply.reset();
          }}
        >
          Revert
        </button>
        <button
          className="primary"
          disabled={!dirty || problems.length > 0 || apply.isPending}
          onClick={() => apply.mutate()}
        >
          {apply.isPending ? 'Applying…' : 'Apply'}
        </button>
      </div>
      <ProblemList problems={problems} />
      {apply.error ? (
        <ErrorView error={apply.error} title="The server refused the change" />
      ) : (
        dirty && problems.length === 0 && <ServerCheck check={check} />
      )}
      <YamlEditor
        label="Object YAML"
        value={text}
        onChange={(value) => setDraft((previous) => ({ base: previous?.base ?? original, text: value }))}
        minRows={30}
      />
    </div>
  );
}

function toYaml(object: KubeObject, kind: string, apiVersion: string): string {
  const { managedFields: _managed, ...metadata } = object.metadata;
  // List items come without apiVersion and kind; the editor shows a complete object.
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = object;
  return stringify(
    { apiVersion: object.apiVersion ?? apiVersion, kind: object.kind ?? kind, metadata, ...rest },
    { indent: 2, lineWidth: 0 },
  );
}
