import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import type { ResourceDefinition } from '../types';
import { NONE, ageCell, ageColumn, column, nameColumn, swaggerDoc } from '../printers';
import {
  isDns1123Label,
  isDns1123Subdomain,
  isIPv6Address,
  isValidIP,
  isValidPortNum,
  nameIsDnsSubdomain,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation';
import { STANDARD_VERBS, records, str } from './common';
import { SUPPORTED_PORT_PROTOCOLS } from './container-validation';

function validateAddresses(addresses: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  records(addresses).forEach((address, i) => {
    const p = `${path}[${i}]`;
    const ip = str(address.ip);
    for (const msg of isValidIP(ip)) errs.push(fieldErrors.invalid(`${p}.ip`, ip, msg));
    const hostname = str(address.hostname);
    if (hostname)
      for (const msg of isDns1123Label(hostname))
        errs.push(fieldErrors.invalid(`${p}.hostname`, hostname, msg));
    const nodeName = str(address.nodeName);
    if (nodeName)
      for (const msg of isDns1123Subdomain(nodeName))
        errs.push(fieldErrors.invalid(`${p}.nodeName`, nodeName, msg));
  });
  return errs;
}

/** ValidateEndpoints: addresses are IPs, ports are valid, names required when a subset has several ports. */
function validateEndpoints(ep: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(ep.metadata, old.metadata)
    : validateObjectMeta(ep.metadata, { namespaced: true, name: nameIsDnsSubdomain });
  records(ep.subsets).forEach((subset, i) => {
    const p = `subsets[${i}]`;
    const addresses = records(subset.addresses);
    const notReady = records(subset.notReadyAddresses);
    const ports = records(subset.ports);
    if (addresses.length === 0 && notReady.length === 0) {
      errs.push(fieldErrors.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    }
    errs.push(...validateAddresses(addresses, `${p}.addresses`));
    errs.push(...validateAddresses(notReady, `${p}.notReadyAddresses`));
    const names = new Set<string>();
    ports.forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      const name = str(port.name);
      if (ports.length > 1 && !name) errs.push(fieldErrors.required(`${pp}.name`));
      else if (name) {
        for (const msg of isDns1123Label(name)) errs.push(fieldErrors.invalid(`${pp}.name`, name, msg));
        if (names.has(name)) errs.push(fieldErrors.duplicate(`${pp}.name`, name));
        names.add(name);
      }
      const portNumber = typeof port.port === 'number' ? port.port : 0;
      for (const msg of isValidPortNum(portNumber))
        errs.push(fieldErrors.invalid(`${pp}.port`, portNumber, msg));
      const protocol = str(port.protocol);
      if (!protocol) errs.push(fieldErrors.required(`${pp}.protocol`));
      else if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol)) {
        errs.push(fieldErrors.notSupported(`${pp}.protocol`, protocol, SUPPORTED_PORT_PROTOCOLS));
      }
    });
  });
  return errs;
}

function joinHostPort(ip: string, port: unknown): string {
  return isIPv6Address(ip) ? `[${ip}]:${String(port)}` : `${ip}:${String(port)}`;
}

/** The ENDPOINTS cell: `10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...`, or `<none>`. */
export function formatEndpoints(ep: KubeObject): string {
  const subsets = records(ep.subsets);
  if (subsets.length === 0) return NONE;
  const max = 3;
  const list: string[] = [];
  let count = 0;
  let more = false;
  for (const subset of subsets) {
    const addresses = records(subset.addresses);
    const ports = records(subset.ports);
    if (ports.length === 0) {
      count += addresses.length;
      for (const address of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(str(address.ip));
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const address of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(str(address.ip), port.port));
      }
    }
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - max} more...` : joined;
}

/** core/v1 endpoints. */
export const endpointsResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  listKind: 'EndpointsList',
  plural: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  verbs: STANDARD_VERBS,
  subresources: [],
  hasStatusSubresource: false,
  applyDefaults(ep) {
    for (const subset of records(ep.subsets)) {
      for (const port of records(subset.ports)) if (!str(port.protocol)) port.protocol = 'TCP';
    }
  },
  validate: validateEndpoints,
  table: {
    columns: [nameColumn(), column('Endpoints', 'string', swaggerDoc('V1Endpoints', 'subsets')), ageColumn()],
    cells: (ep, context) => [ep.metadata.name ?? '', formatEndpoints(ep), ageCell(ep, context.now)],
  },
};
