import { isPlainObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import {
  inclusiveRangeError,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidIP,
  isValidLabelValue,
  validateAnnotations,
  validateLabels,
} from '../validation';
import { num, rec, records, str, stringMap } from './common';
import { validateContainerImagesForPod, validateContainerList } from './container-validation';
import { validateVolumes } from './volume-validation';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
// Kubernetes lists these in this order (not sorted) in its NotSupported errors.
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'];
const MAX_INT32 = 2147483647;

export interface PodSpecValidationOptions {
  /** True for a Pod (images required, ephemeral containers allowed); false for a template. */
  isPod: boolean;
}

/** ValidateTolerations. */
export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  records(tolerations).forEach((t, i) => {
    const p = `${path}[${i}]`;
    const key = str(t.key);
    if (key) for (const msg of isQualifiedName(key)) errs.push(fieldErrors.invalid(`${p}.key`, key, msg));
    const operator = str(t.operator);
    if (!key && operator !== 'Exists') {
      errs.push(
        fieldErrors.invalid(
          `${p}.operator`,
          operator,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    const seconds = t.tolerationSeconds;
    if (seconds !== undefined && seconds !== null && str(t.effect) !== 'NoExecute') {
      errs.push(
        fieldErrors.invalid(
          `${p}.effect`,
          str(t.effect),
          "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
      );
    }
    const value = str(t.value);
    if (operator === '' || operator === 'Equal') {
      const msgs = isValidLabelValue(value);
      if (msgs.length > 0) errs.push(fieldErrors.invalid(`${p}.operator`, value, msgs.join(';')));
    } else if (operator === 'Exists') {
      if (value)
        errs.push(fieldErrors.invalid(`${p}.operator`, t, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(fieldErrors.notSupported(`${p}.operator`, operator, TOLERATION_OPERATORS));
    }
    const effect = str(t.effect);
    if (effect && !TAINT_EFFECTS.includes(effect))
      errs.push(fieldErrors.notSupported(`${p}.effect`, effect, TAINT_EFFECTS));
  });
  return errs;
}

function validateHostNetworkPorts(spec: Record<string, unknown>, path: string): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  const errs: FieldError[] = [];
  for (const key of ['initContainers', 'containers']) {
    records(spec[key]).forEach((container, i) => {
      records(container.ports).forEach((port, j) => {
        const hostPort = num(port.hostPort) ?? 0;
        if (hostPort !== (num(port.containerPort) ?? 0)) {
          errs.push(
            fieldErrors.invalid(
              `${path}.${key}[${i}].ports[${j}].hostPort`,
              hostPort,
              'must match `containerPort` when `hostNetwork` is true',
            ),
          );
        }
      });
    });
  }
  return errs;
}

function validateHostAliases(aliases: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  records(aliases).forEach((alias, i) => {
    const ip = str(alias.ip);
    for (const msg of isValidIP(ip)) errs.push(fieldErrors.invalid(`${path}[${i}].ip`, ip, msg));
    (Array.isArray(alias.hostnames) ? alias.hostnames : []).forEach((host, j) => {
      for (const msg of isDns1123Subdomain(String(host))) {
        errs.push(fieldErrors.invalid(`${path}[${i}].hostnames[${j}]`, host, msg));
      }
    });
  });
  return errs;
}

function validateDnsConfig(spec: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const config = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (!isPlainObject(config)) {
      errs.push(
        fieldErrors.required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'),
      );
      return errs;
    }
    if (!Array.isArray(config.nameservers) || config.nameservers.length === 0) {
      errs.push(
        fieldErrors.required(
          `${path}.dnsConfig.nameservers`,
          'must provide at least one DNS nameserver when `dnsPolicy` is None',
        ),
      );
    }
  }
  if (!isPlainObject(config)) return errs;
  const nameservers = Array.isArray(config.nameservers) ? config.nameservers : [];
  if (nameservers.length > 3) {
    errs.push(
      fieldErrors.invalid(
        `${path}.dnsConfig.nameservers`,
        nameservers,
        'must not have more than 3 nameservers',
      ),
    );
  }
  nameservers.forEach((ns, i) => {
    for (const msg of isValidIP(String(ns)))
      errs.push(fieldErrors.invalid(`${path}.dnsConfig.nameservers[${i}]`, ns, msg));
  });
  return errs;
}

/**
 * ValidatePodSpec with Kubernetes' field paths (`<path>.containers[0].image` …). Volumes are
 * checked first so that volumeMounts can be matched against the valid ones.
 */
export function validatePodSpec(
  specValue: unknown,
  path: string,
  options: PodSpecValidationOptions,
): FieldError[] {
  const spec = rec(specValue);
  const errs: FieldError[] = [];
  const { errors: volumeErrors, names: volumes } = validateVolumes(spec.volumes, `${path}.volumes`);
  errs.push(...volumeErrors);
  const seen = new Set<string>();
  const context = { volumes };
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) {
    errs.push(fieldErrors.required(`${path}.containers`));
  } else {
    errs.push(...validateContainerList(spec.containers, `${path}.containers`, 'container', context, seen));
  }
  errs.push(...validateContainerList(spec.initContainers, `${path}.initContainers`, 'init', context, seen));
  errs.push(
    ...validateContainerList(
      spec.ephemeralContainers,
      `${path}.ephemeralContainers`,
      'ephemeral',
      context,
      seen,
    ),
  );
  errs.push(...validateHostNetworkPorts(spec, path));

  const restartPolicy = spec.restartPolicy ?? '';
  if (restartPolicy === '') errs.push(fieldErrors.required(`${path}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(String(restartPolicy))) {
    errs.push(fieldErrors.notSupported(`${path}.restartPolicy`, restartPolicy, RESTART_POLICIES));
  }
  const dnsPolicy = spec.dnsPolicy ?? '';
  if (dnsPolicy === '') errs.push(fieldErrors.required(`${path}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(String(dnsPolicy))) {
    errs.push(fieldErrors.notSupported(`${path}.dnsPolicy`, dnsPolicy, DNS_POLICIES));
  }
  errs.push(...validateLabels(stringMap(spec.nodeSelector), `${path}.nodeSelector`));
  errs.push(...validateDnsConfig(spec, path));

  records(spec.readinessGates).forEach((gate, i) => {
    const type = str(gate.conditionType);
    for (const msg of isQualifiedName(type)) {
      errs.push(fieldErrors.invalid(`${path}.readinessGates[${i}].conditionType`, type, msg));
    }
  });
  const gateNames = new Set<string>();
  records(spec.schedulingGates).forEach((gate, i) => {
    const name = str(gate.name);
    for (const msg of isQualifiedName(name))
      errs.push(fieldErrors.invalid(`${path}.schedulingGates[${i}].name`, name, msg));
    if (gateNames.has(name)) errs.push(fieldErrors.duplicate(`${path}.schedulingGates[${i}].name`, name));
    gateNames.add(name);
  });

  const serviceAccountName = str(spec.serviceAccountName);
  if (serviceAccountName) {
    for (const msg of isDns1123Subdomain(serviceAccountName)) {
      errs.push(fieldErrors.invalid(`${path}.serviceAccountName`, serviceAccountName, msg));
    }
  }
  const nodeName = str(spec.nodeName);
  if (nodeName)
    for (const msg of isDns1123Subdomain(nodeName))
      errs.push(fieldErrors.invalid(`${path}.nodeName`, nodeName, msg));
  const deadline = num(spec.activeDeadlineSeconds);
  if (deadline !== undefined && (deadline < 1 || deadline > MAX_INT32)) {
    errs.push(
      fieldErrors.invalid(`${path}.activeDeadlineSeconds`, deadline, inclusiveRangeError(1, MAX_INT32)),
    );
  }
  for (const key of ['hostname', 'subdomain']) {
    const value = str(spec[key]);
    if (value)
      for (const msg of isDns1123Label(value)) errs.push(fieldErrors.invalid(`${path}.${key}`, value, msg));
  }
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  errs.push(...validateHostAliases(spec.hostAliases, `${path}.hostAliases`));
  const priorityClassName = str(spec.priorityClassName);
  if (priorityClassName) {
    for (const msg of isDns1123Subdomain(priorityClassName)) {
      errs.push(fieldErrors.invalid(`${path}.priorityClassName`, priorityClassName, msg));
    }
  }
  const preemption = spec.preemptionPolicy;
  if (preemption !== undefined && preemption !== null && !PREEMPTION_POLICIES.includes(String(preemption))) {
    errs.push(fieldErrors.notSupported(`${path}.preemptionPolicy`, preemption, PREEMPTION_POLICIES));
  }
  if (options.isPod) {
    errs.push(...validateContainerImagesForPod(spec.containers, `${path}.containers`));
    errs.push(...validateContainerImagesForPod(spec.initContainers, `${path}.initContainers`));
  }
  return errs;
}

/**
 * ValidatePodTemplateSpec for workload templates at `path` (e.g. `spec.template`): labels,
 * annotations, the pod spec (images optional, as for templates) and no ephemeral containers.
 */
export function validatePodTemplateSpec(template: unknown, path: string): FieldError[] {
  const t = rec(template);
  const meta = rec(t.metadata);
  const errs: FieldError[] = [
    ...validateLabels(stringMap(meta.labels), `${path}.metadata.labels`),
    ...validateAnnotations(stringMap(meta.annotations), `${path}.metadata.annotations`),
    ...validatePodSpec(t.spec, `${path}.spec`, { isPod: false }),
  ];
  const spec = rec(t.spec);
  if (Array.isArray(spec.ephemeralContainers) && spec.ephemeralContainers.length > 0) {
    errs.push(
      fieldErrors.forbidden(
        `${path}.spec.ephemeralContainers`,
        'ephemeral containers not allowed in pod template',
      ),
    );
  }
  return errs;
}
