import { isPlainObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import {
  compareQuantities,
  isDns1123Label,
  isRelaxedEnvVarName,
  isHTTPHeaderName,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
  notFoundError,
  validateNonnegative,
} from '../validation';
import { num, rec, records, str } from './common';
import { validateLocalDescendingPath, validateNonNegativeQuantity } from './volume-validation';

/** Sorted like Kubernetes' `sets.List`, which is how NotSupported lists them. */
export const SUPPORTED_PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
// Kubernetes lists these unsorted in its NotSupported error.
const TERMINATION_MESSAGE_POLICIES_IN_ORDER = ['File', 'FallbackToLogsOnError'];
const HTTP_SCHEMES = ['HTTP', 'HTTPS'];

export type ContainerKind = 'container' | 'init' | 'ephemeral';

export interface ContainerValidationContext {
  /** Names of the pod's valid volumes. */
  volumes: Set<string>;
}

/** ValidatePortNumOrName for an IntOrString port (probes, Service targetPort). */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => fieldErrors.invalid(path, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => fieldErrors.invalid(path, port, m));
  return [fieldErrors.invalid(path, port ?? '', 'must be an int or a string')];
}

/** validateHandler: exactly one of exec, httpGet, tcpSocket, grpc, sleep. */
export function validateHandler(
  handler: Record<string, unknown>,
  path: string,
  allowGrpc: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  const kinds = allowGrpc
    ? ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep']
    : ['exec', 'httpGet', 'tcpSocket', 'sleep'];
  for (const kind of kinds) {
    const action = handler[kind];
    if (action === undefined || action === null) continue;
    if (count > 0) {
      errs.push(fieldErrors.forbidden(`${path}.${kind}`, 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    const a = rec(action);
    const p = `${path}.${kind}`;
    switch (kind) {
      case 'exec':
        if (!Array.isArray(a.command) || a.command.length === 0)
          errs.push(fieldErrors.required(`${p}.command`));
        break;
      case 'httpGet': {
        if (!str(a.path)) errs.push(fieldErrors.required(`${p}.path`));
        errs.push(...validatePortNumOrName(a.port, `${p}.port`));
        const scheme = a.scheme ?? '';
        if (!HTTP_SCHEMES.includes(String(scheme)))
          errs.push(fieldErrors.notSupported(`${p}.scheme`, scheme, HTTP_SCHEMES));
        records(a.httpHeaders).forEach((header, i) => {
          for (const msg of isHTTPHeaderName(str(header.name))) {
            errs.push(fieldErrors.invalid(`${p}.httpHeaders[${i}].name`, str(header.name), msg));
          }
        });
        break;
      }
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(a.port, `${p}.port`));
        break;
      case 'grpc': {
        const port = num(a.port) ?? 0;
        for (const msg of isValidPortNum(port)) errs.push(fieldErrors.invalid(`${p}.port`, port, msg));
        break;
      }
      case 'sleep': {
        const seconds = num(a.seconds) ?? 0;
        if (seconds <= 0) errs.push(fieldErrors.invalid(`${p}.seconds`, seconds, 'must be greater than 0'));
        break;
      }
    }
  }
  if (count === 0) errs.push(fieldErrors.required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: unknown, path: string): FieldError[] {
  if (!isPlainObject(probe)) return [];
  const errs = validateHandler(probe, path, true);
  for (const key of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ]) {
    errs.push(...validateNonnegative(num(probe[key]), `${path}.${key}`));
  }
  const grace = num(probe.terminationGracePeriodSeconds);
  if (grace !== undefined && grace <= 0) {
    errs.push(fieldErrors.invalid(`${path}.terminationGracePeriodSeconds`, grace, 'must be greater than 0'));
  }
  return errs;
}

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  records(ports).forEach((port, i) => {
    const p = `${path}[${i}]`;
    const name = str(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) for (const msg of msgs) errs.push(fieldErrors.invalid(`${p}.name`, name, msg));
      else if (names.has(name)) errs.push(fieldErrors.duplicate(`${p}.name`, name));
      else names.add(name);
    }
    const containerPort = num(port.containerPort) ?? 0;
    if (containerPort === 0) errs.push(fieldErrors.required(`${p}.containerPort`));
    else
      for (const msg of isValidPortNum(containerPort))
        errs.push(fieldErrors.invalid(`${p}.containerPort`, containerPort, msg));
    const hostPort = num(port.hostPort) ?? 0;
    if (hostPort !== 0)
      for (const msg of isValidPortNum(hostPort))
        errs.push(fieldErrors.invalid(`${p}.hostPort`, hostPort, msg));
    const protocol = str(port.protocol);
    if (!protocol) errs.push(fieldErrors.required(`${p}.protocol`));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol)) {
      errs.push(fieldErrors.notSupported(`${p}.protocol`, protocol, SUPPORTED_PORT_PROTOCOLS));
    }
  });
  return errs;
}

function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  records(env).forEach((variable, i) => {
    const p = `${path}[${i}]`;
    const name = str(variable.name);
    if (!name) errs.push(fieldErrors.required(`${p}.name`));
    else for (const msg of isRelaxedEnvVarName(name)) errs.push(fieldErrors.invalid(`${p}.name`, name, msg));
    if (!isPlainObject(variable.valueFrom)) return;
    const from = variable.valueFrom;
    const fp = `${p}.valueFrom`;
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter(
      (k) => isPlainObject(from[k]),
    );
    if (sources.length === 0) {
      errs.push(
        fieldErrors.invalid(
          fp,
          '',
          'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
        ),
      );
    } else if (sources.length > 1) {
      errs.push(fieldErrors.invalid(fp, '', 'may not have more than one field specified at a time'));
    }
    if (str(variable.value) && sources.length > 0) {
      errs.push(fieldErrors.invalid(fp, '', 'may not be specified when `value` is not empty'));
    }
    for (const key of ['configMapKeyRef', 'secretKeyRef']) {
      if (!isPlainObject(from[key])) continue;
      const ref = from[key];
      if (!str(ref.name)) errs.push(fieldErrors.required(`${fp}.${key}.name`));
      if (!str(ref.key)) errs.push(fieldErrors.required(`${fp}.${key}.key`));
    }
    if (isPlainObject(from.fieldRef)) {
      if (!str(from.fieldRef.fieldPath)) errs.push(fieldErrors.required(`${fp}.fieldRef.fieldPath`));
      if (!str(from.fieldRef.apiVersion)) errs.push(fieldErrors.required(`${fp}.fieldRef.apiVersion`));
    }
    if (isPlainObject(from.resourceFieldRef) && !str(from.resourceFieldRef.resource)) {
      errs.push(fieldErrors.required(`${fp}.resourceFieldRef.resource`));
    }
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  records(envFrom).forEach((source, i) => {
    const p = `${path}[${i}]`;
    const prefix = str(source.prefix);
    if (prefix)
      for (const msg of isRelaxedEnvVarName(prefix))
        errs.push(fieldErrors.invalid(`${p}.prefix`, prefix, msg));
    const refs = ['configMapRef', 'secretRef'].filter((k) => isPlainObject(source[k]));
    if (refs.length === 0)
      errs.push(fieldErrors.invalid(p, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (refs.length > 1)
      errs.push(fieldErrors.invalid(p, '', 'may not have more than one field specified at a time'));
    for (const key of refs) {
      if (!str(rec(source[key]).name)) errs.push(fieldErrors.required(`${p}.${key}.name`));
    }
  });
  return errs;
}

function validateVolumeMounts(mounts: unknown, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  records(mounts).forEach((mount, i) => {
    const p = `${path}[${i}]`;
    const name = str(mount.name);
    const mountPath = str(mount.mountPath);
    if (!name) errs.push(fieldErrors.required(`${p}.name`));
    if (!volumes.has(name)) errs.push(notFoundError(`${p}.name`, name));
    if (!mountPath) errs.push(fieldErrors.required(`${p}.mountPath`));
    if (mountPoints.has(mountPath))
      errs.push(fieldErrors.invalid(`${p}.mountPath`, mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    const subPath = str(mount.subPath);
    if (subPath) errs.push(...validateLocalDescendingPath(subPath, `${p}.subPath`));
    const propagation = mount.mountPropagation;
    const modes = ['Bidirectional', 'HostToContainer', 'None'];
    if (propagation !== undefined && propagation !== null && !modes.includes(String(propagation))) {
      errs.push(fieldErrors.notSupported(`${p}.mountPropagation`, propagation, modes));
    }
  });
  return errs;
}

const standardContainerResources = ['cpu', 'memory', 'ephemeral-storage'];

function isHugePages(name: string): boolean {
  return name.startsWith('hugepages-');
}

function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => fieldErrors.invalid(path, name, m));
  if (errs.length > 0) return errs;
  if (!name.includes('/') && !standardContainerResources.includes(name) && !isHugePages(name)) {
    errs.push(fieldErrors.invalid(path, name, 'must be a standard resource for containers'));
  }
  return errs;
}

/** ValidateResourceRequirements: names, non-negative quantities, requests ≤ limits. */
export function validateResourceRequirements(resources: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const r = rec(resources);
  const limits = rec(r.limits);
  const requests = rec(r.requests);
  for (const [name, quantity] of Object.entries(limits)) {
    const p = `${path}.limits[${name}]`;
    errs.push(...validateResourceName(name, p));
    errs.push(...validateNonNegativeQuantity(quantity, p));
  }
  for (const [name, quantity] of Object.entries(requests)) {
    const p = `${path}.requests[${name}]`;
    errs.push(...validateResourceName(name, p));
    errs.push(...validateNonNegativeQuantity(quantity, p));
    const overcommit = isNativeResource(name) && !isHugePages(name);
    if (name in limits) {
      const cmp = compareQuantities(quantity, limits[name]);
      if (cmp !== 0 && !overcommit) {
        errs.push(
          fieldErrors.invalid(
            `${path}.requests`,
            String(quantity),
            `must be equal to ${name} limit of ${String(limits[name])}`,
          ),
        );
      } else if (cmp > 0) {
        errs.push(
          fieldErrors.invalid(
            `${path}.requests`,
            String(quantity),
            `must be less than or equal to ${name} limit of ${String(limits[name])}`,
          ),
        );
      }
    } else if (!overcommit) {
      errs.push(fieldErrors.required(`${path}.limits`, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

const EPHEMERAL_FORBIDDEN = 'cannot be set for an Ephemeral Container';

/** validateContainerCommon: the checks every container kind shares. */
function validateContainerCommon(
  container: Record<string, unknown>,
  path: string,
  context: ContainerValidationContext,
  kind: ContainerKind,
): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(container.name);
  if (!name) errs.push(fieldErrors.required(`${path}.name`));
  else for (const msg of isDns1123Label(name)) errs.push(fieldErrors.invalid(`${path}.name`, name, msg));
  if (!str(container.image)) errs.push(fieldErrors.required(`${path}.image`));
  const tmp = container.terminationMessagePolicy;
  if (tmp === undefined || tmp === '') errs.push(fieldErrors.required(`${path}.terminationMessagePolicy`));
  else if (!TERMINATION_MESSAGE_POLICIES_IN_ORDER.includes(String(tmp))) {
    errs.push(
      fieldErrors.notSupported(
        `${path}.terminationMessagePolicy`,
        tmp,
        TERMINATION_MESSAGE_POLICIES_IN_ORDER,
      ),
    );
  }
  if (kind === 'ephemeral' && Array.isArray(container.ports) && container.ports.length > 0) {
    errs.push(fieldErrors.forbidden(`${path}.ports`, EPHEMERAL_FORBIDDEN));
  } else {
    errs.push(...validatePorts(container.ports, `${path}.ports`));
  }
  errs.push(...validateEnv(container.env, `${path}.env`));
  errs.push(...validateEnvFrom(container.envFrom, `${path}.envFrom`));
  errs.push(...validateVolumeMounts(container.volumeMounts, context.volumes, `${path}.volumeMounts`));
  const pullPolicy = container.imagePullPolicy;
  if (pullPolicy === undefined || pullPolicy === '')
    errs.push(fieldErrors.required(`${path}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(String(pullPolicy))) {
    errs.push(fieldErrors.notSupported(`${path}.imagePullPolicy`, pullPolicy, PULL_POLICIES));
  }
  if (kind === 'ephemeral' && Object.keys(rec(container.resources)).length > 0) {
    errs.push(fieldErrors.forbidden(`${path}.resources`, EPHEMERAL_FORBIDDEN));
  } else {
    errs.push(...validateResourceRequirements(container.resources, `${path}.resources`));
  }
  return errs;
}

function validateLifecycle(lifecycle: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    const handler = lifecycle[hook];
    if (isPlainObject(handler)) errs.push(...validateHandler(handler, `${path}.${hook}`, false));
  }
  return errs;
}

/** Lifecycle and probes, allowed on app containers and sidecars (restartable init containers). */
function validateProbesAndLifecycle(container: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (isPlainObject(container.lifecycle))
    errs.push(...validateLifecycle(container.lifecycle, `${path}.lifecycle`));
  for (const probeKey of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = container[probeKey];
    if (!isPlainObject(probe)) continue;
    errs.push(...validateProbe(probe, `${path}.${probeKey}`));
    const success = num(probe.successThreshold);
    if (probeKey !== 'readinessProbe' && success !== undefined && success !== 1) {
      errs.push(fieldErrors.invalid(`${path}.${probeKey}.successThreshold`, success, 'must be 1'));
    }
  }
  return errs;
}

/** True for an init container declared as a sidecar (`restartPolicy: Always`). */
export function isRestartableInitContainer(container: Record<string, unknown>): boolean {
  return container.restartPolicy === 'Always';
}

/**
 * validateContainers / validateInitContainers / validateEphemeralContainers for one list, in
 * Kubernetes' order: the common checks, name uniqueness (`seen` carries names across the
 * lists), then the kind's own rules.
 */
export function validateContainerList(
  containers: unknown,
  path: string,
  kind: ContainerKind,
  context: ContainerValidationContext,
  seen: Set<string>,
): FieldError[] {
  const errs: FieldError[] = [];
  records(containers).forEach((container, i) => {
    const p = `${path}[${i}]`;
    const name = str(container.name);
    errs.push(...validateContainerCommon(container, p, context, kind));
    const restartPolicy = container.restartPolicy;
    const hasRestartPolicy = restartPolicy !== undefined && restartPolicy !== null;
    if (kind === 'init' && hasRestartPolicy && restartPolicy !== 'Always') {
      errs.push(fieldErrors.notSupported(`${p}.restartPolicy`, restartPolicy, ['Always']));
    }
    if (seen.has(name)) errs.push(fieldErrors.duplicate(`${p}.name`, name));
    else if (name) seen.add(name);
    if (kind === 'container') {
      errs.push(...validateProbesAndLifecycle(container, p));
      if (hasRestartPolicy)
        errs.push(fieldErrors.forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
    } else if (kind === 'init') {
      if (isRestartableInitContainer(container)) {
        errs.push(...validateProbesAndLifecycle(container, p));
      } else {
        for (const key of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
          if (isPlainObject(container[key])) {
            errs.push(
              fieldErrors.forbidden(
                `${p}.${key}`,
                'may not be set for init containers without restartPolicy=Always',
              ),
            );
          }
        }
      }
    } else {
      for (const key of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (isPlainObject(container[key]))
          errs.push(fieldErrors.forbidden(`${p}.${key}`, EPHEMERAL_FORBIDDEN));
      }
      if (hasRestartPolicy) errs.push(fieldErrors.forbidden(`${p}.restartPolicy`, EPHEMERAL_FORBIDDEN));
    }
  });
  return errs;
}

/**
 * validateContainersOnlyForPod: a Pod's (not a template's) images may not carry surrounding
 * whitespace. Kubernetes runs it after the whole spec, so its errors come last.
 */
export function validateContainerImagesForPod(containers: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  records(containers).forEach((container, i) => {
    const image = str(container.image);
    if (image !== image.trim()) {
      errs.push(
        fieldErrors.invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'),
      );
    }
  });
  return errs;
}
