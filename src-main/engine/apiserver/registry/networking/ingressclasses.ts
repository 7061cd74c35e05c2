import type { KubeObject } from '../../../k8s-object';
import { isPlainObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { rec, str } from '../core/common';
import { STANDARD_VERBS, startGeneration, validateMeta } from '../apps/definition-helpers';
import { ageCell, ageColumn, column, nameCell, nameColumn, NONE } from '../printers';
import type { ResourceDefinition } from '../types';
import { isDns1123Subdomain, isValidPathSegmentName, regexError, validateImmutable } from '../validation';

const MAX_CONTROLLER_LENGTH = 250;
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH = new RegExp(`^${HTTP_PATH_FMT}$`);

/** The annotation that marks the cluster's default IngressClass. */
export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/** SetDefaults_IngressClass: parameters default to cluster scope. */
export function applyIngressClassDefaults(obj: KubeObject): void {
  const spec = rec(obj.spec);
  if (isPlainObject(spec.parameters) && !spec.parameters.scope) spec.parameters.scope = 'Cluster';
}

/** IsDomainPrefixedPath: `example.com/ingress-controller`. */
function validateController(controller: string, path: string): FieldError[] {
  if (controller.length > MAX_CONTROLLER_LENGTH) return [fieldErrors.tooLong(path, MAX_CONTROLLER_LENGTH)];
  if (controller === '') return [fieldErrors.required(path)];
  const slash = controller.indexOf('/');
  const host = slash < 0 ? controller : controller.slice(0, slash);
  const rest = slash < 0 ? '' : controller.slice(slash + 1);
  if (slash < 0 || host === '' || rest === '') {
    return [fieldErrors.invalid(path, controller, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  const errs = isDns1123Subdomain(host).map((msg) => fieldErrors.invalid(path, host, msg));
  if (!HTTP_PATH.test(rest))
    errs.push(fieldErrors.invalid(path, rest, regexError('Invalid path', HTTP_PATH_FMT)));
  return errs;
}

function validateParameters(params: unknown, path: string): FieldError[] {
  if (!isPlainObject(params)) return [];
  const errs: FieldError[] = [];
  if (typeof params.apiGroup === 'string') {
    for (const msg of isDns1123Subdomain(params.apiGroup)) {
      errs.push(fieldErrors.invalid(`${path}.apiGroup`, params.apiGroup, msg));
    }
  }
  for (const key of ['kind', 'name']) {
    const value = str(params[key]);
    if (value === '') errs.push(fieldErrors.required(`${path}.${key}`, `${key} is required`));
    else
      for (const msg of isValidPathSegmentName(value))
        errs.push(fieldErrors.invalid(`${path}.${key}`, value, msg));
  }
  const scope = params.scope;
  if (scope === 'Cluster') {
    if (params.namespace !== undefined && params.namespace !== null) {
      errs.push(fieldErrors.forbidden(`${path}.namespace`, "`parameters.scope` is set to 'Cluster'"));
    }
  } else if (scope === 'Namespace') {
    if (!params.namespace)
      errs.push(fieldErrors.required(`${path}.namespace`, "`parameters.scope` is set to 'Namespace'"));
  } else if (scope === undefined || scope === null) {
    errs.push(fieldErrors.required(`${path}.scope`));
  } else {
    errs.push(fieldErrors.notSupported(`${path}.scope`, scope, ['Cluster', 'Namespace']));
  }
  return errs;
}

/** ValidateIngressClass / ValidateIngressClassUpdate (controller is immutable). */
export function validateIngressClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = rec(obj.spec);
  const errs: FieldError[] = [...validateMeta(obj, old, false)];
  errs.push(...validateController(str(spec.controller), 'spec.controller'));
  errs.push(...validateParameters(spec.parameters, 'spec.parameters'));
  if (old) errs.push(...validateImmutable(spec.controller, rec(old.spec).controller, 'spec.controller'));
  return errs;
}

/** `Kind.group/name` of the parameters reference, or `<none>`. */
function formatParameters(params: unknown): string {
  if (!isPlainObject(params)) return NONE;
  let out = str(params.kind);
  if (typeof params.apiGroup === 'string') out += `.${params.apiGroup}`;
  return `${out}/${str(params.name)}`;
}

/** networking.k8s.io/v1 IngressClass. */
export const ingressClassDefinition: ResourceDefinition = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  listKind: 'IngressClassList',
  plural: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
  verbs: [...STANDARD_VERBS],
  subresources: [],
  hasStatusSubresource: false,
  applyDefaults: applyIngressClassDefaults,
  validate: validateIngressClass,
  prepareForCreate: startGeneration,
  table: {
    columns: [
      nameColumn(),
      column('Controller', 'string', 'Controller that is responsible for handling this class'),
      column('Parameters', 'string', 'A reference to a resource with additional parameters'),
      ageColumn(),
    ],
    cells: (obj, { now }) => [
      nameCell(obj),
      str(rec(obj.spec).controller),
      formatParameters(rec(obj.spec).parameters),
      ageCell(obj, now),
    ],
  },
};
