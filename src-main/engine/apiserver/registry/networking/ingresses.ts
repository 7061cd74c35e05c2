import type { KubeObject } from '../../../k8s-object';
import { isPlainObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { arr, rec, records, str } from '../core/common';
import { STANDARD_VERBS, resetStatus, statusSubresource, validateMeta } from '../apps/definition-helpers';
import { ageCell, ageColumn, column, nameCell, nameColumn, NONE } from '../printers';
import type { ResourceDefinition } from '../types';
import {
  isDns1035Label,
  isDns1123Subdomain,
  isValidIP,
  isValidPathSegmentName,
  isValidPortName,
  isValidPortNum,
} from '../validation';
import { invalidRendered } from '../validation/field-errors';
import { isWildcardDns1123Subdomain } from './host-names';

const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
/** The width kubectl truncates load-balancer addresses to outside `-o wide`. */
const LOAD_BALANCER_WIDTH = 16;

function hostErrors(host: string, path: string): FieldError[] {
  const messages = host.includes('*') ? isWildcardDns1123Subdomain(host) : isDns1123Subdomain(host);
  return messages.map((msg) => fieldErrors.invalid(path, host, msg));
}

/** A TypedLocalObjectReference backend (`resource`). */
function validateResourceBackend(ref: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const apiGroup = ref.apiGroup;
  if (typeof apiGroup === 'string' && apiGroup !== '') {
    for (const msg of isDns1123Subdomain(apiGroup))
      errs.push(fieldErrors.invalid(`${path}.apiGroup`, apiGroup, msg));
  }
  for (const key of ['kind', 'name']) {
    const value = str(ref[key]);
    if (value === '') errs.push(fieldErrors.required(`${path}.${key}`));
    else
      for (const msg of isValidPathSegmentName(value))
        errs.push(fieldErrors.invalid(`${path}.${key}`, value, msg));
  }
  return errs;
}

/** validateIngressBackend. */
export function validateIngressBackend(backend: Record<string, unknown>, path: string): FieldError[] {
  const hasResource = isPlainObject(backend.resource);
  const hasService = isPlainObject(backend.service);
  if (hasResource && hasService)
    return [fieldErrors.invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) return validateResourceBackend(rec(backend.resource), `${path}.resource`);
  if (!hasService) return [fieldErrors.invalid(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const service = rec(backend.service);
  const name = str(service.name);
  if (name === '') errs.push(fieldErrors.required(`${path}.service.name`));
  else
    for (const msg of isDns1035Label(name)) errs.push(fieldErrors.invalid(`${path}.service.name`, name, msg));
  const port = rec(service.port);
  const portName = str(port.name);
  const portNumber = typeof port.number === 'number' ? port.number : 0;
  if (portName !== '' && portNumber !== 0) {
    errs.push(fieldErrors.invalid(path, '', 'cannot set both port name & port number'));
  } else if (portName !== '') {
    for (const msg of isValidPortName(portName))
      errs.push(fieldErrors.invalid(`${path}.service.port.name`, portName, msg));
  } else if (portNumber !== 0) {
    for (const msg of isValidPortNum(portNumber)) {
      errs.push(fieldErrors.invalid(`${path}.service.port.number`, portNumber, msg));
    }
  } else {
    errs.push(fieldErrors.required(path, 'port name or number is required'));
  }
  return errs;
}

function validateHttpPath(entry: Record<string, unknown>, path: string): FieldError[] {
  const pathType = entry.pathType;
  if (pathType === undefined || pathType === null)
    return [fieldErrors.required(`${path}.pathType`, 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = str(entry.path);
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/'))
      errs.push(fieldErrors.invalid(`${path}.path`, value, 'must be an absolute path'));
    if (value.length > 0) {
      for (const seq of INVALID_PATH_SEQUENCES) {
        if (value.includes(seq))
          errs.push(fieldErrors.invalid(`${path}.path`, value, `must not contain '${seq}'`));
      }
      for (const suffix of INVALID_PATH_SUFFIXES) {
        if (value.endsWith(suffix))
          errs.push(fieldErrors.invalid(`${path}.path`, value, `cannot end with '${suffix}'`));
      }
    }
  } else if (pathType === 'ImplementationSpecific') {
    if (value.length > 0 && !value.startsWith('/')) {
      errs.push(fieldErrors.invalid(`${path}.path`, value, 'must be an absolute path'));
    }
  } else {
    errs.push(fieldErrors.notSupported(`${path}.pathType`, pathType, PATH_TYPES));
  }
  errs.push(...validateIngressBackend(rec(entry.backend), `${path}.backend`));
  return errs;
}

function validateRules(rules: Record<string, unknown>[]): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((rule, i) => {
    const path = `spec.rules[${i}]`;
    const host = str(rule.host);
    if (host !== '') {
      if (isValidIP(host).length === 0)
        errs.push(fieldErrors.invalid(`${path}.host`, host, 'must be a DNS name, not an IP address'));
      errs.push(...hostErrors(host, `${path}.host`));
    }
    if (isPlainObject(rule.http)) {
      const paths = records(rule.http.paths);
      if (paths.length === 0) errs.push(fieldErrors.required(`${path}.http.paths`));
      paths.forEach((entry, j) => errs.push(...validateHttpPath(entry, `${path}.http.paths[${j}]`)));
    }
  });
  return errs;
}

function validateTls(tls: Record<string, unknown>[]): FieldError[] {
  const errs: FieldError[] = [];
  tls.forEach((entry, i) => {
    arr(entry.hosts).forEach((host, j) => errs.push(...hostErrors(str(host), `spec.tls[${i}].hosts[${j}]`)));
    const secretName = str(entry.secretName);
    if (secretName !== '') {
      for (const msg of isDns1123Subdomain(secretName)) {
        errs.push(fieldErrors.invalid(`spec.tls[${i}].secretName`, secretName, msg));
      }
    }
  });
  return errs;
}

/** ValidateIngressLoadBalancerStatus: IPs and DNS names of `status.loadBalancer.ingress`. */
function validateLoadBalancerStatus(status: unknown): FieldError[] {
  const errs: FieldError[] = [];
  records(rec(rec(status).loadBalancer).ingress).forEach((entry, i) => {
    const path = `status.loadBalancer.ingress[${i}]`;
    const ip = str(entry.ip);
    if (ip !== '') for (const msg of isValidIP(ip)) errs.push(fieldErrors.invalid(`${path}.ip`, ip, msg));
    const hostname = str(entry.hostname);
    if (hostname !== '') {
      for (const msg of isDns1123Subdomain(hostname))
        errs.push(fieldErrors.invalid(`${path}.hostname`, hostname, msg));
      if (isValidIP(hostname).length === 0) {
        errs.push(fieldErrors.invalid(`${path}.hostname`, hostname, 'must be a DNS name, not an IP address'));
      }
    }
  });
  return errs;
}

/** ValidateIngressCreate / ValidateIngressUpdate (networking.k8s.io/v1). */
export function validateIngress(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = rec(obj.spec);
  const errs: FieldError[] = [...validateMeta(obj, old, true)];
  const rules = records(spec.rules);
  const hasDefault = isPlainObject(spec.defaultBackend);
  if (rules.length === 0 && !hasDefault) {
    const rendered = Array.isArray(spec.rules)
      ? '[]networking.IngressRule{}'
      : '[]networking.IngressRule(nil)';
    errs.push(invalidRendered('spec', rendered, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (hasDefault) errs.push(...validateIngressBackend(rec(spec.defaultBackend), 'spec.defaultBackend'));
  if (rules.length > 0) errs.push(...validateRules(rules));
  errs.push(...validateTls(records(spec.tls)));
  if (old) errs.push(...validateLoadBalancerStatus(obj.status));
  if (typeof spec.ingressClassName === 'string') {
    for (const msg of isDns1123Subdomain(spec.ingressClassName)) {
      errs.push(fieldErrors.invalid('spec.ingressClassName', spec.ingressClassName, msg));
    }
  }
  return errs;
}

/** formatHosts: up to three rule hosts, `*` when none. */
export function formatIngressHosts(rules: Record<string, unknown>[]): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    const host = str(rule.host);
    if (!more && host !== '') list.push(host);
  }
  if (list.length === 0) return '*';
  const joined = list.join(',');
  return more ? `${joined} + ${rules.length - max} more...` : joined;
}

/**
 * The Address column: load-balancer IPs or hostnames, truncated to 16 characters unless
 * `wide` (server-side Tables are always generated wide, so the API server never truncates).
 */
export function formatIngressAddress(status: unknown, wide = false): string {
  const entries = records(rec(rec(status).loadBalancer).ingress);
  const values = entries.map((e) => (str(e.ip) !== '' ? str(e.ip) : str(e.hostname))).filter((v) => v !== '');
  let joined = values.join(',');
  if (!wide && joined.length > LOAD_BALANCER_WIDTH) joined = `${joined.slice(0, LOAD_BALANCER_WIDTH - 3)}...`;
  return joined;
}

function ingressCells(obj: KubeObject, now: Date): unknown[] {
  const spec = rec(obj.spec);
  return [
    nameCell(obj),
    typeof spec.ingressClassName === 'string' ? spec.ingressClassName : NONE,
    formatIngressHosts(records(spec.rules)),
    formatIngressAddress(obj.status, true),
    records(spec.tls).length > 0 ? '80, 443' : '80',
    ageCell(obj, now),
  ];
}

/** networking.k8s.io/v1 Ingress. */
export const ingressDefinition: ResourceDefinition = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  listKind: 'IngressList',
  plural: 'ingresses',
  singular: 'ingress',
  namespaced: true,
  shortNames: ['ing'],
  verbs: [...STANDARD_VERBS],
  subresources: [statusSubresource('Ingress', 'networking.k8s.io', 'v1')],
  hasStatusSubresource: true,
  validate: validateIngress,
  prepareForCreate: (obj) => resetStatus(obj, { loadBalancer: {} }),
  table: {
    columns: [
      nameColumn(),
      column(
        'Class',
        'string',
        'The name of the IngressClass resource that should be used for additional configuration',
      ),
      column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
      column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
      column('Ports', 'string', 'Ports of TLS configurations that open'),
      ageColumn(),
    ],
    cells: (obj, { now }) => ingressCells(obj, now),
  },
};
