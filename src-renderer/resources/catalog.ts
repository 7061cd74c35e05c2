import type { KubeObject, ResourceAddress, ResourceType } from '../../src-main/ipc/contract';
import { resourceKey } from '../data/query-keys';
import type { Tone } from './object-helpers';
import {
  ageMs,
  formatAge,
  images,
  jobStatus,
  list,
  nodeRoles,
  nodeStatus,
  num,
  pick,
  podReady,
  podRestarts,
  podStatus,
  ratioTone,
  record,
  statusTone,
  str,
} from './object-helpers';

/** One column of a resource table. */
export interface Column {
  id: string;
  title: string;
  /** CSS grid track, e.g. `minmax(160px, 2fr)` or `80px`. */
  width: string;
  text(object: KubeObject, now: number): string;
  /** Sort value (defaults to the text). */
  sort?(object: KubeObject, now: number): string | number;
  tone?(object: KubeObject): Tone | undefined;
  align?: 'right';
}

/** A resource view of the sidebar. */
export interface ResourceView {
  /** `pods`, `deployments.apps` (see resourceKey). */
  key: string;
  title: string;
  section: 'Workloads' | 'Network' | 'Config' | 'Storage' | 'Cluster' | 'Custom';
  type: ResourceAddress & { kind: string };
  columns: Column[];
  /** Workloads with `spec.replicas` can be scaled; Deployments rolled back. */
  scalable?: boolean;
  restartable?: boolean;
}

const NAME: Column = {
  id: 'name',
  title: 'Name',
  width: 'minmax(200px, 3fr)',
  text: (o) => o.metadata.name ?? '',
};
const NAMESPACE: Column = {
  id: 'namespace',
  title: 'Namespace',
  width: 'minmax(110px, 1fr)',
  text: (o) => o.metadata.namespace ?? '',
};
const AGE: Column = {
  id: 'age',
  title: 'Age',
  width: '72px',
  text: (o, now) => formatAge(o.metadata.creationTimestamp, now),
  sort: (o, now) => ageMs(o, now),
  align: 'right',
};

function column(
  id: string,
  title: string,
  width: string,
  text: (o: KubeObject) => string,
  extra: Partial<Column> = {},
): Column {
  return { id, title, width, text, ...extra };
}

const count = (path: string) => (o: KubeObject) => String(num(o, path) ?? 0);
const numeric = (path: string) => (o: KubeObject) => num(o, path) ?? 0;
const readyOf = (readyPath: string, desiredPath: string): Pick<Column, 'text' | 'sort' | 'tone'> => ({
  text: (o) => `${num(o, readyPath) ?? 0}/${num(o, desiredPath) ?? 0}`,
  sort: (o) => num(o, readyPath) ?? 0,
  tone: (o) => ratioTone(num(o, readyPath) ?? 0, num(o, desiredPath) ?? 0),
});

function addr(group: string, version: string, plural: string, kind: string, namespaced = true) {
  return { group, version, plural, kind, namespaced };
}

function view(
  title: string,
  section: ResourceView['section'],
  type: ResourceView['type'],
  columns: Column[],
  extra: Partial<ResourceView> = {},
): ResourceView {
  const cols = type.namespaced ? [NAME, NAMESPACE, ...columns, AGE] : [NAME, ...columns, AGE];
  return { key: resourceKey(type), title, section, type, columns: cols, ...extra };
}

function servicePorts(o: KubeObject): string {
  return list<{ port?: number; nodePort?: number; protocol?: string }>(o, 'spec.ports')
    .map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
    .join(',');
}

function externalIp(o: KubeObject): string {
  const ingress = list<{ ip?: string; hostname?: string }>(o, 'status.loadBalancer.ingress').map(
    (i) => i.ip ?? i.hostname ?? '',
  );
  const external = list<string>(o, 'spec.externalIPs');
  const all = [...ingress, ...external].filter(Boolean);
  if (all.length) return all.join(',');
  return str(o, 'spec.type') === 'LoadBalancer' ? '<pending>' : '<none>';
}

/** The views of the sidebar, in order. */
export const RESOURCE_VIEWS: ResourceView[] = [
  view('Pods', 'Workloads', addr('', 'v1', 'pods', 'Pod'), [
    column('ready', 'Ready', '64px', podReady),
    column('status', 'Status', 'minmax(110px, 1fr)', podStatus, { tone: (o) => statusTone(podStatus(o)) }),
    column('restarts', 'Restarts', '76px', (o) => String(podRestarts(o)), {
      sort: podRestarts,
      align: 'right',
    }),
    column('node', 'Node', 'minmax(90px, 1fr)', (o) => str(o, 'spec.nodeName') ?? ''),
    column('ip', 'IP', '110px', (o) => str(o, 'status.podIP') ?? ''),
  ]),
  view(
    'Deployments',
    'Workloads',
    addr('apps', 'v1', 'deployments', 'Deployment'),
    [
      column('ready', 'Ready', '70px', () => '', readyOf('status.readyReplicas', 'spec.replicas')),
      column('updated', 'Up-to-date', '90px', count('status.updatedReplicas'), {
        sort: numeric('status.updatedReplicas'),
        align: 'right',
      }),
      column('available', 'Available', '84px', count('status.availableReplicas'), {
        sort: numeric('status.availableReplicas'),
        align: 'right',
      }),
      column('images', 'Images', 'minmax(140px, 2fr)', (o) => images(o).join(', ')),
    ],
    { scalable: true, restartable: true },
  ),
  view(
    'ReplicaSets',
    'Workloads',
    addr('apps', 'v1', 'replicasets', 'ReplicaSet'),
    [
      column('desired', 'Desired', '72px', count('spec.replicas'), {
        sort: numeric('spec.replicas'),
        align: 'right',
      }),
      column('current', 'Current', '72px', count('status.replicas'), {
        sort: numeric('status.replicas'),
        align: 'right',
      }),
      column('ready', 'Ready', '64px', () => '', readyOf('status.readyReplicas', 'spec.replicas')),
      column('images', 'Images', 'minmax(140px, 2fr)', (o) => images(o).join(', ')),
    ],
    { scalable: true },
  ),
  view(
    'StatefulSets',
    'Workloads',
    addr('apps', 'v1', 'statefulsets', 'StatefulSet'),
    [
      column('ready', 'Ready', '70px', () => '', readyOf('status.readyReplicas', 'spec.replicas')),
      column('images', 'Images', 'minmax(140px, 2fr)', (o) => images(o).join(', ')),
    ],
    { scalable: true, restartable: true },
  ),
  view(
    'DaemonSets',
    'Workloads',
    addr('apps', 'v1', 'daemonsets', 'DaemonSet'),
    [
      column('desired', 'Desired', '72px', count('status.desiredNumberScheduled'), { align: 'right' }),
      column('current', 'Current', '72px', count('status.currentNumberScheduled'), { align: 'right' }),
      column(
        'ready',
        'Ready',
        '64px',
        () => '',
        readyOf('status.numberReady', 'status.desiredNumberScheduled'),
      ),
      column('available', 'Available', '84px', count('status.numberAvailable'), { align: 'right' }),
    ],
    { restartable: true },
  ),
  view('Jobs', 'Workloads', addr('batch', 'v1', 'jobs', 'Job'), [
    column('status', 'Status', '100px', jobStatus, { tone: (o) => statusTone(jobStatus(o)) }),
    column(
      'completions',
      'Completions',
      '100px',
      (o) => `${num(o, 'status.succeeded') ?? 0}/${num(o, 'spec.completions') ?? 1}`,
    ),
    column('images', 'Images', 'minmax(140px, 2fr)', (o) => images(o).join(', ')),
  ]),
  view('CronJobs', 'Workloads', addr('batch', 'v1', 'cronjobs', 'CronJob'), [
    column('schedule', 'Schedule', '120px', (o) => str(o, 'spec.schedule') ?? ''),
    column('suspend', 'Suspend', '76px', (o) => String(pick(o, 'spec.suspend') === true)),
    column('active', 'Active', '64px', (o) => String(list(o, 'status.active').length), { align: 'right' }),
    column('last', 'Last schedule', '110px', (o) => str(o, 'status.lastScheduleTime') ?? '<none>'),
  ]),
  view('Services', 'Network', addr('', 'v1', 'services', 'Service'), [
    column('type', 'Type', '110px', (o) => str(o, 'spec.type') ?? 'ClusterIP'),
    column('clusterIP', 'Cluster IP', '120px', (o) => str(o, 'spec.clusterIP') ?? ''),
    column('externalIP', 'External IP', '120px', externalIp),
    column('ports', 'Ports', 'minmax(120px, 1fr)', servicePorts),
  ]),
  view('Ingresses', 'Network', addr('networking.k8s.io', 'v1', 'ingresses', 'Ingress'), [
    column('class', 'Class', '100px', (o) => str(o, 'spec.ingressClassName') ?? '<none>'),
    column('hosts', 'Hosts', 'minmax(140px, 2fr)', (o) =>
      list<{ host?: string }>(o, 'spec.rules')
        .map((r) => r.host ?? '*')
        .join(','),
    ),
    column('address', 'Address', '120px', (o) =>
      list<{ ip?: string; hostname?: string }>(o, 'status.loadBalancer.ingress')
        .map((i) => i.ip ?? i.hostname)
        .join(','),
    ),
  ]),
  view('ConfigMaps', 'Config', addr('', 'v1', 'configmaps', 'ConfigMap'), [
    column(
      'data',
      'Data',
      '64px',
      (o) => String(Object.keys(record(o, 'data')).length + Object.keys(record(o, 'binaryData')).length),
      { align: 'right' },
    ),
  ]),
  view('Secrets', 'Config', addr('', 'v1', 'secrets', 'Secret'), [
    column('type', 'Type', 'minmax(140px, 1fr)', (o) => str(o, 'type') ?? 'Opaque'),
    column('data', 'Data', '64px', (o) => String(Object.keys(record(o, 'data')).length), { align: 'right' }),
  ]),
  view(
    'PersistentVolumeClaims',
    'Storage',
    addr('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim'),
    [
      column('status', 'Status', '80px', (o) => str(o, 'status.phase') ?? 'Pending', {
        tone: (o) => statusTone(str(o, 'status.phase') ?? 'Pending'),
      }),
      column('volume', 'Volume', 'minmax(120px, 1fr)', (o) => str(o, 'spec.volumeName') ?? ''),
      column('capacity', 'Capacity', '80px', (o) => str(o, 'status.capacity.storage') ?? ''),
      column('class', 'Storage class', '110px', (o) => str(o, 'spec.storageClassName') ?? ''),
    ],
  ),
  view('Nodes', 'Cluster', addr('', 'v1', 'nodes', 'Node', false), [
    column('status', 'Status', 'minmax(90px, 1fr)', nodeStatus, { tone: (o) => statusTone(nodeStatus(o)) }),
    column('roles', 'Roles', '110px', nodeRoles),
    column('version', 'Version', '90px', (o) => str(o, 'status.nodeInfo.kubeletVersion') ?? ''),
    column(
      'ip',
      'Internal IP',
      '110px',
      (o) =>
        list<{ type?: string; address?: string }>(o, 'status.addresses').find((a) => a.type === 'InternalIP')
          ?.address ?? '',
    ),
  ]),
  view('Namespaces', 'Cluster', addr('', 'v1', 'namespaces', 'Namespace', false), [
    column('status', 'Status', '100px', (o) => str(o, 'status.phase') ?? 'Active', {
      tone: (o) => statusTone(str(o, 'status.phase') ?? 'Active'),
    }),
  ]),
  {
    key: 'events',
    title: 'Events',
    section: 'Cluster',
    type: addr('', 'v1', 'events', 'Event'),
    columns: [
      column('lastSeen', 'Last seen', '92px', () => '', {
        text: (o, now) => formatAge(eventTime(o), now),
        sort: (o, now) => now - Date.parse(eventTime(o) ?? '') || 0,
        align: 'right',
      }),
      column('type', 'Type', '76px', (o) => str(o, 'type') ?? '', {
        tone: (o) => (str(o, 'type') === 'Warning' ? 'warn' : 'muted'),
      }),
      column('reason', 'Reason', '130px', (o) => str(o, 'reason') ?? ''),
      column(
        'object',
        'Object',
        'minmax(160px, 1.5fr)',
        (o) => `${str(o, 'involvedObject.kind')?.toLowerCase() ?? ''}/${str(o, 'involvedObject.name') ?? ''}`,
      ),
      column('message', 'Message', 'minmax(240px, 4fr)', (o) => str(o, 'message') ?? str(o, 'note') ?? ''),
      NAMESPACE,
      column('count', 'Count', '56px', (o) => String(num(o, 'count') ?? 1), {
        sort: (o) => num(o, 'count') ?? 1,
        align: 'right',
      }),
    ],
  },
];

function eventTime(o: KubeObject): string | undefined {
  return (
    str(o, 'lastTimestamp') ?? str(o, 'eventTime') ?? str(o, 'firstTimestamp') ?? o.metadata.creationTimestamp
  );
}

const BY_KEY = new Map(RESOURCE_VIEWS.map((v) => [v.key, v]));

/** The built-in view of a key, or a generic one built from discovery (CRDs and the rest). */
export function viewFor(key: string, discovered: ResourceType[] | undefined): ResourceView | undefined {
  const builtin = BY_KEY.get(key);
  if (builtin) return builtin;
  const type = discovered?.find((t) => resourceKey(t) === key);
  return type ? genericView(type) : undefined;
}

export function genericView(type: ResourceType): ResourceView {
  return view(
    type.kind,
    'Custom',
    {
      group: type.group,
      version: type.version,
      plural: type.plural,
      kind: type.kind,
      namespaced: type.namespaced,
    },
    [],
  );
}

/** Discovered types that have no built-in view and can be listed. */
export function otherTypes(discovered: ResourceType[]): ResourceType[] {
  const seen = new Set<string>();
  return discovered
    .filter((t) => t.verbs.includes('list') && !BY_KEY.has(resourceKey(t)))
    .filter((t) => (t.group === 'events.k8s.io' ? false : true))
    .filter((t) => {
      const key = resourceKey(t);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.kind.localeCompare(b.kind));
}

/** The view of a kind (for owner links): built-in first. */
export function viewForKind(
  kind: string,
  apiVersion: string | undefined,
  discovered: ResourceType[] | undefined,
): ResourceView | undefined {
  const builtin = RESOURCE_VIEWS.find((v) => v.type.kind === kind);
  if (builtin) return builtin;
  const group = apiVersion?.includes('/') ? apiVersion.split('/')[0] : '';
  const type = discovered?.find((t) => t.kind === kind && t.group === group);
  return type ? genericView(type) : undefined;
}
