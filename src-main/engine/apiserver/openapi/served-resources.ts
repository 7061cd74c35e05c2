/**
 * The group-versions and resources whose OpenAPI schemas and paths the server publishes.
 * Kept here (rather than read from the registry) so the schema data file can be generated
 * without starting an engine; the registry and this table describe the same API.
 */

export interface ServedSubresource {
  /** e.g. "status", "scale", "eviction". */
  name: string;
  /** Definition name of the body the subresource takes and returns. */
  definition?: string;
  /** Operations that exist on the subresource path. */
  verbs: ('get' | 'put' | 'patch' | 'post')[];
}

/** A streaming or proxying subresource (log, exec, attach, portforward, proxy). */
export interface ConnectSubresource {
  name: 'log' | 'exec' | 'attach' | 'portforward' | 'proxy';
  /** Kind of the options object the operations are tagged with (log uses the owner's kind). */
  optionsKind?: string;
  methods: ('get' | 'put' | 'post' | 'delete' | 'patch' | 'options' | 'head')[];
}

export interface ServedResource {
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Definition name, e.g. "io.k8s.api.core.v1.Pod". */
  definition: string;
  /** Definition name of the list kind; absent for create-only kinds (reviews). */
  listDefinition?: string;
  /** Create-only kinds (TokenReview, SubjectAccessReview…) have only `post`. */
  createOnly?: boolean;
  subresources: ServedSubresource[];
  connect: ConnectSubresource[];
}

export interface ServedGroupVersion {
  /** "" for the core group. */
  group: string;
  version: string;
  /** Go package segment of the definitions, e.g. "core", "apps", "rbac". */
  pkg: string;
  resources: ServedResource[];
}

const ALL_METHODS: ConnectSubresource['methods'] = [
  'get',
  'put',
  'post',
  'delete',
  'patch',
  'options',
  'head',
];
const proxy = (kind: string): ConnectSubresource => ({
  name: 'proxy',
  optionsKind: `${kind}ProxyOptions`,
  methods: ALL_METHODS,
});

const status: ServedSubresource = { name: 'status', verbs: ['get', 'put', 'patch'] };
const scale: ServedSubresource = {
  name: 'scale',
  definition: 'io.k8s.api.autoscaling.v1.Scale',
  verbs: ['get', 'put', 'patch'],
};

interface ResourceSpec {
  plural: string;
  kind: string;
  namespaced?: boolean;
  createOnly?: boolean;
  subresources?: ServedSubresource[];
  connect?: ConnectSubresource[];
  noList?: boolean;
}

function gv(group: string, version: string, pkg: string, specs: ResourceSpec[]): ServedGroupVersion {
  const prefix = `io.k8s.api.${pkg}.${version}.`;
  return {
    group,
    version,
    pkg,
    resources: specs.map((s) => ({
      plural: s.plural,
      kind: s.kind,
      namespaced: s.namespaced ?? true,
      definition: prefix + s.kind,
      listDefinition: s.createOnly || s.noList ? undefined : `${prefix}${s.kind}List`,
      createOnly: s.createOnly,
      subresources: s.subresources ?? [],
      connect: s.connect ?? [],
    })),
  };
}

/** Every group-version the server publishes OpenAPI for, in discovery order. */
export const SERVED_GROUP_VERSIONS: readonly ServedGroupVersion[] = [
  gv('', 'v1', 'core', [
    { plural: 'bindings', kind: 'Binding', createOnly: true },
    { plural: 'componentstatuses', kind: 'ComponentStatus', namespaced: false },
    { plural: 'configmaps', kind: 'ConfigMap' },
    { plural: 'endpoints', kind: 'Endpoints' },
    { plural: 'events', kind: 'Event' },
    { plural: 'limitranges', kind: 'LimitRange' },
    {
      plural: 'namespaces',
      kind: 'Namespace',
      namespaced: false,
      subresources: [status, { name: 'finalize', verbs: ['put'] }],
    },
    { plural: 'nodes', kind: 'Node', namespaced: false, subresources: [status], connect: [proxy('Node')] },
    { plural: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', subresources: [status] },
    { plural: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false, subresources: [status] },
    {
      plural: 'pods',
      kind: 'Pod',
      subresources: [
        status,
        { name: 'binding', definition: 'io.k8s.api.core.v1.Binding', verbs: ['post'] },
        { name: 'eviction', definition: 'io.k8s.api.policy.v1.Eviction', verbs: ['post'] },
        { name: 'ephemeralcontainers', verbs: ['get', 'put', 'patch'] },
        { name: 'resize', verbs: ['get', 'put', 'patch'] },
      ],
      connect: [
        { name: 'attach', optionsKind: 'PodAttachOptions', methods: ['get', 'post'] },
        { name: 'exec', optionsKind: 'PodExecOptions', methods: ['get', 'post'] },
        { name: 'log', methods: ['get'] },
        { name: 'portforward', optionsKind: 'PodPortForwardOptions', methods: ['get', 'post'] },
        proxy('Pod'),
      ],
    },
    { plural: 'podtemplates', kind: 'PodTemplate' },
    { plural: 'replicationcontrollers', kind: 'ReplicationController', subresources: [status, scale] },
    { plural: 'resourcequotas', kind: 'ResourceQuota', subresources: [status] },
    { plural: 'secrets', kind: 'Secret' },
    {
      plural: 'serviceaccounts',
      kind: 'ServiceAccount',
      subresources: [
        { name: 'token', definition: 'io.k8s.api.authentication.v1.TokenRequest', verbs: ['post'] },
      ],
    },
    { plural: 'services', kind: 'Service', subresources: [status], connect: [proxy('Service')] },
  ]),
  gv('apps', 'v1', 'apps', [
    { plural: 'controllerrevisions', kind: 'ControllerRevision' },
    { plural: 'daemonsets', kind: 'DaemonSet', subresources: [status] },
    { plural: 'deployments', kind: 'Deployment', subresources: [status, scale] },
    { plural: 'replicasets', kind: 'ReplicaSet', subresources: [status, scale] },
    { plural: 'statefulsets', kind: 'StatefulSet', subresources: [status, scale] },
  ]),
  gv('autoscaling', 'v1', 'autoscaling', [
    { plural: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', subresources: [status] },
  ]),
  gv('autoscaling', 'v2', 'autoscaling', [
    { plural: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', subresources: [status] },
  ]),
  gv('batch', 'v1', 'batch', [
    { plural: 'cronjobs', kind: 'CronJob', subresources: [status] },
    { plural: 'jobs', kind: 'Job', subresources: [status] },
  ]),
  gv('networking.k8s.io', 'v1', 'networking', [
    { plural: 'ingressclasses', kind: 'IngressClass', namespaced: false },
    { plural: 'ingresses', kind: 'Ingress', subresources: [status] },
    { plural: 'networkpolicies', kind: 'NetworkPolicy' },
  ]),
  gv('discovery.k8s.io', 'v1', 'discovery', [{ plural: 'endpointslices', kind: 'EndpointSlice' }]),
  gv('coordination.k8s.io', 'v1', 'coordination', [{ plural: 'leases', kind: 'Lease' }]),
  gv('storage.k8s.io', 'v1', 'storage', [
    { plural: 'csidrivers', kind: 'CSIDriver', namespaced: false },
    { plural: 'csinodes', kind: 'CSINode', namespaced: false },
    { plural: 'csistoragecapacities', kind: 'CSIStorageCapacity' },
    { plural: 'storageclasses', kind: 'StorageClass', namespaced: false },
    { plural: 'volumeattachments', kind: 'VolumeAttachment', namespaced: false, subresources: [status] },
  ]),
  gv('events.k8s.io', 'v1', 'events', [{ plural: 'events', kind: 'Event' }]),
  gv('rbac.authorization.k8s.io', 'v1', 'rbac', [
    { plural: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
    { plural: 'clusterroles', kind: 'ClusterRole', namespaced: false },
    { plural: 'rolebindings', kind: 'RoleBinding' },
    { plural: 'roles', kind: 'Role' },
  ]),
  gv('policy', 'v1', 'policy', [
    { plural: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', subresources: [status] },
  ]),
  gv('authentication.k8s.io', 'v1', 'authentication', [
    { plural: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false, createOnly: true },
    { plural: 'tokenreviews', kind: 'TokenReview', namespaced: false, createOnly: true },
  ]),
  gv('authorization.k8s.io', 'v1', 'authorization', [
    { plural: 'localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', createOnly: true },
    {
      plural: 'selfsubjectaccessreviews',
      kind: 'SelfSubjectAccessReview',
      namespaced: false,
      createOnly: true,
    },
    {
      plural: 'selfsubjectrulesreviews',
      kind: 'SelfSubjectRulesReview',
      namespaced: false,
      createOnly: true,
    },
    { plural: 'subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false, createOnly: true },
  ]),
  gv('scheduling.k8s.io', 'v1', 'scheduling', [
    { plural: 'priorityclasses', kind: 'PriorityClass', namespaced: false },
  ]),
  gv('node.k8s.io', 'v1', 'node', [{ plural: 'runtimeclasses', kind: 'RuntimeClass', namespaced: false }]),
];

/** "v1" for the core group, "apps/v1" otherwise. */
export function apiVersionString(g: Pick<ServedGroupVersion, 'group' | 'version'>): string {
  return g.group ? `${g.group}/${g.version}` : g.version;
}

/** The OpenAPI v3 path key: "api/v1" or "apis/<group>/<version>". */
export function groupVersionPath(g: Pick<ServedGroupVersion, 'group' | 'version'>): string {
  return g.group ? `apis/${g.group}/${g.version}` : `api/${g.version}`;
}

/** Definitions every group-version document carries besides its kinds. */
export const COMMON_DEFINITIONS: readonly string[] = [
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
  'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList',
];
