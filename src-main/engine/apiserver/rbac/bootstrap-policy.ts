import type { KubeObject } from '../../k8s-object';

/**
 * The ClusterRoles and ClusterRoleBindings Kubernetes' RBAC bootstrap policy creates, as far
 * as this cluster has a use for them (the roles of in-process components are left out: they
 * talk to the store directly). Rules are those of kube-apiserver's bootstrap policy.
 */
const API = 'rbac.authorization.k8s.io/v1';
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };
const DEFAULTS_LABEL = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface RuleSpec {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const r = (apiGroups: string[], resources: string[], verbs: string[]): RuleSpec => ({
  apiGroups,
  resources,
  verbs,
});
const url = (nonResourceURLs: string[], verbs: string[]): RuleSpec => ({ nonResourceURLs, verbs });

function clusterRole(
  name: string,
  rules: RuleSpec[] | undefined,
  extra: { labels?: Record<string, string>; aggregateFrom?: string } = {},
): KubeObject {
  return {
    apiVersion: API,
    kind: 'ClusterRole',
    metadata: { name, annotations: { ...AUTOUPDATE }, labels: { ...DEFAULTS_LABEL, ...extra.labels } },
    ...(extra.aggregateFrom
      ? {
          aggregationRule: {
            clusterRoleSelectors: [{ matchLabels: { [extra.aggregateFrom]: 'true' } }],
          },
        }
      : {}),
    rules: rules ?? [],
  };
}

function clusterRoleBinding(
  name: string,
  role: string,
  subjects: { kind: 'User' | 'Group'; name: string }[],
): KubeObject {
  return {
    apiVersion: API,
    kind: 'ClusterRoleBinding',
    metadata: { name, annotations: { ...AUTOUPDATE }, labels: { ...DEFAULTS_LABEL } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: subjects.map((s) => ({ apiGroup: 'rbac.authorization.k8s.io', ...s })),
  };
}

const AGGREGATE_TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
const AGGREGATE_TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

const PUBLIC_INFO = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

export const BOOTSTRAP_CLUSTER_ROLES: readonly KubeObject[] = [
  clusterRole('cluster-admin', [r(['*'], ['*'], ['*']), url(['*'], ['*'])]),
  clusterRole('admin', undefined, { aggregateFrom: AGGREGATE_TO_ADMIN }),
  clusterRole('edit', undefined, {
    aggregateFrom: AGGREGATE_TO_EDIT,
    labels: { [AGGREGATE_TO_ADMIN]: 'true' },
  }),
  clusterRole('view', undefined, {
    aggregateFrom: AGGREGATE_TO_VIEW,
    labels: { [AGGREGATE_TO_EDIT]: 'true' },
  }),
  clusterRole(
    'system:aggregate-to-admin',
    [
      r(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
      r(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], ALL),
    ],
    { labels: { [AGGREGATE_TO_ADMIN]: 'true' } },
  ),
  clusterRole(
    'system:aggregate-to-edit',
    [
      r(
        [''],
        ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'],
        READ,
      ),
      r([''], ['serviceaccounts'], ['impersonate']),
      r([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], WRITE),
      r([''], ['pods/eviction'], ['create']),
      r(
        [''],
        [
          'configmaps',
          'events',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'secrets',
          'serviceaccounts',
          'services',
          'services/proxy',
        ],
        WRITE,
      ),
      r([''], ['serviceaccounts/token'], ['create']),
      r(
        ['apps'],
        [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'replicasets',
          'replicasets/scale',
          'statefulsets',
          'statefulsets/scale',
        ],
        WRITE,
      ),
      r(['autoscaling'], ['horizontalpodautoscalers'], WRITE),
      r(['batch'], ['cronjobs', 'jobs'], WRITE),
      r(['policy'], ['poddisruptionbudgets'], WRITE),
      r(['networking.k8s.io'], ['ingresses', 'networkpolicies'], WRITE),
      r(['coordination.k8s.io'], ['leases'], ALL),
    ],
    { labels: { [AGGREGATE_TO_EDIT]: 'true' } },
  ),
  clusterRole(
    'system:aggregate-to-view',
    [
      r(
        [''],
        [
          'configmaps',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
        ],
        READ,
      ),
      r(
        [''],
        [
          'bindings',
          'events',
          'limitranges',
          'namespaces/status',
          'pods/log',
          'pods/status',
          'replicationcontrollers/status',
          'resourcequotas',
          'resourcequotas/status',
        ],
        READ,
      ),
      r([''], ['namespaces'], READ),
      r(['discovery.k8s.io'], ['endpointslices'], READ),
      r(
        ['apps'],
        [
          'controllerrevisions',
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'statefulsets',
          'statefulsets/scale',
          'statefulsets/status',
        ],
        READ,
      ),
      r(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
      r(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
      r(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
      r(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
    ],
    { labels: { [AGGREGATE_TO_VIEW]: 'true' } },
  ),
  clusterRole('system:basic-user', [
    r(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
    r(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
  ]),
  clusterRole('system:discovery', [
    url(
      [
        '/api',
        '/api/*',
        '/apis',
        '/apis/*',
        '/healthz',
        '/livez',
        '/openapi',
        '/openapi/*',
        '/readyz',
        '/version',
        '/version/',
      ],
      ['get'],
    ),
  ]),
  clusterRole('system:public-info-viewer', [url(PUBLIC_INFO, ['get'])]),
  clusterRole('system:node-proxier', [
    r([''], ['endpoints', 'services'], ['list', 'watch']),
    r([''], ['nodes'], READ),
    r(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    r(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
  ]),
  clusterRole('system:service-account-issuer-discovery', [
    url(
      [
        '/.well-known/openid-configuration',
        '/.well-known/openid-configuration/',
        '/openid/v1/jwks',
        '/openid/v1/jwks/',
      ],
      ['get'],
    ),
  ]),
];

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: readonly KubeObject[] = [
  clusterRoleBinding('cluster-admin', 'cluster-admin', [{ kind: 'Group', name: 'system:masters' }]),
  clusterRoleBinding('system:basic-user', 'system:basic-user', [
    { kind: 'Group', name: 'system:authenticated' },
  ]),
  clusterRoleBinding('system:discovery', 'system:discovery', [
    { kind: 'Group', name: 'system:authenticated' },
  ]),
  clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
    { kind: 'Group', name: 'system:authenticated' },
    { kind: 'Group', name: 'system:unauthenticated' },
  ]),
  // The network agent authenticates as kube-proxy does and reads what kube-proxy reads.
  clusterRoleBinding('system:node-proxier', 'system:node-proxier', [
    { kind: 'User', name: 'system:kube-proxy' },
  ]),
  clusterRoleBinding('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', [
    { kind: 'Group', name: 'system:serviceaccounts' },
  ]),
];
