import type { KubeObject } from '../../k8s-object';
import { isPlainObject } from '../../k8s-object';
import { Informer } from '../../controllers/runtime/informer';
import type { Authorizer, RequestAttributes, UserInfo } from '../http/auth';
import type { ObjectApi } from '../object-api';
import type { GroupVersionResource } from '../registry/types';
import { selectorFromSpec } from '../selectors';
import type { LabelSelectorSpec } from '../selectors';
import { ensureBootstrapPolicy } from './ensure-bootstrap';
import { startRoleAggregation } from './aggregation';
import { readRules, resourceRuleJson, ruleAllows } from './rules';
import type { NonResourceRuleJson, PolicyRule, ResourceRuleJson } from './rules';

const rbac = (resource: string): GroupVersionResource => ({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource,
});
export const ROLES = rbac('roles');
export const CLUSTER_ROLES = rbac('clusterroles');
export const ROLE_BINDINGS = rbac('rolebindings');
export const CLUSTER_ROLE_BINDINGS = rbac('clusterrolebindings');

/** The group whose members may do everything, whatever the bindings say (as in Kubernetes). */
export const SUPERUSER_GROUP = 'system:masters';

/** An authorization decision with the reason a SubjectAccessReview reports. */
export interface Decision {
  allowed: boolean;
  reason: string;
}

/** What a SelfSubjectRulesReview reports. */
export interface SubjectRules {
  resourceRules: ResourceRuleJson[];
  nonResourceRules: NonResourceRuleJson[];
  incomplete: boolean;
}

/**
 * An RBAC authorizer: callable as the API server's `authorize` hook, plus the decision with its
 * reason and the rules that apply to a user (for access and rules reviews).
 */
export interface RbacAuthorizer extends Authorizer {
  decide(user: UserInfo, attributes: RequestAttributes): Decision;
  rulesFor(user: UserInfo, namespace: string | undefined): SubjectRules;
  stop(): void;
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

function readSubjects(value: unknown): Subject[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isPlainObject).flatMap((s) =>
    typeof s.kind === 'string' && typeof s.name === 'string'
      ? [
          {
            kind: s.kind,
            name: s.name,
            ...(typeof s.namespace === 'string' ? { namespace: s.namespace } : {}),
          },
        ]
      : [],
  );
}

/** Whether a binding's subject is `user`; service accounts default to the binding's namespace. */
function subjectMatches(subject: Subject, user: UserInfo, bindingNamespace: string | undefined): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      return !!namespace && user.username === `system:serviceaccount:${namespace}:${subject.name}`;
    }
    default:
      return false;
  }
}

function describeSubject(subject: Subject, bindingNamespace: string | undefined): string {
  if (subject.kind !== 'ServiceAccount') return `${subject.kind} "${subject.name}"`;
  return `ServiceAccount "${subject.name}/${subject.namespace || bindingNamespace || ''}"`;
}

interface RoleRef {
  kind: string;
  name: string;
}

function readRoleRef(value: unknown): RoleRef | undefined {
  if (!isPlainObject(value) || typeof value.kind !== 'string' || typeof value.name !== 'string')
    return undefined;
  return { kind: value.kind, name: value.name };
}

/** A binding that applies to the user, with the rules its role grants. */
interface ApplicableBinding {
  describe: string;
  rules: PolicyRule[];
}

/**
 * Starts an RBAC authorizer over `api`: makes sure the bootstrap ClusterRoles and
 * ClusterRoleBindings exist (never overwriting ones the user changed), keeps Roles,
 * ClusterRoles and their bindings in informer caches, fills in aggregated ClusterRoles, and
 * decides every request from the cache — members of `system:masters` always allowed,
 * everyone else only what a binding grants (a RoleBinding only inside its namespace,
 * non-resource URLs only through ClusterRoleBindings).
 */
export function createRbacAuthorizer(api: ObjectApi): RbacAuthorizer {
  ensureBootstrapPolicy(api);
  const roles = new Informer(api, ROLES);
  const clusterRoles = new Informer(api, CLUSTER_ROLES);
  const roleBindings = new Informer(api, ROLE_BINDINGS);
  const clusterRoleBindings = new Informer(api, CLUSTER_ROLE_BINDINGS);
  for (const informer of [roles, clusterRoles, roleBindings, clusterRoleBindings]) informer.start();
  const aggregation = startRoleAggregation(api, clusterRoles);

  const clusterRoleRules = (name: string, seen: Set<string> = new Set()): PolicyRule[] => {
    const role = clusterRoles.get(name);
    if (!role || seen.has(name)) return [];
    seen.add(name);
    const aggregation = isPlainObject(role.aggregationRule) ? role.aggregationRule : undefined;
    if (!aggregation) return readRules(role.rules);
    const selectors = Array.isArray(aggregation.clusterRoleSelectors)
      ? aggregation.clusterRoleSelectors
          .filter(isPlainObject)
          .map((s) => selectorFromSpec(s as LabelSelectorSpec))
      : [];
    const matched = clusterRoles
      .list(
        (other) => other.metadata.name !== name && selectors.some((s) => s.matches(other.metadata.labels)),
      )
      .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    return [
      ...readRules(role.rules),
      ...matched.flatMap((other) => clusterRoleRules(other.metadata.name ?? '', seen)),
    ];
  };

  const rulesOf = (ref: RoleRef, namespace: string | undefined): PolicyRule[] => {
    if (ref.kind === 'ClusterRole') return clusterRoleRules(ref.name);
    if (ref.kind === 'Role' && namespace) return readRules(roles.get(`${namespace}/${ref.name}`)?.rules);
    return [];
  };

  /** Bindings applying to `user`: every ClusterRoleBinding, and RoleBindings of `namespace`. */
  const applicable = (user: UserInfo, namespace: string | undefined): ApplicableBinding[] => {
    const found: ApplicableBinding[] = [];
    const consider = (binding: KubeObject, kind: string) => {
      const bindingNamespace = binding.metadata.namespace;
      const subject = readSubjects(binding.subjects).find((s) => subjectMatches(s, user, bindingNamespace));
      const ref = readRoleRef(binding.roleRef);
      if (!subject || !ref) return;
      const where = bindingNamespace
        ? `RoleBinding "${binding.metadata.name}/${bindingNamespace}"`
        : `${kind} "${binding.metadata.name}"`;
      found.push({
        describe: `${where} of ${ref.kind} "${ref.name}" to ${describeSubject(subject, bindingNamespace)}`,
        rules: rulesOf(ref, bindingNamespace),
      });
    };
    for (const binding of clusterRoleBindings.list()) consider(binding, 'ClusterRoleBinding');
    if (namespace)
      for (const binding of roleBindings.listInNamespace(namespace)) consider(binding, 'RoleBinding');
    return found;
  };

  const decide = (user: UserInfo, attributes: RequestAttributes): Decision => {
    if (user.groups.includes(SUPERUSER_GROUP)) return { allowed: true, reason: '' };
    const namespace = attributes.resource !== undefined ? attributes.namespace || undefined : undefined;
    for (const binding of applicable(user, namespace)) {
      if (binding.rules.some((rule) => ruleAllows(rule, attributes))) {
        return { allowed: true, reason: `RBAC: allowed by ${binding.describe}` };
      }
    }
    return { allowed: false, reason: '' };
  };

  const rulesFor = (user: UserInfo, namespace: string | undefined): SubjectRules => {
    if (user.groups.includes(SUPERUSER_GROUP)) {
      return {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      };
    }
    const rules = applicable(user, namespace || undefined).flatMap((b) => b.rules);
    return {
      resourceRules: rules.filter((rule) => rule.resources.length > 0).map(resourceRuleJson),
      nonResourceRules: rules
        .filter((rule) => rule.nonResourceURLs.length > 0)
        .map((rule) => ({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs })),
      incomplete: false,
    };
  };

  const authorize = (user: UserInfo, attributes: RequestAttributes): boolean =>
    decide(user, attributes).allowed;
  return Object.assign(authorize, {
    decide,
    rulesFor,
    stop: () => {
      aggregation.stop();
      for (const informer of [roles, clusterRoles, roleBindings, clusterRoleBindings]) informer.stop();
    },
  });
}
