import type { KindTable, TypeTable } from './schema-types';

/**
 * Struct types of apps/v1, batch/v1, networking/v1, policy/v1, rbac/v1, discovery/v1 and
 * autoscaling/v1+v2 that change merge behaviour (markers of their k8s.io/api types.go).
 * Pod templates refer to the core types.
 */
export const groupTypes: TypeTable = {
  Deployment: { metadata: 'ObjectMeta', spec: 'DeploymentSpec', status: 'ConditionsStatus' },
  DeploymentSpec: {
    selector: 'atomic',
    template: 'PodTemplateSpec',
    strategy: 'DeploymentStrategy retainKeys',
  },
  DeploymentStrategy: {},
  ReplicaSet: { metadata: 'ObjectMeta', spec: 'ReplicaSetSpec', status: 'ConditionsStatus' },
  ReplicaSetSpec: { selector: 'atomic', template: 'PodTemplateSpec' },
  // Upstream DaemonSetSpec/StatefulSetSpec.updateStrategy carry no patchStrategy tag: plain merge.
  DaemonSet: { metadata: 'ObjectMeta', spec: 'DaemonSetSpec', status: 'ConditionsStatus' },
  DaemonSetSpec: { selector: 'atomic', template: 'PodTemplateSpec' },
  StatefulSet: { metadata: 'ObjectMeta', spec: 'StatefulSetSpec', status: 'ConditionsStatus' },
  StatefulSetSpec: { selector: 'atomic', template: 'PodTemplateSpec', volumeClaimTemplates: '[]' },
  ControllerRevision: { metadata: 'ObjectMeta', data: 'atomic' },

  Job: { metadata: 'ObjectMeta', spec: 'JobSpec', status: 'JobStatus' },
  JobSpec: { selector: 'atomic', template: 'PodTemplateSpec', podFailurePolicy: 'PodFailurePolicy' },
  PodFailurePolicy: { rules: '[]' },
  // Job conditions are merged by type in SMP but `+listType=atomic` for apply.
  JobStatus: { conditions: '[type] ssa-atomic' },
  CronJob: { metadata: 'ObjectMeta', spec: 'CronJobSpec', status: 'CronJobStatus' },
  CronJobSpec: { jobTemplate: 'JobTemplateSpec' },
  JobTemplateSpec: { metadata: 'ObjectMeta', spec: 'JobSpec' },
  CronJobStatus: { active: '[]' },

  Ingress: { metadata: 'ObjectMeta', spec: 'IngressSpec', status: 'IngressStatus' },
  IngressSpec: { rules: '[]', tls: '[]', defaultBackend: 'IngressBackend' },
  IngressBackend: { resource: 'atomic' },
  IngressStatus: { loadBalancer: 'LoadBalancerStatus' },
  IngressClass: { metadata: 'ObjectMeta', spec: 'IngressClassSpec' },
  IngressClassSpec: { parameters: 'atomic' },
  NetworkPolicy: { metadata: 'ObjectMeta', spec: 'NetworkPolicySpec' },
  NetworkPolicySpec: { podSelector: 'atomic', ingress: '[]', egress: '[]', policyTypes: '[]' },

  PodDisruptionBudget: {
    metadata: 'ObjectMeta',
    spec: 'PodDisruptionBudgetSpec',
    status: 'ConditionsStatus',
  },
  PodDisruptionBudgetSpec: { selector: 'atomic' },
  Eviction: { metadata: 'ObjectMeta' },

  Role: { metadata: 'ObjectMeta', rules: '[]' },
  ClusterRole: { metadata: 'ObjectMeta', rules: '[]', aggregationRule: 'AggregationRule' },
  AggregationRule: { clusterRoleSelectors: '[]' },
  RoleBinding: { metadata: 'ObjectMeta', subjects: '[]', roleRef: 'atomic' },

  EndpointSlice: { metadata: 'ObjectMeta', endpoints: '[]', ports: '[]' },

  HorizontalPodAutoscaler: { metadata: 'ObjectMeta', spec: 'HPASpec', status: 'HPAStatus' },
  HPASpec: { metrics: '[]', behavior: 'HPABehavior' },
  HPABehavior: { scaleUp: 'HPAScalingRules', scaleDown: 'HPAScalingRules' },
  HPAScalingRules: { policies: '[]' },
  HPAStatus: { conditions: '[type]', currentMetrics: '[]' },
  Scale: { metadata: 'ObjectMeta' },
};

/**
 * Built-in kinds the strategic merge patch accepts, with their root type. Kinds absent here
 * (CRDs, aggregated APIs) answer 415 like Kubernetes does for custom resources.
 */
export const kindRoots: KindTable = {
  v1: {
    Pod: 'Pod',
    PodTemplate: 'PodTemplate',
    ReplicationController: 'ReplicationController',
    Service: 'Service',
    Endpoints: 'Endpoints',
    Node: 'Node',
    Namespace: 'Namespace',
    ConfigMap: 'ConfigMap',
    Secret: 'Secret',
    ServiceAccount: 'ServiceAccount',
    PersistentVolume: 'PersistentVolume',
    PersistentVolumeClaim: 'PersistentVolumeClaim',
    Event: 'Event',
    LimitRange: 'LimitRange',
    ResourceQuota: 'ResourceQuota',
    Binding: 'Binding',
    ComponentStatus: 'ComponentStatus',
  },
  'apps/v1': {
    Deployment: 'Deployment',
    ReplicaSet: 'ReplicaSet',
    DaemonSet: 'DaemonSet',
    StatefulSet: 'StatefulSet',
    ControllerRevision: 'ControllerRevision',
  },
  'batch/v1': { Job: 'Job', CronJob: 'CronJob' },
  'networking.k8s.io/v1': {
    Ingress: 'Ingress',
    IngressClass: 'IngressClass',
    NetworkPolicy: 'NetworkPolicy',
    IPAddress: 'MetadataOnly',
    ServiceCIDR: 'MetadataOnly',
  },
  'policy/v1': { PodDisruptionBudget: 'PodDisruptionBudget', Eviction: 'Eviction' },
  'rbac.authorization.k8s.io/v1': {
    Role: 'Role',
    ClusterRole: 'ClusterRole',
    RoleBinding: 'RoleBinding',
    ClusterRoleBinding: 'RoleBinding',
  },
  'discovery.k8s.io/v1': { EndpointSlice: 'EndpointSlice' },
  'autoscaling/v2': { HorizontalPodAutoscaler: 'HorizontalPodAutoscaler' },
  'autoscaling/v1': { HorizontalPodAutoscaler: 'MetadataOnly', Scale: 'Scale' },
  'coordination.k8s.io/v1': { Lease: 'MetadataOnly' },
  'storage.k8s.io/v1': { StorageClass: 'MetadataOnly', CSIDriver: 'MetadataOnly', CSINode: 'MetadataOnly' },
  'scheduling.k8s.io/v1': { PriorityClass: 'MetadataOnly' },
  'events.k8s.io/v1': { Event: 'MetadataOnly' },
  'node.k8s.io/v1': { RuntimeClass: 'MetadataOnly' },
  'certificates.k8s.io/v1': { CertificateSigningRequest: 'MetadataOnly' },
  'apiextensions.k8s.io/v1': { CustomResourceDefinition: 'MetadataOnly' },
  'apiregistration.k8s.io/v1': { APIService: 'MetadataOnly' },
  'admissionregistration.k8s.io/v1': {
    MutatingWebhookConfiguration: 'MetadataOnly',
    ValidatingWebhookConfiguration: 'MetadataOnly',
  },
};
