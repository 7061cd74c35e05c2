import type { KubeObject } from '../../../k8s-object';
import { isPlainObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { arr, rec, records, specOf, str } from '../core/common';
import { STANDARD_VERBS, startGeneration, validateMeta } from '../apps/definition-helpers';
import {
  ageCell,
  ageColumn,
  column,
  formatLabelSelector,
  nameCell,
  nameColumn,
  swaggerDoc,
} from '../printers';
import type { ResourceDefinition } from '../types';
import { isValidCIDR, isValidPortName, isValidPortNum, validateLabelSelector } from '../validation';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

/** SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort. */
export function applyNetworkPolicyDefaults(obj: KubeObject): void {
  const spec = specOf(obj);
  for (const [rulesKey] of [['ingress'], ['egress']]) {
    for (const rule of records(spec[rulesKey])) {
      for (const port of records(rule.ports)) if (!port.protocol) port.protocol = 'TCP';
    }
  }
  if (arr(spec.policyTypes).length === 0) {
    spec.policyTypes = arr(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}

function validatePort(port: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const protocol = port.protocol;
  if (protocol !== undefined && protocol !== null && !PROTOCOLS.includes(String(protocol))) {
    errs.push(fieldErrors.notSupported(`${path}.protocol`, protocol, PROTOCOLS));
  }
  const value = port.port;
  const endPort = typeof port.endPort === 'number' ? port.endPort : undefined;
  if (typeof value === 'number') {
    for (const msg of isValidPortNum(value)) errs.push(fieldErrors.invalid(`${path}.port`, value, msg));
    if (endPort !== undefined) {
      if (endPort < value)
        errs.push(fieldErrors.invalid(`${path}.endPort`, value, 'must be greater than or equal to `port`'));
      for (const msg of isValidPortNum(endPort))
        errs.push(fieldErrors.invalid(`${path}.endPort`, endPort, msg));
    }
  } else if (typeof value === 'string') {
    if (endPort !== undefined) {
      errs.push(
        fieldErrors.invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is non-numeric'),
      );
    }
    for (const msg of isValidPortName(value)) errs.push(fieldErrors.invalid(`${path}.port`, value, msg));
  } else if (endPort !== undefined) {
    errs.push(
      fieldErrors.invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is not specified'),
    );
  }
  return errs;
}

function validateIpBlock(block: Record<string, unknown>, path: string): FieldError[] {
  const cidr = str(block.cidr);
  if (cidr === '') return [fieldErrors.required(`${path}.cidr`)];
  const errs = isValidCIDR(cidr).map((msg) => fieldErrors.invalid(`${path}.cidr`, cidr, msg));
  arr(block.except).forEach((except, i) => {
    for (const msg of isValidCIDR(str(except)))
      errs.push(fieldErrors.invalid(`${path}.except[${i}]`, except, msg));
  });
  return errs;
}

function validatePeer(peer: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let peers = 0;
  if (isPlainObject(peer.podSelector)) {
    peers++;
    errs.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`));
  }
  if (isPlainObject(peer.namespaceSelector)) {
    peers++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (isPlainObject(peer.ipBlock)) {
    peers++;
    errs.push(...validateIpBlock(peer.ipBlock, `${path}.ipBlock`));
  }
  if (peers === 0) errs.push(fieldErrors.required(path, 'must specify a peer'));
  else if (peers > 1 && isPlainObject(peer.ipBlock)) {
    errs.push(fieldErrors.forbidden(path, 'may not specify both ipBlock and another peer'));
  }
  return errs;
}

function validateRules(
  rules: Record<string, unknown>[],
  path: string,
  peersKey: 'from' | 'to',
): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((rule, i) => {
    records(rule.ports).forEach((port, j) => errs.push(...validatePort(port, `${path}[${i}].ports[${j}]`)));
    records(rule[peersKey]).forEach((peer, j) =>
      errs.push(...validatePeer(peer, `${path}[${i}].${peersKey}[${j}]`)),
    );
  });
  return errs;
}

/** ValidateNetworkPolicy / ValidateNetworkPolicyUpdate. */
export function validateNetworkPolicy(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = rec(obj.spec);
  const errs: FieldError[] = [...validateMeta(obj, old, true)];
  errs.push(...validateLabelSelector(rec(spec.podSelector), 'spec.podSelector'));
  errs.push(...validateRules(records(spec.ingress), 'spec.ingress', 'from'));
  errs.push(...validateRules(records(spec.egress), 'spec.egress', 'to'));
  const types = arr(spec.policyTypes);
  if (types.length > POLICY_TYPES.length) {
    errs.push(fieldErrors.invalid('spec.policyTypes', types, 'may not specify more than two policyTypes'));
  } else {
    types.forEach((type, i) => {
      if (!POLICY_TYPES.includes(String(type)))
        errs.push(fieldErrors.notSupported(`spec.policyTypes[${i}]`, type, POLICY_TYPES));
    });
  }
  return errs;
}

/** networking.k8s.io/v1 NetworkPolicy. */
export const networkPolicyDefinition: ResourceDefinition = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  listKind: 'NetworkPolicyList',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  namespaced: true,
  shortNames: ['netpol'],
  verbs: [...STANDARD_VERBS],
  subresources: [],
  hasStatusSubresource: false,
  applyDefaults: applyNetworkPolicyDefaults,
  validate: validateNetworkPolicy,
  prepareForCreate: startGeneration,
  table: {
    columns: [
      nameColumn(),
      column(
        'Pod-Selector',
        'string',
        swaggerDoc('V1NetworkPolicySpec', 'podSelector') ||
          'podSelector selects the pods to which this NetworkPolicy object applies. An empty podSelector matches all pods in this namespace.',
      ),
      ageColumn(),
    ],
    cells: (obj, { now }) => [
      nameCell(obj),
      formatLabelSelector(rec(rec(obj.spec).podSelector)),
      ageCell(obj, now),
    ],
  },
};
