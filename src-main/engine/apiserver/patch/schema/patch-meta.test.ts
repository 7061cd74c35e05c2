import { describe, expect, it } from 'vitest';
import { patchMetaAt, rootTypeOf, unresolvedTypeNames } from './index';

const POD_SPECS: [string, string, string][] = [
  ['v1', 'Pod', 'spec'],
  ['v1', 'PodTemplate', 'template.spec'],
  ['v1', 'ReplicationController', 'spec.template.spec'],
  ['apps/v1', 'Deployment', 'spec.template.spec'],
  ['apps/v1', 'ReplicaSet', 'spec.template.spec'],
  ['apps/v1', 'DaemonSet', 'spec.template.spec'],
  ['apps/v1', 'StatefulSet', 'spec.template.spec'],
  ['batch/v1', 'Job', 'spec.template.spec'],
  ['batch/v1', 'CronJob', 'spec.jobTemplate.spec.template.spec'],
];

const merge = (key: string, mapKeys: string[] = [key]) => ({
  patchStrategy: 'merge',
  patchMergeKey: key,
  listType: 'map',
  listMapKeys: mapKeys,
});
const atomic = { listType: 'atomic' };

/** Facts from the patchStrategy/patchMergeKey and listType markers of k8s.io/api. */
const POD_SPEC_FACTS: [string, object][] = [
  ['containers', merge('name')],
  ['initContainers', merge('name')],
  ['ephemeralContainers', merge('name')],
  ['volumes', { ...merge('name'), patchStrategy: 'merge,retainKeys' }],
  ['imagePullSecrets', merge('name')],
  ['hostAliases', merge('ip')],
  ['topologySpreadConstraints', merge('topologyKey', ['topologyKey', 'whenUnsatisfiable'])],
  ['schedulingGates', merge('name')],
  ['resourceClaims', { ...merge('name'), patchStrategy: 'merge,retainKeys' }],
  ['tolerations', atomic],
  ['readinessGates', atomic],
  ['nodeSelector', atomic],
  ['containers[].ports', merge('containerPort', ['containerPort', 'protocol'])],
  ['containers[].env', merge('name')],
  ['containers[].volumeMounts', merge('mountPath')],
  ['containers[].volumeDevices', merge('devicePath')],
  ['containers[].envFrom', atomic],
  ['containers[].args', atomic],
  ['containers[].command', atomic],
  ['containers[].resizePolicy', atomic],
  ['initContainers[].env', merge('name')],
  ['ephemeralContainers[].volumeMounts', merge('mountPath')],
];

describe('strategic merge / apply metadata table', () => {
  it('resolves every named type', () => {
    expect(unresolvedTypeNames()).toEqual([]);
  });

  for (const [apiVersion, kind, prefix] of POD_SPECS) {
    it.each(POD_SPEC_FACTS)(`${kind} ${prefix}.%s`, (path, expected) => {
      expect(patchMetaAt(apiVersion, kind, `${prefix}.${path}`)).toEqual(expected);
    });
  }

  it.each([
    ['v1', 'Pod', 'metadata.ownerReferences', merge('uid')],
    ['v1', 'Pod', 'metadata.finalizers', { patchStrategy: 'merge', listType: 'set' }],
    ['v1', 'Pod', 'metadata.managedFields', atomic],
    ['v1', 'Pod', 'status.conditions', merge('type')],
    ['v1', 'Pod', 'status.podIPs', merge('ip')],
    ['v1', 'Pod', 'status.containerStatuses', atomic],
    ['v1', 'Service', 'spec.ports', merge('port', ['port', 'protocol'])],
    ['v1', 'Service', 'spec.selector', atomic],
    ['v1', 'Service', 'status.conditions', merge('type')],
    ['v1', 'Node', 'status.conditions', merge('type')],
    ['v1', 'Node', 'status.addresses', merge('type')],
    ['v1', 'Node', 'spec.podCIDRs', { patchStrategy: 'merge', listType: 'set' }],
    ['v1', 'Node', 'spec.taints', atomic],
    ['v1', 'Namespace', 'status.conditions', merge('type')],
    ['v1', 'PersistentVolumeClaim', 'status.conditions', merge('type')],
    ['v1', 'ReplicationController', 'status.conditions', merge('type')],
    ['v1', 'ServiceAccount', 'secrets', merge('name')],
    ['v1', 'Endpoints', 'subsets', atomic],
    ['apps/v1', 'Deployment', 'spec.strategy', { patchStrategy: 'retainKeys' }],
    ['apps/v1', 'Deployment', 'spec.selector', atomic],
    ['apps/v1', 'Deployment', 'status.conditions', merge('type')],
    ['apps/v1', 'DaemonSet', 'spec.updateStrategy', {}],
    ['apps/v1', 'DaemonSet', 'status.conditions', merge('type')],
    ['apps/v1', 'StatefulSet', 'spec.updateStrategy', {}],
    ['apps/v1', 'StatefulSet', 'spec.volumeClaimTemplates', atomic],
    ['apps/v1', 'StatefulSet', 'status.conditions', merge('type')],
    ['apps/v1', 'ReplicaSet', 'status.conditions', merge('type')],
    [
      'batch/v1',
      'Job',
      'status.conditions',
      { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'atomic' },
    ],
    ['batch/v1', 'CronJob', 'status.active', atomic],
    ['networking.k8s.io/v1', 'Ingress', 'spec.rules', atomic],
    ['networking.k8s.io/v1', 'NetworkPolicy', 'spec.ingress', atomic],
    ['policy/v1', 'PodDisruptionBudget', 'status.conditions', merge('type')],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'rules', atomic],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'subjects', atomic],
    ['discovery.k8s.io/v1', 'EndpointSlice', 'endpoints', atomic],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', 'spec.metrics', atomic],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', 'status.conditions', merge('type')],
  ])('%s %s %s', (apiVersion, kind, path, expected) => {
    expect(patchMetaAt(apiVersion, kind, path)).toEqual(expected);
  });

  it('has no patch metadata for custom resources', () => {
    expect(rootTypeOf('example.com/v1', 'Widget')).toBeUndefined();
    expect(patchMetaAt('example.com/v1', 'Widget', 'spec')).toBeUndefined();
  });
});
