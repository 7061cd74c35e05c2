import type { RequestAttributes, UserInfo } from '../http/auth';
import type { ObjectApi } from '../object-api';
import { createRbacAuthorizer, SUPERUSER_GROUP } from './authorizer';
import type { Decision, RbacAuthorizer, SubjectRules } from './authorizer';

/** An RBAC authorizer that can be handed to the API server before the server's ObjectApi exists. */
export interface DeferredRbacAuthorizer extends RbacAuthorizer {
  /** Starts deciding from RBAC objects in `api` (bootstrapping the default policy). */
  start(api: ObjectApi): void;
}

/**
 * An authorizer for `createApiServer({ authorize })`, started with the server's own ObjectApi
 * once it exists. Until `start`, only `system:masters` is allowed anything (fail closed).
 */
export function createDeferredRbacAuthorizer(): DeferredRbacAuthorizer {
  let inner: RbacAuthorizer | undefined;
  const decide = (user: UserInfo, attributes: RequestAttributes): Decision =>
    inner ? inner.decide(user, attributes) : { allowed: user.groups.includes(SUPERUSER_GROUP), reason: '' };
  const rulesFor = (user: UserInfo, namespace: string | undefined): SubjectRules =>
    inner ? inner.rulesFor(user, namespace) : { resourceRules: [], nonResourceRules: [], incomplete: true };
  return Object.assign((user: UserInfo, attributes: RequestAttributes) => decide(user, attributes).allowed, {
    decide,
    rulesFor,
    start: (api: ObjectApi) => {
      inner?.stop();
      inner = createRbacAuthorizer(api);
    },
    stop: () => {
      inner?.stop();
      inner = undefined;
    },
  });
}
