import { isPlainObject } from '../../k8s-object';
import type { RequestAttributes } from '../http/auth';

/** One rbac.authorization.k8s.io/v1 PolicyRule, normalised (absent lists are empty). */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

/** A rule as it appears in a SelfSubjectRulesReview (empty lists left out). */
export interface ResourceRuleJson {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

export interface NonResourceRuleJson {
  verbs: string[];
  nonResourceURLs: string[];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The rules of a Role/ClusterRole object; malformed entries are dropped, never thrown on. */
export function readRules(value: unknown): PolicyRule[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isPlainObject).map((r) => ({
    verbs: strings(r.verbs),
    apiGroups: strings(r.apiGroups),
    resources: strings(r.resources),
    resourceNames: strings(r.resourceNames),
    nonResourceURLs: strings(r.nonResourceURLs),
  }));
}

const has = (list: string[], value: string): boolean => list.includes('*') || list.includes(value);

function resourceMatches(rule: PolicyRule, resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return rule.resources.some(
    (r) => r === '*' || r === combined || (subresource !== undefined && r === `*/${subresource}`),
  );
}

function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  return rule.nonResourceURLs.some(
    (url) => url === '*' || url === path || (url.endsWith('*') && path.startsWith(url.slice(0, -1))),
  );
}

/**
 * Whether `rule` allows `attributes`, with Kubernetes' RBAC semantics: `*` wildcards in verbs,
 * apiGroups, resources and nonResourceURLs, `pods/log`-style and `* /scale`-style subresources,
 * resourceNames limiting by name (never matching a request without a name), and trailing-`*`
 * prefixes for non-resource URLs.
 */
export function ruleAllows(rule: PolicyRule, attributes: RequestAttributes): boolean {
  if (!has(rule.verbs, attributes.verb)) return false;
  if (attributes.resource === undefined) {
    return attributes.path !== undefined && nonResourceUrlMatches(rule, attributes.path);
  }
  if (!has(rule.apiGroups, attributes.group ?? '')) return false;
  if (!resourceMatches(rule, attributes.resource, attributes.subresource)) return false;
  if (rule.resourceNames.length === 0) return true;
  return attributes.name !== undefined && rule.resourceNames.includes(attributes.name);
}

/** A rule as a review reports it. */
export function resourceRuleJson(rule: PolicyRule): ResourceRuleJson {
  return {
    verbs: rule.verbs,
    ...(rule.apiGroups.length ? { apiGroups: rule.apiGroups } : {}),
    ...(rule.resources.length ? { resources: rule.resources } : {}),
    ...(rule.resourceNames.length ? { resourceNames: rule.resourceNames } : {}),
  };
}
