export { createRbacAuthorizer, SUPERUSER_GROUP } from './authorizer';
export type { Decision, RbacAuthorizer, SubjectRules } from './authorizer';
export { ensureBootstrapPolicy } from './ensure-bootstrap';
export { BOOTSTRAP_CLUSTER_ROLES, BOOTSTRAP_CLUSTER_ROLE_BINDINGS } from './bootstrap-policy';
export { ruleAllows, readRules } from './rules';
export type { PolicyRule } from './rules';
export { createDeferredRbacAuthorizer } from './deferred';
export type { DeferredRbacAuthorizer } from './deferred';
export { forbiddenRequest } from './forbidden';
