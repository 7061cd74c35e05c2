import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import type { ResourceDefinition, TableContext } from '../types';
import {
  NONE,
  PENDING,
  UNKNOWN,
  ageCell,
  ageColumn,
  column,
  formatLabels,
  nameColumn,
  swaggerDoc,
} from '../printers';
import {
  deepEqual,
  duplicateRendered,
  goStringSlice,
  invalidRendered,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidIP,
  isValidPortNum,
  nameIsDns1035Label,
  validateLabels,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation';
import {
  STANDARD_VERBS,
  coreSubresource,
  fieldAt,
  rec,
  records,
  specOf,
  statusSubresource,
  str,
  stringMap,
} from './common';
import { SUPPORTED_PORT_PROTOCOLS, validatePortNumOrName } from './container-validation';
import {
  initIPFamilyFields,
  needsClusterIP,
  needsHealthCheckNodePort,
  needsNodePorts,
} from './service-allocation';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];

/** LoadBalancer, NodePort, or ClusterIP with externalIPs (ExternallyAccessible). */
function externallyAccessible(spec: Record<string, unknown>): boolean {
  const type = str(spec.type);
  return (
    type === 'LoadBalancer' ||
    type === 'NodePort' ||
    (type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0)
  );
}

function isHeadless(spec: Record<string, unknown>): boolean {
  return spec.clusterIP === 'None';
}

/** SetDefaults_Service. */
function applyServiceDefaults(service: KubeObject): void {
  const spec = specOf(service);
  if (!str(spec.sessionAffinity)) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const clientIP = rec(rec(spec.sessionAffinityConfig).clientIP);
    if (typeof clientIP.timeoutSeconds !== 'number') {
      // DefaultClientIPServiceAffinitySeconds: three hours.
      spec.sessionAffinityConfig = { clientIP: { ...clientIP, timeoutSeconds: 10800 } };
    }
  }
  if (!str(spec.type)) spec.type = 'ClusterIP';
  for (const port of records(spec.ports)) {
    if (!str(port.protocol)) port.protocol = 'TCP';
    if (
      port.targetPort === undefined ||
      port.targetPort === null ||
      port.targetPort === 0 ||
      port.targetPort === ''
    ) {
      port.targetPort = port.port;
    }
  }
  if (externallyAccessible(spec) && !str(spec.externalTrafficPolicy)) spec.externalTrafficPolicy = 'Cluster';
  const type = str(spec.type);
  if (
    (spec.internalTrafficPolicy === undefined || spec.internalTrafficPolicy === null) &&
    (type === 'ClusterIP' || type === 'NodePort' || type === 'LoadBalancer')
  ) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (
    type === 'LoadBalancer' &&
    (spec.allocateLoadBalancerNodePorts === undefined || spec.allocateLoadBalancerNodePorts === null)
  ) {
    spec.allocateLoadBalancerNodePorts = true;
  }
  // The strategy keeps clusterIPs[0] and clusterIP in step.
  if (str(spec.clusterIP) && (!Array.isArray(spec.clusterIPs) || spec.clusterIPs.length === 0)) {
    spec.clusterIPs = [spec.clusterIP];
  } else if (!str(spec.clusterIP) && Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0) {
    spec.clusterIP = spec.clusterIPs[0];
  }
}

/** Go's %#v of the (protocol, port) key Kubernetes reports duplicate Service ports with. */
function servicePortKey(protocol: string, port: number): string {
  return `core.ServicePort{Name:"", Protocol:"${protocol}", AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

function validateServicePorts(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const ports = records(spec.ports);
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = `spec.ports[${i}]`;
    const name = str(port.name);
    if (ports.length > 1 && !name) errs.push(fieldErrors.required(`${p}.name`));
    else if (name) {
      for (const msg of isDns1123Label(name)) errs.push(fieldErrors.invalid(`${p}.name`, name, msg));
      if (names.has(name)) errs.push(fieldErrors.duplicate(`${p}.name`, name));
      else names.add(name);
    }
    const portNumber = typeof port.port === 'number' ? port.port : 0;
    for (const msg of isValidPortNum(portNumber))
      errs.push(fieldErrors.invalid(`${p}.port`, portNumber, msg));
    const protocol = str(port.protocol);
    if (!protocol) errs.push(fieldErrors.required(`${p}.protocol`));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol)) {
      errs.push(fieldErrors.notSupported(`${p}.protocol`, protocol, SUPPORTED_PORT_PROTOCOLS));
    }
    errs.push(...validatePortNumOrName(port.targetPort, `${p}.targetPort`));
    const appProtocol = port.appProtocol;
    if (typeof appProtocol === 'string') {
      for (const msg of isQualifiedName(appProtocol))
        errs.push(fieldErrors.invalid(`${p}.appProtocol`, appProtocol, msg));
    }
  });
  if (str(spec.type) === 'ClusterIP') {
    ports.forEach((port, i) => {
      if (typeof port.nodePort === 'number' && port.nodePort !== 0) {
        errs.push(
          fieldErrors.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"),
        );
      }
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((port, i) => {
    const nodePort = typeof port.nodePort === 'number' ? port.nodePort : 0;
    if (nodePort === 0) return;
    const key = `${str(port.protocol)}/${nodePort}`;
    if (nodePorts.has(key)) errs.push(fieldErrors.duplicate(`spec.ports[${i}].nodePort`, nodePort));
    nodePorts.add(key);
  });
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    const portNumber = typeof port.port === 'number' ? port.port : 0;
    const key = `${str(port.protocol)}/${portNumber}`;
    if (seen.has(key))
      errs.push(duplicateRendered(`spec.ports[${i}]`, servicePortKey(str(port.protocol), portNumber)));
    seen.add(key);
  });
  return errs;
}

function validateClusterIPs(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map((ip) => String(ip)) : [];
  const clusterIP = str(spec.clusterIP);
  if (clusterIP && (ips.length === 0 || ips[0] !== clusterIP)) {
    errs.push(invalidRendered('spec.clusterIPs', goStringSlice(ips), 'first value must match `clusterIP`'));
  }
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1)
        errs.push(
          invalidRendered('spec.clusterIPs', goStringSlice(ips), "'None' must be the first and only value"),
        );
      return;
    }
    for (const msg of isValidIP(ip)) errs.push(fieldErrors.invalid(`spec.clusterIPs[${i}]`, ip, msg));
  });
  const policy = spec.ipFamilyPolicy;
  if (policy !== undefined && policy !== null && !IP_FAMILY_POLICIES.includes(String(policy))) {
    errs.push(fieldErrors.notSupported('spec.ipFamilyPolicy', policy, IP_FAMILY_POLICIES));
  }
  (Array.isArray(spec.ipFamilies) ? spec.ipFamilies : []).forEach((family, i) => {
    if (family !== 'IPv4' && family !== 'IPv6')
      errs.push(fieldErrors.notSupported(`spec.ipFamilies[${i}]`, family, ['IPv4', 'IPv6']));
  });
  return errs;
}

/** ValidateService. */
export function validateServiceSpec(service: KubeObject): FieldError[] {
  const spec = rec(service.spec);
  const errs: FieldError[] = [];
  const type = str(spec.type);
  const ports = records(spec.ports);
  if (ports.length === 0 && !isHeadless(spec) && type !== 'ExternalName')
    errs.push(fieldErrors.required('spec.ports'));
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(String) : [];
  if ((type === 'LoadBalancer' || type === 'NodePort') && isHeadless(spec)) {
    errs.push(
      fieldErrors.invalid(
        'spec.clusterIPs[0]',
        ips[0] ?? 'None',
        `may not be set to 'None' for ${type} services`,
      ),
    );
  }
  if (type === 'ExternalName') {
    if (ips.length > 0 || str(spec.clusterIP)) {
      errs.push(fieldErrors.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    }
    if (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length > 0) {
      errs.push(fieldErrors.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    }
    if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) {
      errs.push(fieldErrors.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    }
    const cname = str(spec.externalName).replace(/\.$/, '');
    if (cname)
      for (const msg of isDns1123Subdomain(cname))
        errs.push(fieldErrors.invalid('spec.externalName', cname, msg));
    else errs.push(fieldErrors.required('spec.externalName'));
  }
  errs.push(...validateServicePorts(spec));
  if (spec.selector !== undefined && spec.selector !== null) {
    errs.push(...validateLabels(stringMap(spec.selector), 'spec.selector'));
  }
  const affinity = str(spec.sessionAffinity);
  if (!affinity) errs.push(fieldErrors.required('spec.sessionAffinity'));
  else if (!SESSION_AFFINITIES.includes(affinity))
    errs.push(fieldErrors.notSupported('spec.sessionAffinity', affinity, SESSION_AFFINITIES));
  if (affinity === 'None' && spec.sessionAffinityConfig) {
    errs.push(
      fieldErrors.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'),
    );
  }
  if (affinity === 'ClientIP') {
    const timeout = rec(rec(spec.sessionAffinityConfig).clientIP).timeoutSeconds;
    if (typeof timeout === 'number' && (timeout <= 0 || timeout > 86400)) {
      errs.push(
        fieldErrors.invalid(
          'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
          timeout,
          'must be greater than 0 and less than 86400',
        ),
      );
    }
  }
  if (needsClusterIP(spec)) errs.push(...validateClusterIPs(spec));
  (Array.isArray(spec.externalIPs) ? spec.externalIPs : []).forEach((ip, i) => {
    for (const msg of isValidIP(String(ip)))
      errs.push(fieldErrors.invalid(`spec.externalIPs[${i}]`, ip, msg));
  });
  if (!type) errs.push(fieldErrors.required('spec.type'));
  else if (!SERVICE_TYPES.includes(type))
    errs.push(fieldErrors.notSupported('spec.type', type, SERVICE_TYPES));

  const etp = str(spec.externalTrafficPolicy);
  if (!externallyAccessible(spec)) {
    if (etp)
      errs.push(
        fieldErrors.invalid(
          'spec.externalTrafficPolicy',
          etp,
          'may only be set for externally-accessible services',
        ),
      );
  } else if (etp && !TRAFFIC_POLICIES.includes(etp)) {
    errs.push(fieldErrors.notSupported('spec.externalTrafficPolicy', etp, TRAFFIC_POLICIES));
  }
  const hc = typeof spec.healthCheckNodePort === 'number' ? spec.healthCheckNodePort : 0;
  if (!needsHealthCheckNodePort(spec) && hc !== 0) {
    errs.push(
      fieldErrors.invalid(
        'spec.healthCheckNodePort',
        hc,
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      ),
    );
  }
  const itp = spec.internalTrafficPolicy;
  if (itp !== undefined && itp !== null && !TRAFFIC_POLICIES.includes(String(itp))) {
    errs.push(fieldErrors.notSupported('spec.internalTrafficPolicy', itp, TRAFFIC_POLICIES));
  }
  return errs;
}

function validateClusterIPsUpdate(
  spec: Record<string, unknown>,
  oldSpec: Record<string, unknown>,
): FieldError[] {
  if (str(spec.type) === 'ExternalName' || str(oldSpec.type) === 'ExternalName') return [];
  if (isHeadless(spec) && isHeadless(oldSpec)) return [];
  const now = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(String) : [];
  const before = Array.isArray(oldSpec.clusterIPs) ? oldSpec.clusterIPs.map(String) : [];
  const errs: FieldError[] = [];
  if (now.length === before.length) {
    before.forEach((ip, i) => {
      if (ip !== now[i])
        errs.push(invalidRendered(`spec.clusterIPs[${i}]`, goStringSlice(now), 'may not change once set'));
    });
  } else if (before.length > now.length) {
    if (now.length === 0)
      errs.push(
        invalidRendered('spec.clusterIPs[0]', goStringSlice(now), 'primary clusterIP can not be unset'),
      );
  } else if (before.length > 0 && before[0] !== now[0]) {
    errs.push(invalidRendered('spec.clusterIPs[0]', goStringSlice(now), 'may not change once set'));
  }
  return errs;
}

function validateService(service: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(service.metadata, old.metadata)
    : validateObjectMeta(service.metadata, { namespaced: true, name: nameIsDns1035Label });
  if (old) errs.push(...validateClusterIPsUpdate(rec(service.spec), rec(old.spec)));
  errs.push(...validateServiceSpec(service));
  return errs;
}

/** patchAllocatedValues + dropTypeDependentFields from Kubernetes' service strategy. */
function prepareServiceUpdate(service: KubeObject, old: KubeObject): void {
  const spec = specOf(service);
  const oldSpec = rec(old.spec);
  if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
    if (!str(spec.clusterIP)) spec.clusterIP = oldSpec.clusterIP;
    if (
      (!Array.isArray(spec.clusterIPs) || spec.clusterIPs.length === 0) &&
      spec.clusterIP === oldSpec.clusterIP
    ) {
      spec.clusterIPs = oldSpec.clusterIPs;
    }
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = oldSpec.ipFamilies;
    if (!spec.ipFamilyPolicy) spec.ipFamilyPolicy = oldSpec.ipFamilyPolicy;
  }
  if (needsNodePorts(oldSpec) && needsNodePorts(spec)) {
    const oldPorts = records(oldSpec.ports);
    const used = new Set(
      records(spec.ports)
        .map((p) => p.nodePort)
        .filter((n) => typeof n === 'number' && n !== 0),
    );
    const byName = new Map(oldPorts.map((p) => [str(p.name), p.nodePort]));
    for (const port of records(spec.ports)) {
      if (typeof port.nodePort === 'number' && port.nodePort !== 0) continue;
      const previous = byName.get(str(port.name));
      if (typeof previous === 'number' && !used.has(previous)) port.nodePort = previous;
    }
  }
  if (needsHealthCheckNodePort(oldSpec) && needsHealthCheckNodePort(spec) && !spec.healthCheckNodePort) {
    spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }

  if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
    if (deepEqual(spec.clusterIPs, oldSpec.clusterIPs) && spec.clusterIP === oldSpec.clusterIP) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (deepEqual(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === oldSpec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (needsNodePorts(oldSpec) && !needsNodePorts(spec)) {
    const oldPorts = records(oldSpec.ports).map((p) => p.nodePort ?? 0);
    const newPorts = records(spec.ports).map((p) => p.nodePort ?? 0);
    if (deepEqual(oldPorts, newPorts)) for (const port of records(spec.ports)) delete port.nodePort;
  }
  if (
    needsHealthCheckNodePort(oldSpec) &&
    !needsHealthCheckNodePort(spec) &&
    spec.healthCheckNodePort === oldSpec.healthCheckNodePort
  ) {
    delete spec.healthCheckNodePort;
  }
  if (str(oldSpec.type) === 'LoadBalancer' && str(spec.type) !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts)
      delete spec.allocateLoadBalancerNodePorts;
    if (spec.loadBalancerClass === oldSpec.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (
    externallyAccessible(oldSpec) &&
    !externallyAccessible(spec) &&
    spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy
  ) {
    delete spec.externalTrafficPolicy;
  }
  if (str(spec.type) !== 'LoadBalancer') service.status = { ...rec(service.status), loadBalancer: {} };
}

/** Ingress points of a LoadBalancer status: IPs, or hostnames when there is no IP. */
function loadBalancerAddresses(service: KubeObject): string[] {
  const ingress = records(rec(rec(service.status).loadBalancer).ingress);
  const out: string[] = [];
  for (const entry of ingress) {
    const value = str(entry.ip) || str(entry.hostname);
    if (value && !out.includes(value)) out.push(value);
  }
  return out;
}

/** The EXTERNAL-IP cell: `<none>`, `<pending>`, load-balancer addresses or the external name. */
export function serviceExternalIP(service: KubeObject): string {
  const spec = rec(service.spec);
  const externalIPs = Array.isArray(spec.externalIPs) ? spec.externalIPs.map(String) : [];
  switch (str(spec.type)) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : NONE;
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(service);
      if (externalIPs.length > 0) return [...lb, ...externalIPs].join(',');
      return lb.length > 0 ? lb.join(',') : PENDING;
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return UNKNOWN;
  }
}

/** The PORT(S) cell: `80/TCP`, `80:30080/TCP,443:30443/TCP`, or `<none>`. */
export function servicePorts(service: KubeObject): string {
  const pieces = records(rec(service.spec).ports).map((port) => {
    const nodePort = typeof port.nodePort === 'number' ? port.nodePort : 0;
    return nodePort > 0
      ? `${port.port}:${nodePort}/${str(port.protocol)}`
      : `${port.port}/${str(port.protocol)}`;
  });
  return pieces.length > 0 ? pieces.join(',') : NONE;
}

function serviceCells(service: KubeObject, context: TableContext): unknown[] {
  const spec = rec(service.spec);
  const clusterIPs = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  return [
    service.metadata.name ?? '',
    str(spec.type),
    clusterIPs.length > 0 ? String(clusterIPs[0]) : NONE,
    serviceExternalIP(service),
    servicePorts(service),
    ageCell(service, context.now),
    formatLabels(stringMap(spec.selector)),
  ];
}

/** core/v1 services. */
export const servicesResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Service',
  listKind: 'ServiceList',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  verbs: STANDARD_VERBS,
  subresources: [
    coreSubresource('proxy', 'ServiceProxyOptions', ['create', 'delete', 'get', 'patch', 'update']),
    statusSubresource('Service'),
  ],
  hasStatusSubresource: true,
  applyDefaults: applyServiceDefaults,
  validate: validateService,
  prepareForCreate(service) {
    initIPFamilyFields(service);
    service.status = { loadBalancer: {} };
  },
  prepareForUpdate: prepareServiceUpdate,
  table: {
    columns: [
      nameColumn(),
      column('Type', 'string', swaggerDoc('V1ServiceSpec', 'type')),
      column('Cluster-IP', 'string', swaggerDoc('V1ServiceSpec', 'clusterIP')),
      column('External-IP', 'string', swaggerDoc('V1ServiceSpec', 'externalIPs')),
      column('Port(s)', 'string', swaggerDoc('V1ServiceSpec', 'ports')),
      ageColumn(),
      column('Selector', 'string', swaggerDoc('V1ServiceSpec', 'selector'), { wide: true }),
    ],
    cells: serviceCells,
  },
  fieldSelectors: {
    'spec.clusterIP': fieldAt(['spec', 'clusterIP']),
    'spec.type': fieldAt(['spec', 'type']),
  },
};
