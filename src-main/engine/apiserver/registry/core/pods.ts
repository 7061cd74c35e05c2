import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import type { ResourceDefinition } from '../types';
import {
  deepEqual,
  inclusiveRangeError,
  nameIsDnsSubdomain,
  parseQuantity,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation';
import {
  STANDARD_VERBS,
  clone,
  coreSubresource,
  fieldAt,
  rec,
  records,
  setDefault,
  specOf,
  statusSubresource,
  str,
} from './common';
import { applyPodSpecDefaults, defaultRequestsFromLimits } from './pod-spec-defaults';
import { validatePodSpec } from './pod-spec-validation';
import { podCells, podColumns } from './pod-table';
import { admitServiceAccount } from './service-account-admission';

/** The fields a pod update may change, in Kubernetes' wording. */
export const POD_UPDATABLE_FIELDS_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

const MAX_INT32 = 2147483647;

/** Tolerations the DefaultTolerationSeconds admission plugin adds to every pod. */
const defaultTolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

/**
 * Pod QoS class (GetPodQOS): Guaranteed when every container limits cpu and memory and
 * requests equal limits, BestEffort without any cpu/memory request or limit, else Burstable.
 */
export function podQosClass(pod: KubeObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const spec = rec(pod.spec);
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const container of [...records(spec.containers), ...records(spec.initContainers)]) {
    const resources = rec(container.resources);
    for (const [name, value] of Object.entries(rec(resources.requests))) {
      if (name !== 'cpu' && name !== 'memory') continue;
      const q = parseQuantity(value) ?? 0;
      if (q !== 0) requests.set(name, (requests.get(name) ?? 0) + q);
    }
    const found = new Set<string>();
    for (const [name, value] of Object.entries(rec(resources.limits))) {
      if (name !== 'cpu' && name !== 'memory') continue;
      const q = parseQuantity(value) ?? 0;
      if (q !== 0) {
        found.add(name);
        limits.set(name, (limits.get(name) ?? 0) + q);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, value] of requests) {
      if (limits.get(name) !== value) guaranteed = false;
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

function applyPodDefaults(pod: KubeObject): void {
  const spec = specOf(pod);
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null)
    spec.enableServiceLinks = true;
  for (const key of ['initContainers', 'containers']) {
    for (const container of records(spec[key])) defaultRequestsFromLimits(container);
  }
  applyPodSpecDefaults(spec);
}

/** What the ServiceAccount, Priority and DefaultTolerationSeconds admission plugins add on create. */
function admitPod(pod: KubeObject): void {
  admitServiceAccount(pod);
  const spec = specOf(pod);
  if (spec.priority === undefined || spec.priority === null) spec.priority = 0;
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  const tolerations = records(spec.tolerations);
  const additions = defaultTolerations.filter(
    (d) =>
      !tolerations.some(
        (t) =>
          (t.key === d.key || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'),
      ),
  );
  if (additions.length > 0) spec.tolerations = [...tolerations, ...clone(additions)];
}

const GO_FIELD_NAMES: Record<string, string> = {
  dnsPolicy: 'DNSPolicy',
  dnsConfig: 'DNSConfig',
  hostPID: 'HostPID',
  hostIPC: 'HostIPC',
  os: 'OS',
};

/**
 * A short `core.PodSpec{…}` diff of the changed top-level fields, in the spirit of the
 * cmp.Diff Kubernetes appends to its "pod updates may not change fields" error.
 */
export function podSpecDiff(before: Record<string, unknown>, after: Record<string, unknown>): string {
  const lines = ['  core.PodSpec{'];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  let same = 0;
  for (const key of keys) {
    if (deepEqual(before[key], after[key])) {
      same++;
      continue;
    }
    const name = GO_FIELD_NAMES[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
    if (before[key] !== undefined) lines.push(`- \t${name}: ${JSON.stringify(before[key])},`);
    if (after[key] !== undefined) lines.push(`+ \t${name}: ${JSON.stringify(after[key])},`);
  }
  if (same > 0) lines.push(`  \t... // ${same} identical fields`);
  lines.push('  }');
  return lines.join('\n');
}

function validateOnlyAddedTolerations(newValue: unknown, oldValue: unknown, path: string): FieldError[] {
  const oldList = records(oldValue);
  const newList = records(newValue);
  const errs: FieldError[] = [];
  for (const old of oldList) {
    const kept = newList.some((t) => {
      const a = { ...t, tolerationSeconds: undefined };
      const b = { ...old, tolerationSeconds: undefined };
      return deepEqual(a, b);
    });
    if (!kept) {
      errs.push(
        fieldErrors.forbidden(path, 'existing toleration can not be modified except its tolerationSeconds'),
      );
      return errs;
    }
  }
  return errs;
}

function validatePodUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = validateObjectMetaUpdate(pod.metadata, old.metadata);
  const spec = rec(pod.spec);
  const oldSpec = rec(old.spec);
  for (const key of ['containers', 'initContainers']) {
    const now = records(spec[key]);
    const before = records(oldSpec[key]);
    if (now.length !== before.length) {
      errs.push(fieldErrors.forbidden(`spec.${key}`, 'pod updates may not add or remove containers'));
      return errs;
    }
    now.forEach((container, i) => {
      if (!str(container.image)) errs.push(fieldErrors.required(`spec.${key}[${i}].image`));
    });
  }
  const deadline = spec.activeDeadlineSeconds;
  if (typeof deadline === 'number') {
    if (deadline < 0 || deadline > MAX_INT32) {
      errs.push(
        fieldErrors.invalid('spec.activeDeadlineSeconds', deadline, inclusiveRangeError(0, MAX_INT32)),
      );
      return errs;
    }
    if (typeof oldSpec.activeDeadlineSeconds === 'number' && oldSpec.activeDeadlineSeconds < deadline) {
      errs.push(
        fieldErrors.invalid(
          'spec.activeDeadlineSeconds',
          deadline,
          'must be less than or equal to previous value',
        ),
      );
      return errs;
    }
  } else if (typeof oldSpec.activeDeadlineSeconds === 'number') {
    errs.push(
      fieldErrors.invalid(
        'spec.activeDeadlineSeconds',
        null,
        'must not update from a positive integer to nil value',
      ),
    );
  }
  errs.push(...validateOnlyAddedTolerations(spec.tolerations, oldSpec.tolerations, 'spec.tolerations'));
  const oldGates = records(oldSpec.schedulingGates).map((g) => str(g.name));
  const newGates = records(spec.schedulingGates).map((g) => str(g.name));
  if (newGates.some((g) => !oldGates.includes(g))) {
    errs.push(
      fieldErrors.forbidden(
        'spec.schedulingGates',
        'only deletion is allowed, but found new scheduling gate',
      ),
    );
  }
  if (deepEqual(spec, oldSpec)) return errs;

  // Mirror of Kubernetes' "munged spec": copy the mutable fields from the old spec, then compare.
  const munged = clone(spec);
  for (const key of ['containers', 'initContainers']) {
    const before = records(oldSpec[key]);
    records(munged[key]).forEach((container, i) => {
      container.image = before[i]?.image;
    });
  }
  // The `ephemeralcontainers` subresource reaches validation as an ordinary update, so new
  // ephemeral containers are accepted here while existing ones stay frozen.
  const oldEphemeral = records(oldSpec.ephemeralContainers);
  const newEphemeral = records(spec.ephemeralContainers);
  oldEphemeral.forEach((container, i) => {
    if (!deepEqual(container, newEphemeral[i])) {
      errs.push(
        fieldErrors.forbidden(
          'spec.ephemeralContainers',
          `existing ephemeral containers "${str(container.name)}" may not be changed`,
        ),
      );
    }
  });
  munged.ephemeralContainers = oldSpec.ephemeralContainers;
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.tolerations = oldSpec.tolerations;
  munged.schedulingGates = oldSpec.schedulingGates;
  if (
    typeof oldSpec.terminationGracePeriodSeconds === 'number' &&
    oldSpec.terminationGracePeriodSeconds < 0 &&
    munged.terminationGracePeriodSeconds === 1
  ) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  if (!deepEqual(munged, oldSpec)) {
    errs.push(
      fieldErrors.forbidden('spec', `${POD_UPDATABLE_FIELDS_MESSAGE}\n${podSpecDiff(oldSpec, munged)}`),
    );
  }
  return errs;
}

function validatePod(pod: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(pod.metadata, { namespaced: true, name: nameIsDnsSubdomain });
  errs.push(...validatePodSpec(pod.spec, 'spec', { isPod: true }));
  if (!old) {
    const ephemeral = rec(pod.spec).ephemeralContainers;
    if (Array.isArray(ephemeral) && ephemeral.length > 0) {
      errs.push(fieldErrors.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
    }
    return errs;
  }
  return [...errs.filter((e) => !e.field.startsWith('metadata.')), ...validatePodUpdate(pod, old)];
}

/** core/v1 pods. */
export const podsResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  listKind: 'PodList',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  verbs: STANDARD_VERBS,
  subresources: [
    coreSubresource('attach', 'PodAttachOptions', ['create', 'get']),
    coreSubresource('binding', 'Binding', ['create']),
    coreSubresource('ephemeralcontainers', 'Pod', ['get', 'patch', 'update']),
    { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
    coreSubresource('exec', 'PodExecOptions', ['create', 'get']),
    coreSubresource('log', 'Pod', ['get']),
    coreSubresource('portforward', 'PodPortForwardOptions', ['create', 'get']),
    coreSubresource('proxy', 'PodProxyOptions', ['create', 'delete', 'get', 'patch', 'update']),
    statusSubresource('Pod'),
  ],
  hasStatusSubresource: true,
  applyDefaults: applyPodDefaults,
  validate: validatePod,
  prepareForCreate(pod) {
    admitPod(pod);
    pod.status = { phase: 'Pending', qosClass: podQosClass(pod) };
  },
  prepareForUpdate(pod, old) {
    // Admission-set fields a client may omit when replacing the object are kept.
    const spec = specOf(pod);
    const oldSpec = rec(old.spec);
    for (const key of ['serviceAccountName', 'serviceAccount', 'priority', 'preemptionPolicy']) {
      if ((spec[key] === undefined || spec[key] === '') && oldSpec[key] !== undefined)
        spec[key] = oldSpec[key];
    }
  },
  table: { columns: podColumns, cells: podCells },
  fieldSelectors: {
    'spec.nodeName': fieldAt(['spec', 'nodeName']),
    'spec.restartPolicy': fieldAt(['spec', 'restartPolicy']),
    'spec.schedulerName': fieldAt(['spec', 'schedulerName']),
    'spec.serviceAccountName': fieldAt(['spec', 'serviceAccountName']),
    'spec.hostNetwork': (pod) => String(rec(pod.spec).hostNetwork === true),
    'status.phase': fieldAt(['status', 'phase']),
    'status.podIP': (pod) => str(records(rec(pod.status).podIPs)[0]?.ip) || str(rec(pod.status).podIP),
    'status.nominatedNodeName': fieldAt(['status', 'nominatedNodeName']),
  },
};
