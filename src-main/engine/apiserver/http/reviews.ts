import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import type { Authorizer, RequestAttributes, UserInfo } from './auth';

/**
 * The review kinds the server answers about the caller itself (create-only virtual
 * resources): `kubectl auth whoami` and `kubectl auth can-i`.
 */
export const REVIEW_RESOURCES = [
  { group: 'authentication.k8s.io', version: 'v1', plural: 'selfsubjectreviews', kind: 'SelfSubjectReview' },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    plural: 'selfsubjectaccessreviews',
    kind: 'SelfSubjectAccessReview',
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    plural: 'selfsubjectrulesreviews',
    kind: 'SelfSubjectRulesReview',
  },
] as const;

export function findReviewResource(group: string, version: string, plural: string) {
  return REVIEW_RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

function userInfoJson(user: UserInfo): Record<string, unknown> {
  return {
    username: user.username,
    ...(user.uid ? { uid: user.uid } : {}),
    groups: user.groups,
    ...(user.extra ? { extra: user.extra } : {}),
  };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * What an authorizer may add beyond yes/no (the RBAC authorizer does): the reason for a
 * decision and the rules that apply to a user, for access and rules reviews.
 */
interface ExplainingAuthorizer {
  decide(user: UserInfo, attributes: RequestAttributes): { allowed: boolean; reason: string };
  rulesFor(
    user: UserInfo,
    namespace: string | undefined,
  ): { resourceRules: unknown[]; nonResourceRules: unknown[]; incomplete: boolean };
}

function explains(authorize: Authorizer): authorize is Authorizer & ExplainingAuthorizer {
  const candidate = authorize as Partial<ExplainingAuthorizer>;
  return typeof candidate.decide === 'function' && typeof candidate.rulesFor === 'function';
}

/** Answers a review about the caller; `body` is the posted review object. */
export async function answerReview(
  kind: (typeof REVIEW_RESOURCES)[number]['kind'],
  body: KubeObject,
  user: UserInfo,
  authorize: Authorizer,
): Promise<Record<string, unknown>> {
  const apiVersion = kind === 'SelfSubjectReview' ? 'authentication.k8s.io/v1' : 'authorization.k8s.io/v1';
  const base = { kind, apiVersion, metadata: { creationTimestamp: null } };
  if (kind === 'SelfSubjectReview') {
    return { ...base, status: { userInfo: userInfoJson(user) } };
  }
  const spec = isPlainObject(body.spec) ? body.spec : {};
  if (kind === 'SelfSubjectAccessReview') {
    const ra = isPlainObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
    const nra = isPlainObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : undefined;
    const attributes: RequestAttributes = ra
      ? {
          verb: str(ra.verb) ?? '',
          group: str(ra.group) ?? '',
          version: str(ra.version),
          resource: str(ra.resource),
          subresource: str(ra.subresource),
          namespace: str(ra.namespace),
          name: str(ra.name),
        }
      : { verb: str(nra?.verb) ?? '', path: str(nra?.path) };
    if (explains(authorize)) {
      const { allowed, reason } = authorize.decide(user, attributes);
      return { ...base, spec, status: { allowed, ...(reason ? { reason } : {}) } };
    }
    const allowed = await authorize(user, attributes);
    return {
      ...base,
      spec,
      status: allowed ? { allowed: true } : { allowed: false, reason: 'no RBAC policy matched' },
    };
  }
  if (explains(authorize)) return { ...base, spec, status: authorize.rulesFor(user, str(spec.namespace)) };
  const everything = await authorize(user, {
    verb: '*',
    group: '*',
    resource: '*',
    namespace: str(spec.namespace),
  });
  return {
    ...base,
    spec,
    status: everything
      ? {
          resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
          nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
          incomplete: false,
        }
      : {
          resourceRules: [
            {
              verbs: ['create'],
              apiGroups: ['authorization.k8s.io'],
              resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
            },
            { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
          ],
          nonResourceRules: [
            { verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] },
          ],
          incomplete: false,
        },
  };
}
