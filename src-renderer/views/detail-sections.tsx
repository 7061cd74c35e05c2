import { useState } from 'react';
import type { KubeObject, ResourceType } from '../../src-main/ipc/contract';
import { useResourceList } from '../data/use-resource-list';
import type { ResourceView } from '../resources/catalog';
import { viewForKind } from '../resources/catalog';
import {
  formatAge,
  images,
  jobStatus,
  list,
  nodeStatus,
  num,
  pick,
  podReady,
  podStatus,
  record,
  str,
} from '../resources/object-helpers';
import { EVENTS_TYPE, JOBS_TYPE, PODS_TYPE, REPLICASETS_TYPE } from '../resources/well-known';
import { routeHref } from '../state/router';
import { Status } from '../ui/status';

/** The status word shown in a detail page's header. */
export function headlineStatus(object: KubeObject, kind: string): string | undefined {
  switch (kind) {
    case 'Pod':
      return podStatus(object);
    case 'Node':
      return nodeStatus(object);
    case 'Job':
      return jobStatus(object);
    case 'Namespace':
    case 'PersistentVolumeClaim':
    case 'PersistentVolume':
      return str(object, 'status.phase');
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet': {
      const ready = num(object, 'status.readyReplicas') ?? 0;
      const desired = num(object, 'spec.replicas') ?? 0;
      return ready >= desired ? (desired === 0 ? 'Scaled to zero' : 'Available') : 'Progressing';
    }
    default:
      return undefined;
  }
}

export function Facts({ object, kind, now }: { object: KubeObject; kind: string; now: number }) {
  const facts: [string, string][] = [];
  if (object.metadata.namespace) facts.push(['Namespace', object.metadata.namespace]);
  facts.push([
    'Created',
    `${formatAge(object.metadata.creationTimestamp, now)} ago (${object.metadata.creationTimestamp ?? ''})`,
  ]);
  if (kind === 'Pod') {
    facts.push(
      ['Ready', podReady(object)],
      ['Node', str(object, 'spec.nodeName') ?? '—'],
      ['Pod IP', str(object, 'status.podIP') ?? '—'],
    );
    facts.push(['QoS class', str(object, 'status.qosClass') ?? '—']);
  }
  if (['Deployment', 'StatefulSet', 'ReplicaSet'].includes(kind)) {
    facts.push(
      [
        'Replicas',
        `${num(object, 'status.readyReplicas') ?? 0} ready / ${num(object, 'spec.replicas') ?? 0} desired`,
      ],
      ['Updated', String(num(object, 'status.updatedReplicas') ?? 0)],
      ['Images', images(object).join(', ')],
    );
    const selector = record(object, 'spec.selector.matchLabels');
    facts.push([
      'Selector',
      Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
    ]);
  }
  if (kind === 'Deployment') facts.push(['Strategy', str(object, 'spec.strategy.type') ?? 'RollingUpdate']);
  if (kind === 'Service') {
    facts.push(
      ['Type', str(object, 'spec.type') ?? 'ClusterIP'],
      ['Cluster IP', str(object, 'spec.clusterIP') ?? '—'],
    );
    facts.push([
      'Ports',
      list<{ name?: string; port?: number; targetPort?: unknown; nodePort?: number; protocol?: string }>(
        object,
        'spec.ports',
      )
        .map(
          (p) =>
            `${p.name ? `${p.name} ` : ''}${p.port}→${String(p.targetPort ?? p.port)}${p.nodePort ? ` (node ${p.nodePort})` : ''}/${p.protocol ?? 'TCP'}`,
        )
        .join(', '),
    ]);
  }
  if (kind === 'Node') {
    facts.push(
      ['Kubelet', str(object, 'status.nodeInfo.kubeletVersion') ?? ''],
      [
        'OS',
        `${str(object, 'status.nodeInfo.osImage') ?? ''} (${str(object, 'status.nodeInfo.architecture') ?? ''})`,
      ],
      ['Runtime', str(object, 'status.nodeInfo.containerRuntimeVersion') ?? ''],
      [
        'CPU / memory',
        `${str(object, 'status.capacity.cpu') ?? '?'} / ${str(object, 'status.capacity.memory') ?? '?'}`,
      ],
      ['Pods', str(object, 'status.capacity.pods') ?? ''],
      ['Schedulable', pick(object, 'spec.unschedulable') === true ? 'No (cordoned)' : 'Yes'],
    );
  }
  if (kind === 'CronJob')
    facts.push(
      ['Schedule', str(object, 'spec.schedule') ?? ''],
      ['Suspended', String(pick(object, 'spec.suspend') === true)],
    );
  facts.push(['UID', object.metadata.uid ?? '']);
  return (
    <dl className="facts wide">
      {facts.map(([key, value]) => (
        <div className="fact" key={key}>
          <dt>{key}</dt>
          <dd className="ellipsis" title={value}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function Conditions({ object }: { object: KubeObject }) {
  const conditions = list<{
    type?: string;
    status?: string;
    reason?: string;
    message?: string;
    lastTransitionTime?: string;
  }>(object, 'status.conditions');
  if (conditions.length === 0) return null;
  return (
    <section className="panel">
      <h3>Conditions</h3>
      <div className="mini-table">
        {conditions.map((c) => (
          <div className="mini-row cond" key={c.type}>
            <span className="mini-key">{c.type}</span>
            <Status
              text={c.status ?? ''}
              tone={c.status === 'True' ? 'ok' : c.status === 'False' ? 'muted' : 'warn'}
            />
            <span className="ellipsis" title={c.reason}>
              {c.reason}
            </span>
            <span className="muted ellipsis" title={c.message}>
              {c.message}
            </span>
          </div>
        ))}
      </div>
    </section>
  );
}

interface ContainerSpec {
  name?: string;
  image?: string;
  ports?: { containerPort?: number; protocol?: string }[];
  command?: string[];
  args?: string[];
}
interface ContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: Record<string, { reason?: string; startedAt?: string; exitCode?: number } | undefined>;
}

export function Containers({ object, kind }: { object: KubeObject; kind: string }) {
  const specPath =
    kind === 'Pod'
      ? 'spec'
      : kind === 'CronJob'
        ? 'spec.jobTemplate.spec.template.spec'
        : 'spec.template.spec';
  const containers = [
    ...list<ContainerSpec>(object, `${specPath}.initContainers`).map((c) => ({ ...c, init: true })),
    ...list<ContainerSpec>(object, `${specPath}.containers`).map((c) => ({ ...c, init: false })),
  ];
  if (containers.length === 0) return null;
  const statuses = [
    ...list<ContainerStatus>(object, 'status.initContainerStatuses'),
    ...list<ContainerStatus>(object, 'status.containerStatuses'),
  ];
  return (
    <section className="panel">
      <h3>Containers</h3>
      <div className="containers">
        {containers.map((container) => {
          const status = statuses.find((s) => s.name === container.name);
          const stateName = status?.state
            ? Object.keys(status.state).find((k) => status.state?.[k])
            : undefined;
          const state = stateName ? status?.state?.[stateName] : undefined;
          const label = stateName
            ? `${stateName[0].toUpperCase()}${stateName.slice(1)}${state?.reason ? ` (${state.reason})` : ''}`
            : undefined;
          return (
            <div className="container-card" key={`${container.init}-${container.name}`}>
              <div className="container-head">
                <b>{container.name}</b>
                {container.init && <span className="chip">init</span>}
                {label && (
                  <Status
                    text={label}
                    tone={
                      stateName === 'running' && status?.ready
                        ? 'ok'
                        : stateName === 'terminated' && state?.exitCode === 0
                          ? 'muted'
                          : stateName === 'running'
                            ? 'warn'
                            : 'bad'
                    }
                  />
                )}
              </div>
              <div className="mono small">{container.image}</div>
              <div className="muted small">
                {status && <>Restarts {status.restartCount ?? 0} · </>}
                {(container.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ') ||
                  'no ports'}
                {container.command && <> · {[...container.command, ...(container.args ?? [])].join(' ')}</>}
              </div>
            </div>
          );
        })}
      </div>
    </section>
  );
}

export function KeyValues({ title, values }: { title: string; values: Record<string, string> | undefined }) {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return null;
  return (
    <section className="panel">
      <h3>{title}</h3>
      <div className="chips">
        {entries.map(([key, value]) => (
          <span className="kv" key={key} title={`${key}=${value}`}>
            <span className="kv-key">{key}</span>
            {value && (
              <span className="kv-value">{value.length > 120 ? `${value.slice(0, 120)}…` : value}</span>
            )}
          </span>
        ))}
      </div>
    </section>
  );
}

/** ConfigMap data, or Secret data decoded but hidden until revealed one by one. */
export function DataSection({ object, kind }: { object: KubeObject; kind: string }) {
  const [revealed, setRevealed] = useState<Set<string>>(new Set());
  if (kind !== 'ConfigMap' && kind !== 'Secret') return null;
  const data = record(object, 'data') as Record<string, string>;
  const entries = Object.entries(data);
  return (
    <section className="panel">
      <h3>Data</h3>
      {entries.length === 0 && <div className="muted">No data.</div>}
      {entries.map(([key, value]) => {
        const secret = kind === 'Secret';
        const shown = !secret || revealed.has(key);
        return (
          <div className="data-entry" key={key}>
            <div className="data-key">
              <b>{key}</b>
              {secret && (
                <button
                  className="link small"
                  onClick={() =>
                    setRevealed((all) => {
                      const next = new Set(all);
                      if (next.has(key)) next.delete(key);
                      else next.add(key);
                      return next;
                    })
                  }
                >
                  {shown ? 'Hide' : 'Reveal'}
                </button>
              )}
            </div>
            <pre className="data-value" data-testid={`data-${key}`}>
              {shown ? (secret ? decodeBase64(value) : value) : '••••••••'}
            </pre>
          </div>
        );
      })}
    </section>
  );
}

function decodeBase64(value: string): string {
  try {
    const bytes = Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return value;
  }
}

/** Owner links up, and the objects this one controls (Deployment → ReplicaSets → Pods). */
export function Related({
  cluster,
  object,
  discovered,
}: {
  cluster: string;
  object: KubeObject;
  discovered: ResourceType[] | undefined;
}) {
  const kind = object.kind ?? '';
  const childType =
    kind === 'Deployment'
      ? REPLICASETS_TYPE
      : kind === 'CronJob'
        ? JOBS_TYPE
        : ['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'].includes(kind)
          ? PODS_TYPE
          : undefined;
  const children = useResourceList(cluster, childType, object.metadata.namespace ?? '');
  const owned = (children.data?.items ?? []).filter((child) =>
    child.metadata.ownerReferences?.some((owner) => owner.uid === object.metadata.uid),
  );
  const owners = object.metadata.ownerReferences ?? [];
  if (owners.length === 0 && !childType) return null;
  const childView =
    childType &&
    viewForKind(
      childType === PODS_TYPE ? 'Pod' : childType === JOBS_TYPE ? 'Job' : 'ReplicaSet',
      undefined,
      discovered,
    );
  return (
    <section className="panel">
      <h3>Related</h3>
      {owners.map((owner) => {
        const view = viewForKind(owner.kind, owner.apiVersion, discovered);
        return (
          <div key={owner.uid} className="related-row">
            <span className="muted">Owned by</span>
            {view ? (
              <a
                href={routeHref({
                  view: 'detail',
                  cluster,
                  resource: view.key,
                  namespace: object.metadata.namespace,
                  name: owner.name,
                })}
              >
                {owner.kind}/{owner.name}
              </a>
            ) : (
              `${owner.kind}/${owner.name}`
            )}
          </div>
        );
      })}
      {childView && (
        <div className="related-children">
          <div className="muted small">
            {owned.length} {childView.title}
          </div>
          {owned.map((child) => (
            <ChildLink
              key={child.metadata.uid ?? child.metadata.name}
              cluster={cluster}
              view={childView}
              child={child}
            />
          ))}
        </div>
      )}
    </section>
  );
}

function ChildLink({ cluster, view, child }: { cluster: string; view: ResourceView; child: KubeObject }) {
  const status =
    view.key === 'pods'
      ? podStatus(child)
      : view.key === 'jobs.batch'
        ? jobStatus(child)
        : `${num(child, 'status.readyReplicas') ?? 0}/${num(child, 'spec.replicas') ?? 0}`;
  return (
    <a
      className="child-link"
      href={routeHref({
        view: 'detail',
        cluster,
        resource: view.key,
        namespace: child.metadata.namespace,
        name: child.metadata.name ?? '',
      })}
    >
      <span className="ellipsis">{child.metadata.name}</span>
      {view.key === 'pods' || view.key === 'jobs.batch' ? (
        <Status text={status} />
      ) : (
        <span className="muted">{status} ready</span>
      )}
    </a>
  );
}

/** Events about this object, live (the namespace's event list is watched and filtered). */
export function RelatedEvents({
  cluster,
  object,
  now,
}: {
  cluster: string;
  object: KubeObject;
  now: number;
}) {
  const events = useResourceList(cluster, EVENTS_TYPE, object.metadata.namespace ?? 'default');
  const mine = (events.data?.items ?? [])
    .filter(
      (event) =>
        str(event, 'involvedObject.uid') === object.metadata.uid ||
        (str(event, 'involvedObject.name') === object.metadata.name &&
          str(event, 'involvedObject.kind') === object.kind),
    )
    .sort((a, b) => eventTime(b).localeCompare(eventTime(a)));
  return (
    <section className="panel">
      <h3>Events</h3>
      {mine.length === 0 && <div className="muted">No events.</div>}
      <div className="mini-table">
        {mine.map((event) => (
          <div className="mini-row event" key={event.metadata.uid ?? event.metadata.name}>
            <span className={str(event, 'type') === 'Warning' ? 'tone-text tone-warn' : 'muted'}>
              {str(event, 'type')}
            </span>
            <span className="mini-key">{str(event, 'reason')}</span>
            <span className="ellipsis" title={str(event, 'message')}>
              {str(event, 'message')}
            </span>
            <span className="muted right">
              {formatAge(eventTime(event), now)}
              {(num(event, 'count') ?? 1) > 1 ? ` ×${num(event, 'count')}` : ''}
            </span>
          </div>
        ))}
      </div>
    </section>
  );
}

function eventTime(event: KubeObject): string {
  return str(event, 'lastTimestamp') ?? str(event, 'eventTime') ?? event.metadata.creationTimestamp ?? '';
}
