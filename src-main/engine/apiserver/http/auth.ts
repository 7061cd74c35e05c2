import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Who a request is from (authentication.k8s.io UserInfo). */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** Resolves a bearer token to a user, or undefined when the token is not valid. */
export type TokenAuthenticator = (token: string) => UserInfo | undefined | Promise<UserInfo | undefined>;

/** What a request wants to do, as authorization.k8s.io ResourceAttributes/NonResourceAttributes describe it. */
export interface RequestAttributes {
  verb: string;
  /** Resource requests. */
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Non-resource requests (e.g. /healthz). */
  path?: string;
}

/** Decides whether `user` may do `attributes`. */
export type Authorizer = (user: UserInfo, attributes: RequestAttributes) => boolean | Promise<boolean>;

/** Until RBAC exists every authenticated user may do everything. */
export const allowAll: Authorizer = () => true;

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Adds the groups Kubernetes gives every authenticated user. */
function withAuthenticated(user: UserInfo): UserInfo {
  const groups = user.groups.includes('system:authenticated')
    ? user.groups
    : [...user.groups, 'system:authenticated'];
  return { ...user, groups };
}

/**
 * Authenticates a request: a client certificate signed by the cluster CA (CN = user,
 * O = groups), else `Authorization: Bearer <token>` through `authenticate`. Undefined
 * means anonymous.
 */
export async function authenticateRequest(
  req: IncomingMessage,
  authenticate: TokenAuthenticator | undefined,
): Promise<UserInfo | undefined> {
  const socket = req.socket as TLSSocket;
  if (socket.authorized && typeof socket.getPeerCertificate === 'function') {
    const cert = socket.getPeerCertificate();
    const cn = cert?.subject ? asList(cert.subject.CN)[0] : undefined;
    if (cn) return withAuthenticated({ username: cn, groups: asList(cert.subject.O) });
  }
  const header = req.headers.authorization;
  if (header && authenticate) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (m) {
      const user = await authenticate(m[1]);
      if (user) return withAuthenticated(user);
    }
  }
  return undefined;
}

/** A token authenticator accepting one static token as a cluster admin. */
export function staticTokenAuthenticator(
  token: string,
  user: UserInfo = { username: 'admin', groups: ['system:masters'] },
): TokenAuthenticator {
  return (presented) => (presented === token ? user : undefined);
}
