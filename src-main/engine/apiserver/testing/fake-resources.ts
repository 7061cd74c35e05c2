import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';

// fast-json-patch is CommonJS: Node's ESM loader only sees its default export.
const { applyPatch, deepClone } = fastJsonPatch;
import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import type { ResourceDefinition } from '../registry/types';
import type { Patcher, ResourceResolver } from '../storage/dependencies';
import { fieldErrors } from '../status';

/**
 * Small resource definitions for unit tests of the generic layers (storage, HTTP); the
 * real ones live in the registry.
 */
const nameAge = {
  columns: [
    { name: 'Name', type: 'string' as const, format: 'name', description: 'Name', priority: 0 as const },
    { name: 'Age', type: 'string' as const, description: 'Age', priority: 0 as const },
  ],
  cells: (obj: KubeObject) => [obj.metadata.name, '0s'],
};

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const fakeDefinitions: ResourceDefinition[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    plural: 'namespaces',
    singular: 'namespace',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [
      { name: 'status', kind: 'Namespace', group: '', version: 'v1', verbs: ['get', 'patch', 'update'] },
    ],
    hasStatusSubresource: true,
    prepareForCreate: (obj) => {
      obj.spec = { finalizers: ['kubernetes'] };
      obj.status = { phase: 'Active' };
    },
    table: nameAge,
    fieldSelectors: {
      'status.phase': (o) => (isPlainObject(o.status) ? (o.status.phase as string) : undefined),
    },
  },
  {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    listKind: 'ConfigMapList',
    plural: 'configmaps',
    singular: 'configmap',
    namespaced: true,
    shortNames: ['cm'],
    verbs,
    subresources: [],
    hasStatusSubresource: false,
    table: nameAge,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Service',
    listKind: 'ServiceList',
    plural: 'services',
    singular: 'service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [
      { name: 'status', kind: 'Service', group: '', version: 'v1', verbs: ['get', 'patch', 'update'] },
    ],
    hasStatusSubresource: true,
    table: nameAge,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Endpoints',
    listKind: 'EndpointsList',
    plural: 'endpoints',
    singular: 'endpoints',
    namespaced: true,
    shortNames: ['ep'],
    verbs,
    subresources: [],
    hasStatusSubresource: false,
    table: nameAge,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Pod',
    listKind: 'PodList',
    plural: 'pods',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    verbs,
    subresources: [
      { name: 'status', kind: 'Pod', group: '', version: 'v1', verbs: ['get', 'patch', 'update'] },
    ],
    hasStatusSubresource: true,
    applyDefaults: (obj) => {
      const spec = isPlainObject(obj.spec) ? obj.spec : (obj.spec = {});
      spec.terminationGracePeriodSeconds ??= 30;
    },
    prepareForCreate: (obj) => {
      obj.status = { phase: 'Pending' };
    },
    table: nameAge,
    fieldSelectors: {
      'spec.nodeName': (o) => (isPlainObject(o.spec) ? (o.spec.nodeName as string) : undefined),
      'status.phase': (o) => (isPlainObject(o.status) ? (o.status.phase as string) : undefined),
    },
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    listKind: 'DeploymentList',
    plural: 'deployments',
    singular: 'deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    verbs,
    subresources: [
      { name: 'status', kind: 'Deployment', group: 'apps', version: 'v1', verbs: ['get', 'patch', 'update'] },
      {
        name: 'scale',
        kind: 'Scale',
        group: 'autoscaling',
        version: 'v1',
        verbs: ['get', 'patch', 'update'],
      },
    ],
    hasStatusSubresource: true,
    applyDefaults: (obj) => {
      const spec = isPlainObject(obj.spec) ? obj.spec : (obj.spec = {});
      spec.replicas ??= 1;
    },
    validate: (obj) => {
      const spec = isPlainObject(obj.spec) ? obj.spec : {};
      return typeof spec.replicas === 'number' && spec.replicas < 0
        ? [fieldErrors.invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0')]
        : [];
    },
    prepareForCreate: (obj) => {
      delete obj.status;
    },
    table: nameAge,
    scale: {
      specReplicasPath: ['spec', 'replicas'],
      statusReplicasPath: ['status', 'replicas'],
      selectorPath: ['spec', 'selector'],
    },
  },
];

export function fakeResolver(definitions: ResourceDefinition[] = fakeDefinitions): ResourceResolver {
  return {
    find: (group, version, plural) =>
      definitions.find((d) => d.group === group && d.version === version && d.plural === plural),
    all: () => definitions,
  };
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return deepClone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** A patcher good enough for generic-layer tests: strategic and apply behave as merge patches. */
export const fakePatcher: Patcher = {
  json: (doc, patch) =>
    applyPatch(deepClone(doc), patch as Operation[], true, false).newDocument as KubeObject,
  merge: (doc, patch) => mergePatch(doc, patch) as KubeObject,
  strategic: (doc, patch) => mergePatch(doc, patch) as KubeObject,
  apply: ({ live, applied }) => mergePatch(live ?? {}, applied) as KubeObject,
  recordUpdate: ({ updated }) => updated,
};
