import type { KubeObject } from '../../../k8s-object';
import { isPlainObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { ensureRecord, num, rec, records, specOf, str } from '../core/common';
import { validateMeta } from '../apps/definition-helpers';
import { isValidPathSegmentName, parseQuantity } from '../validation';

const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SOURCE_FIELDS: Record<string, string> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
};
/** Kubernetes' DefaultCPUUtilization. */
const DEFAULT_CPU_UTILIZATION = 80;

/** The default scale-up and scale-down rules (GenerateHPAScaleUpRules / GenerateHPAScaleDownRules). */
function defaultRules(direction: 'scaleUp' | 'scaleDown'): Record<string, unknown> {
  return direction === 'scaleUp'
    ? {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      }
    : {
        stabilizationWindowSeconds: 300,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      };
}

/** SetDefaults_HorizontalPodAutoscaler (autoscaling/v2). */
export function applyHpaV2Defaults(obj: KubeObject): void {
  const spec = specOf(obj);
  if (spec.minReplicas === undefined || spec.minReplicas === null) spec.minReplicas = 1;
  if (records(spec.metrics).length === 0) {
    spec.metrics = [
      {
        type: 'Resource',
        resource: {
          name: 'cpu',
          target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION },
        },
      },
    ];
  }
  if (isPlainObject(spec.behavior)) {
    for (const direction of ['scaleUp', 'scaleDown'] as const) {
      const rules = ensureRecord(spec.behavior, direction);
      const defaults = defaultRules(direction);
      for (const [key, value] of Object.entries(defaults)) {
        const current = rules[key];
        if (current === undefined || current === null || (Array.isArray(current) && current.length === 0)) {
          rules[key] = value;
        }
      }
    }
  }
}

function positiveQuantity(value: unknown, path: string): FieldError[] {
  if (value === undefined || value === null) return [];
  const parsed = parseQuantity(value);
  return parsed !== undefined && parsed > 0 ? [] : [fieldErrors.invalid(path, value, 'must be positive')];
}

function validateTarget(target: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = target.type;
  if (!type) errs.push(fieldErrors.required(`${path}.type`, 'must specify a metric target type'));
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue') {
    errs.push(
      fieldErrors.invalid(`${path}.type`, type ?? '', 'must be either Utilization, Value, or AverageValue'),
    );
  }
  errs.push(...positiveQuantity(target.value, `${path}.value`));
  errs.push(...positiveQuantity(target.averageValue, `${path}.averageValue`));
  const utilization = num(target.averageUtilization);
  if (utilization !== undefined && utilization < 1) {
    errs.push(fieldErrors.invalid(`${path}.averageUtilization`, utilization, 'must be greater than 0'));
  }
  return errs;
}

function validateResourceSource(
  source: Record<string, unknown>,
  path: string,
  container: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  if (str(source.name) === '')
    errs.push(fieldErrors.required(`${path}.name`, 'must specify a resource name'));
  if (container && str(source.container) === '') {
    errs.push(fieldErrors.required(`${path}.container`, 'must specify a container'));
  }
  const target = rec(source.target);
  errs.push(...validateTarget(target, `${path}.target`));
  const hasUtilization = target.averageUtilization !== undefined && target.averageUtilization !== null;
  const hasAverage = target.averageValue !== undefined && target.averageValue !== null;
  if (!hasUtilization && !hasAverage) {
    errs.push(
      fieldErrors.required(
        `${path}.target.averageUtilization`,
        'must set either a target raw value or a target utilization',
      ),
    );
  }
  if (hasUtilization && hasAverage) {
    errs.push(
      fieldErrors.forbidden(
        `${path}.target.averageValue`,
        'may not set both a target raw value and a target utilization',
      ),
    );
  }
  return errs;
}

function validateMetricIdentifier(metric: unknown, path: string): FieldError[] {
  const name = str(rec(metric).name);
  if (name === '') return [fieldErrors.required(`${path}.name`, 'must specify a metric name')];
  return isValidPathSegmentName(name).map((msg) => fieldErrors.invalid(`${path}.name`, name, msg));
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** validatePodsSource / validateObjectSource / validateExternalSource. */
function validateCustomSource(type: string, source: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const target = rec(source.target);
  if (type === 'Object')
    errs.push(...validateScaleTargetRef(rec(source.describedObject), `${path}.describedObject`));
  errs.push(...validateMetricIdentifier(source.metric, `${path}.metric`));
  errs.push(...validateTarget(target, `${path}.target`));
  const hasValue = present(target.value);
  const hasAverage = present(target.averageValue);
  if (type === 'Pods' && !hasAverage) {
    errs.push(
      fieldErrors.required(`${path}.target.averageValue`, 'must specify a positive target averageValue'),
    );
  }
  if (type === 'Object' && !hasValue && !hasAverage) {
    errs.push(
      fieldErrors.required(`${path}.target.averageValue`, 'must set either a target value or averageValue'),
    );
  }
  if (type === 'External') {
    if (!hasValue && !hasAverage) {
      errs.push(
        fieldErrors.required(
          `${path}.target.averageValue`,
          'must set either a target value for metric or a per-pod target',
        ),
      );
    }
    if (hasValue && hasAverage) {
      errs.push(
        fieldErrors.forbidden(
          `${path}.target.value`,
          'may not set both a target value for metric and a per-pod target',
        ),
      );
    }
  }
  return errs;
}

const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const SCALING_POLICY_TYPES = ['Percent', 'Pods'];
const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

function validateScalingRules(rules: unknown, path: string): FieldError[] {
  if (!isPlainObject(rules)) return [];
  const errs: FieldError[] = [];
  const window = num(rules.stabilizationWindowSeconds);
  if (window !== undefined && window < 0) {
    errs.push(
      fieldErrors.invalid(
        `${path}.stabilizationWindowSeconds`,
        window,
        'must be greater than or equal to zero',
      ),
    );
  }
  if (window !== undefined && window > MAX_STABILIZATION_WINDOW_SECONDS) {
    errs.push(
      fieldErrors.invalid(
        `${path}.stabilizationWindowSeconds`,
        window,
        `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`,
      ),
    );
  }
  if (present(rules.selectPolicy) && !SELECT_POLICIES.includes(String(rules.selectPolicy))) {
    errs.push(fieldErrors.notSupported(`${path}.selectPolicy`, rules.selectPolicy, SELECT_POLICIES));
  }
  const policies = records(rules.policies);
  if (policies.length === 0)
    errs.push(fieldErrors.required(`${path}.policies`, 'must specify at least one Policy'));
  policies.forEach((policy, i) => {
    const p = `${path}.policies[${i}]`;
    if (!SCALING_POLICY_TYPES.includes(String(policy.type))) {
      errs.push(fieldErrors.notSupported(`${p}.type`, policy.type ?? '', SCALING_POLICY_TYPES));
    }
    const value = num(policy.value) ?? 0;
    if (value <= 0) errs.push(fieldErrors.invalid(`${p}.value`, value, 'must be greater than zero'));
    const period = num(policy.periodSeconds) ?? 0;
    if (period <= 0)
      errs.push(fieldErrors.invalid(`${p}.periodSeconds`, period, 'must be greater than zero'));
    if (period > MAX_PERIOD_SECONDS) {
      errs.push(
        fieldErrors.invalid(
          `${p}.periodSeconds`,
          period,
          `must be less than or equal to ${MAX_PERIOD_SECONDS}`,
        ),
      );
    }
  });
  return errs;
}

function validateMetricSpec(metric: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(metric.type);
  if (type === '') errs.push(fieldErrors.required(`${path}.type`, 'must specify a metric source type'));
  if (!METRIC_SOURCE_TYPES.includes(type))
    errs.push(fieldErrors.notSupported(`${path}.type`, type, METRIC_SOURCE_TYPES));
  const present = Object.values(SOURCE_FIELDS).filter((field) => isPlainObject(metric[field]));
  const expected = SOURCE_FIELDS[type];
  if (expected) {
    if (!isPlainObject(metric[expected])) {
      errs.push(
        fieldErrors.required(`${path}.${expected}`, 'must populate information for the given metric source'),
      );
    } else if (type === 'Resource' || type === 'ContainerResource') {
      errs.push(
        ...validateResourceSource(rec(metric[expected]), `${path}.${expected}`, type === 'ContainerResource'),
      );
    } else {
      errs.push(...validateCustomSource(type, rec(metric[expected]), `${path}.${expected}`));
    }
  }
  if (present.length > 1 || (present.length === 1 && present[0] !== expected)) {
    for (const field of present) {
      if (field !== expected)
        errs.push(fieldErrors.forbidden(`${path}.${field}`, 'must populate the given metric source only'));
    }
  }
  return errs;
}

function validateScaleTargetRef(ref: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['kind', 'name']) {
    const value = str(ref[key]);
    if (value === '') errs.push(fieldErrors.required(`${path}.${key}`));
    else
      for (const msg of isValidPathSegmentName(value))
        errs.push(fieldErrors.invalid(`${path}.${key}`, value, msg));
  }
  return errs;
}

/** ValidateHorizontalPodAutoscaler on the v2 form (v1 objects are converted first, as Kubernetes does). */
export function validateHpaV2(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = rec(obj.spec);
  const errs: FieldError[] = [...validateMeta(obj, old, true)];
  const min = num(spec.minReplicas);
  const max = num(spec.maxReplicas) ?? 0;
  if (min !== undefined && min < 1)
    errs.push(fieldErrors.invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(fieldErrors.invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (min !== undefined && max < min) {
    errs.push(fieldErrors.invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  }
  const refErrors = validateScaleTargetRef(rec(spec.scaleTargetRef), 'spec.scaleTargetRef');
  if (refErrors.length > 0) return [...errs, ...refErrors];
  const metricErrors = records(spec.metrics).flatMap((metric, i) =>
    validateMetricSpec(metric, `spec.metrics[${i}]`),
  );
  if (metricErrors.length > 0) return [...errs, ...metricErrors];
  const behavior = rec(spec.behavior);
  errs.push(...validateScalingRules(behavior.scaleUp, 'spec.behavior.scaleUp'));
  errs.push(...validateScalingRules(behavior.scaleDown, 'spec.behavior.scaleDown'));
  return errs;
}
