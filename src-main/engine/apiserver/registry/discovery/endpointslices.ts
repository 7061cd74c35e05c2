import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { arr, rec, records, str } from '../core/common';
import { STANDARD_VERBS, startGeneration, validateMeta } from '../apps/definition-helpers';
import { ageCell, ageColumn, column, nameCell, nameColumn, swaggerDoc } from '../printers';
import type { ResourceDefinition } from '../types';
import {
  isDns1123Label,
  isDns1123Subdomain,
  isIPv6Address,
  isQualifiedName,
  parseIPv4,
  validateImmutable,
} from '../validation';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;

function tooMany(field: string, actual: number, max: number): FieldError {
  return { type: 'FieldValueTooMany', field, message: `Too many: ${actual}: must have at most ${max} items` };
}

/** SetDefaults_EndpointPort: name "" and protocol TCP. */
export function applyEndpointSliceDefaults(obj: KubeObject): void {
  for (const port of records(obj.ports)) {
    if (port.name === undefined || port.name === null) port.name = '';
    if (!port.protocol) port.protocol = 'TCP';
  }
}

function validateAddress(address: string, addressType: unknown, path: string): FieldError[] {
  switch (addressType) {
    case 'IPv4':
      return parseIPv4(address) === undefined
        ? [fieldErrors.invalid(path, address, 'must be a valid IPv4 address')]
        : [];
    case 'IPv6':
      return isIPv6Address(address)
        ? []
        : [fieldErrors.invalid(path, address, 'must be a valid IPv6 address')];
    case 'FQDN':
      if (address === '') return [fieldErrors.required(path)];
      return isDns1123Subdomain(address).map((msg) => fieldErrors.invalid(path, address, msg));
    default:
      return [];
  }
}

function validateEndpoints(endpoints: unknown[], addressType: unknown): FieldError[] {
  const errs: FieldError[] = [];
  if (endpoints.length > MAX_ENDPOINTS) errs.push(tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
  endpoints.forEach((raw, i) => {
    const endpoint = rec(raw);
    const path = `endpoints[${i}]`;
    const addresses = arr(endpoint.addresses);
    if (addresses.length === 0)
      errs.push(fieldErrors.required(`${path}.addresses`, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES)
      errs.push(tooMany(`${path}.addresses`, addresses.length, MAX_ADDRESSES));
    addresses.forEach((address, j) =>
      errs.push(...validateAddress(str(address), addressType, `${path}.addresses[${j}]`)),
    );
    if (typeof endpoint.nodeName === 'string') {
      for (const msg of isDns1123Subdomain(endpoint.nodeName)) {
        errs.push(fieldErrors.invalid(`${path}.nodeName`, endpoint.nodeName, msg));
      }
    }
    if (typeof endpoint.hostname === 'string') {
      for (const msg of isDns1123Label(endpoint.hostname)) {
        errs.push(fieldErrors.invalid(`${path}.hostname`, endpoint.hostname, msg));
      }
    }
  });
  return errs;
}

function validatePorts(ports: unknown[]): FieldError[] {
  const errs: FieldError[] = [];
  if (ports.length > MAX_PORTS) errs.push(tooMany('ports', ports.length, MAX_PORTS));
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const port = rec(raw);
    const path = `ports[${i}]`;
    const name = str(port.name);
    if (name !== '')
      for (const msg of isDns1123Label(name)) errs.push(fieldErrors.invalid(`${path}.name`, name, msg));
    if (names.has(name)) errs.push(fieldErrors.duplicate(`${path}.name`, name));
    else names.add(name);
    if (!port.protocol) errs.push(fieldErrors.required(`${path}.protocol`));
    else if (!PROTOCOLS.includes(String(port.protocol))) {
      errs.push(fieldErrors.notSupported(`${path}.protocol`, port.protocol, PROTOCOLS));
    }
    if (typeof port.appProtocol === 'string') {
      for (const msg of isQualifiedName(port.appProtocol)) {
        errs.push(fieldErrors.invalid(`${path}.appProtocol`, port.appProtocol, msg));
      }
    }
  });
  return errs;
}

/** ValidateEndpointSliceCreate / ValidateEndpointSliceUpdate (addressType is immutable). */
export function validateEndpointSlice(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [...validateMeta(obj, old, true)];
  const addressType = obj.addressType;
  if (!addressType) errs.push(fieldErrors.required('addressType'));
  else if (!ADDRESS_TYPES.includes(String(addressType))) {
    errs.push(fieldErrors.notSupported('addressType', addressType, ADDRESS_TYPES));
  }
  errs.push(...validateEndpoints(arr(obj.endpoints), addressType));
  errs.push(...validatePorts(arr(obj.ports)));
  if (old) errs.push(...validateImmutable(obj.addressType, old.addressType, 'addressType'));
  return errs;
}

/** `<unset>` when empty, else up to three items and `+ N more...`. */
function listWithMore(list: string[], count: number, max: number): string {
  const joined = list.join(',');
  if (count > max) return `${joined} + ${count - max} more...`;
  return joined === '' ? '<unset>' : joined;
}

/** formatDiscoveryPorts: port numbers (or names), `*` for a port with neither. */
export function formatSlicePorts(ports: unknown[]): string {
  const list = ports.slice(0, 3).map((raw) => {
    const port = rec(raw);
    if (typeof port.port === 'number') return String(port.port);
    return typeof port.name === 'string' ? port.name : '*';
  });
  return listWithMore(list, ports.length, 3);
}

/** formatDiscoveryEndpoints: the first three addresses across all endpoints. */
export function formatSliceEndpoints(endpoints: unknown[]): string {
  const addresses = endpoints.flatMap((e) => arr(rec(e).addresses).map(str));
  return listWithMore(addresses.slice(0, 3), addresses.length, 3);
}

/** discovery.k8s.io/v1 EndpointSlice. */
export const endpointSliceDefinition: ResourceDefinition = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  listKind: 'EndpointSliceList',
  plural: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  verbs: [...STANDARD_VERBS],
  subresources: [],
  hasStatusSubresource: false,
  applyDefaults: applyEndpointSliceDefaults,
  validate: validateEndpointSlice,
  prepareForCreate: startGeneration,
  table: {
    columns: [
      nameColumn(),
      column('AddressType', 'string', swaggerDoc('V1EndpointSlice', 'addressType')),
      column('Ports', 'string', swaggerDoc('V1EndpointSlice', 'ports')),
      column('Endpoints', 'string', swaggerDoc('V1EndpointSlice', 'endpoints')),
      ageColumn(),
    ],
    cells: (obj, { now }) => [
      nameCell(obj),
      str(obj.addressType),
      formatSlicePorts(arr(obj.ports)),
      formatSliceEndpoints(arr(obj.endpoints)),
      ageCell(obj, now),
    ],
  },
};
