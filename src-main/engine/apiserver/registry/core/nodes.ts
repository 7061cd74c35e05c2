import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import type { ResourceDefinition, TableContext } from '../types';
import { NONE, UNKNOWN, ageCell, ageColumn, column, nameColumn, swaggerDoc } from '../printers';
import {
  isQualifiedName,
  isValidCIDR,
  isValidLabelValue,
  nameIsDnsSubdomain,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation';
import { STANDARD_VERBS, coreSubresource, rec, records, statusSubresource, str } from './common';
import { TAINT_EFFECTS } from './pod-spec-validation';

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_ROLE_LABEL = 'kubernetes.io/role';

function validateTaints(taints: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  records(taints).forEach((taint, i) => {
    const p = `spec.taints[${i}]`;
    const key = str(taint.key);
    for (const msg of isQualifiedName(key)) errs.push(fieldErrors.invalid(`${p}.key`, key, msg));
    const value = str(taint.value);
    for (const msg of isValidLabelValue(value)) errs.push(fieldErrors.invalid(`${p}.value`, value, msg));
    const effect = str(taint.effect);
    if (!effect) errs.push(fieldErrors.required(`${p}.effect`));
    else if (!TAINT_EFFECTS.includes(effect))
      errs.push(fieldErrors.notSupported(`${p}.effect`, effect, TAINT_EFFECTS));
    const id = `${key}:${effect}`;
    if (seen.has(id)) {
      errs.push({
        type: 'FieldValueDuplicate',
        field: p,
        message: `Duplicate value: core.Taint{Key:${JSON.stringify(key)}, Value:${JSON.stringify(value)}, Effect:${JSON.stringify(effect)}, TimeAdded:<nil>}: taints must be unique by key and effect pair`,
      });
    }
    seen.add(id);
  });
  return errs;
}

function validateNode(node: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(node.metadata, old.metadata)
    : validateObjectMeta(node.metadata, { namespaced: false, name: nameIsDnsSubdomain });
  const spec = rec(node.spec);
  errs.push(...validateTaints(spec.taints));
  const cidrs = Array.isArray(spec.podCIDRs) ? spec.podCIDRs.map(String) : [];
  cidrs.forEach((cidr, i) => {
    for (const msg of isValidCIDR(cidr)) errs.push(fieldErrors.invalid(`spec.podCIDRs[${i}]`, cidr, msg));
  });
  if (old) {
    const oldSpec = rec(old.spec);
    if (str(oldSpec.podCIDR) && str(spec.podCIDR) !== str(oldSpec.podCIDR)) {
      errs.push(
        fieldErrors.forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'),
      );
    }
    if (str(oldSpec.providerID) && str(spec.providerID) !== str(oldSpec.providerID)) {
      errs.push(
        fieldErrors.forbidden(
          'spec.providerID',
          'node updates may not change providerID except from "" to valid',
        ),
      );
    }
  }
  return errs;
}

/** Roles from `node-role.kubernetes.io/<role>` and `kubernetes.io/role=<role>` labels, sorted. */
export function nodeRoles(node: KubeObject): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith(NODE_ROLE_PREFIX)) {
      const role = key.slice(NODE_ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === NODE_ROLE_LABEL && value) {
      roles.add(value);
    }
  }
  return [...roles].sort();
}

/** The STATUS cell: `Ready`, `NotReady`, `Unknown`, plus `,SchedulingDisabled` when cordoned. */
export function nodeStatus(node: KubeObject): string {
  const status: string[] = [];
  const ready = records(rec(node.status).conditions).find((c) => c.type === 'Ready');
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else status.push('Unknown');
  if (rec(node.spec).unschedulable === true) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeAddress(node: KubeObject, type: string): string {
  const address = records(rec(node.status).addresses).find((a) => a.type === type);
  return address ? str(address.address) : NONE;
}

function nodeCells(node: KubeObject, context: TableContext): unknown[] {
  const info = rec(rec(node.status).nodeInfo);
  const roles = nodeRoles(node);
  return [
    node.metadata.name ?? '',
    nodeStatus(node),
    roles.length > 0 ? roles.join(',') : NONE,
    ageCell(node, context.now),
    str(info.kubeletVersion),
    nodeAddress(node, 'InternalIP'),
    nodeAddress(node, 'ExternalIP'),
    str(info.osImage) || UNKNOWN,
    str(info.kernelVersion) || UNKNOWN,
    str(info.containerRuntimeVersion) || UNKNOWN,
  ];
}

/** core/v1 nodes (cluster-scoped). */
export const nodesResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Node',
  listKind: 'NodeList',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  verbs: STANDARD_VERBS,
  subresources: [
    coreSubresource('proxy', 'NodeProxyOptions', ['create', 'delete', 'get', 'patch', 'update']),
    statusSubresource('Node'),
  ],
  hasStatusSubresource: true,
  applyDefaults(node) {
    if (node.spec === undefined) node.spec = {};
    const status = rec(node.status);
    if (status.allocatable === undefined && status.capacity !== undefined)
      status.allocatable = { ...rec(status.capacity) };
    // podCIDR and podCIDRs mirror each other, as the v1 conversion keeps them.
    const spec = rec(node.spec);
    if (str(spec.podCIDR) && (!Array.isArray(spec.podCIDRs) || spec.podCIDRs.length === 0))
      spec.podCIDRs = [spec.podCIDR];
    else if (!str(spec.podCIDR) && Array.isArray(spec.podCIDRs) && spec.podCIDRs.length > 0)
      spec.podCIDR = spec.podCIDRs[0];
  },
  validate: validateNode,
  table: {
    columns: [
      nameColumn(),
      column('Status', 'string', 'The status of the node'),
      column('Roles', 'string', 'The roles of the node'),
      ageColumn(),
      column('Version', 'string', swaggerDoc('V1NodeSystemInfo', 'kubeletVersion')),
      column('Internal-IP', 'string', swaggerDoc('V1NodeStatus', 'addresses'), { wide: true }),
      column('External-IP', 'string', swaggerDoc('V1NodeStatus', 'addresses'), { wide: true }),
      column('OS-Image', 'string', swaggerDoc('V1NodeSystemInfo', 'osImage'), { wide: true }),
      column('Kernel-Version', 'string', swaggerDoc('V1NodeSystemInfo', 'kernelVersion'), { wide: true }),
      column('Container-Runtime', 'string', swaggerDoc('V1NodeSystemInfo', 'containerRuntimeVersion'), {
        wide: true,
      }),
    ],
    cells: nodeCells,
  },
  fieldSelectors: { 'spec.unschedulable': (node) => String(rec(node.spec).unschedulable === true) },
};
