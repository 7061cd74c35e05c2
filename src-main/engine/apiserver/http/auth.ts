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
  const token = bearerToken(req);
  if (token && authenticate) {
    const user = await authenticate(token);
    if (user) return withAuthenticated(user);
  }
  return undefined;
}

const WEBSOCKET_TOKEN_PREFIX = 'base64url.bearer.authorization.k8s.io.';

/**
 * The bearer token of a request: the `Authorization` header, or for WebSocket upgrades
 * (browsers cannot set headers) the `base64url.bearer.authorization.k8s.io.<token>`
 * subprotocol, as Kubernetes accepts it.
 */
function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (m) return m[1];
  const protocols = req.headers['sec-websocket-protocol'];
  if (typeof protocols !== 'string') return undefined;
  for (const protocol of protocols.split(',').map((p) => p.trim())) {
    if (protocol.startsWith(WEBSOCKET_TOKEN_PREFIX)) {
      const token = Buffer.from(protocol.slice(WEBSOCKET_TOKEN_PREFIX.length), 'base64url').toString('utf8');
      return token || undefined;
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

function headerValues(req: IncomingMessage, name: string): string[] {
  const raw = req.headers[name];
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',').map((s) => s.trim())).filter(Boolean);
}

/**
 * Applies `Impersonate-User` / `Impersonate-Group` / `Impersonate-Extra-*` headers (kubectl
 * `--as`, `--as-group`): the request then runs as that user when `authorize` lets the caller
 * impersonate it. Returns the effective user, or undefined when impersonation is refused.
 */
export async function impersonate(
  req: IncomingMessage,
  user: UserInfo,
  authorize: Authorizer,
): Promise<UserInfo | undefined> {
  const as = req.headers['impersonate-user'];
  const groups = headerValues(req, 'impersonate-group');
  if (typeof as !== 'string' || as === '') {
    return groups.length > 0 ? undefined : user;
  }
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(as);
  const allowed =
    (await authorize(
      user,
      sa
        ? { verb: 'impersonate', resource: 'serviceaccounts', namespace: sa[1], name: sa[2], group: '' }
        : { verb: 'impersonate', resource: 'users', name: as, group: '' },
    )) &&
    (
      await Promise.all(
        groups.map((g) => authorize(user, { verb: 'impersonate', resource: 'groups', name: g, group: '' })),
      )
    ).every(Boolean);
  if (!allowed) return undefined;
  const extra: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!name.startsWith('impersonate-extra-') || value === undefined) continue;
    extra[decodeURIComponent(name.slice('impersonate-extra-'.length))] = Array.isArray(value)
      ? value
      : [value];
  }
  const implied = sa ? ['system:serviceaccounts', `system:serviceaccounts:${sa[1]}`] : [];
  return withAuthenticated({
    username: as,
    groups: [...new Set([...groups, ...implied])],
    ...(Object.keys(extra).length ? { extra } : {}),
  });
}
