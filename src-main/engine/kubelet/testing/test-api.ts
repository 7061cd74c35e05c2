import { openSqliteStore } from '../../store/sqlite-store';
import type { KeyValueStore } from '../../store/types';
import { bootstrapCluster } from '../../apiserver/storage/bootstrap';
import { ObjectStorage } from '../../apiserver/storage/object-storage';
import { fakeDefinitions, fakePatcher, fakeResolver } from '../../apiserver/testing/fake-resources';
import type { ResourceDefinition } from '../../apiserver/registry/types';
import type { KubeObject } from '../../k8s-object';

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const table = {
  columns: [{ name: 'Name', type: 'string' as const, description: 'Name', priority: 0 as const }],
  cells: (obj: KubeObject) => [obj.metadata.name],
};

function definition(
  group: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  status = false,
): ResourceDefinition {
  return {
    group,
    version: 'v1',
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    verbs,
    subresources: status
      ? [{ name: 'status', kind, group, version: 'v1', verbs: ['get', 'patch', 'update'] }]
      : [],
    hasStatusSubresource: status,
    table,
  };
}

/** The kinds the kubelet and the hostpath provisioner touch, on top of the generic test kinds. */
export const kubeletTestDefinitions: ResourceDefinition[] = [
  ...fakeDefinitions,
  definition('', 'Secret', 'secrets', true),
  definition('', 'Node', 'nodes', false, true),
  definition('', 'Event', 'events', true),
  definition('', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, true),
  definition('', 'PersistentVolume', 'persistentvolumes', false, true),
  definition('coordination.k8s.io', 'Lease', 'leases', true),
  definition('storage.k8s.io', 'StorageClass', 'storageclasses', false),
];

/**
 * An in-process API over an in-memory store, for kubelet tests that should not depend on
 * the full registry: generic storage semantics (graceful pod deletion, status subresource,
 * field selectors) with small kind definitions.
 */
export function openTestApi(): { api: ObjectStorage; store: KeyValueStore; close(): void } {
  const store = openSqliteStore(':memory:');
  const api = new ObjectStorage({
    store,
    resources: fakeResolver(kubeletTestDefinitions),
    patcher: fakePatcher,
  });
  bootstrapCluster(api);
  return { api, store, close: () => store.close() };
}
