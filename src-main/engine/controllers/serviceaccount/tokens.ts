import {
  createHash,
  createPrivateKey,
  createPublicKey,
  randomUUID,
  sign as signWith,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import type { UserInfo } from '../../apiserver/http/auth';
import type { ObjectApi } from '../../apiserver/object-api';
import type { ProfilePki } from '../../profiles/types';
import type { Clock } from '../runtime/clock';
import { realClock } from '../runtime/clock';
import { getOrUndefined } from '../shared/api-helpers';
import { PODS, SERVICE_ACCOUNTS } from '../shared/resources';

/** The issuer (and default audience) of the cluster's service-account tokens, as minikube's. */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** The issuer of legacy (Secret-held, non-expiring) tokens, as Kubernetes writes it. */
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';
/** Kubernetes refuses token lifetimes under ten minutes. */
export const MIN_EXPIRATION_SECONDS = 600;
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };

export interface ServiceAccountTokenOptions {
  pki: Pick<ProfilePki, 'serviceAccountPrivateKeyPem' | 'serviceAccountPublicKeyPem'>;
  clock?: Clock;
  /** Checks that the account (and bound pod) still exist when verifying; without it only the signature and times count. */
  api?: ObjectApi;
  issuer?: string;
  /** Audiences the API server accepts (default: the issuer). */
  apiAudiences?: string[];
}

export interface IssueRequest {
  namespace: string;
  serviceAccount: { name: string; uid: string };
  /** Default: the API audiences. */
  audiences?: string[];
  /** Default 3600. */
  expirationSeconds?: number;
  pod?: { name: string; uid: string };
  node?: { name: string; uid?: string };
  secret?: { name: string; uid: string };
}

export interface IssuedToken {
  token: string;
  expirationTimestamp: string;
  audiences: string[];
  expirationSeconds: number;
}

interface Claims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti: string;
  nbf: number;
  sub: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
    node?: { name: string; uid?: string };
    secret?: { name: string; uid: string };
    warnafter?: number;
  };
}

/** Signs and verifies service-account tokens with the profile's key. */
export interface ServiceAccountTokens {
  readonly issuer: string;
  readonly apiAudiences: readonly string[];
  /** A bound token (JWT) like Kubernetes' TokenRequest issues. */
  issue(request: IssueRequest): IssuedToken;
  /**
   * The token the kubelet projects into a pod (`serviceAccountToken` volume source): bound
   * to the pod and its node. Undefined when the pod's account does not exist.
   */
  tokenForPod(pod: V1Pod, audience?: string, expirationSeconds?: number): string | undefined;
  /**
   * The API server's authenticator for bearer tokens: the user
   * `system:serviceaccount:<ns>:<name>` with groups system:serviceaccounts,
   * system:serviceaccounts:<ns> and system:authenticated, or undefined when the token is not
   * one of ours, expired, meant for another audience, or its account/pod is gone.
   */
  verifyServiceAccountToken(token: string): UserInfo | undefined;
  /**
   * A legacy token for a `kubernetes.io/service-account-token` Secret: no expiry, valid as
   * long as the Secret holds it and the account exists.
   */
  issueLegacy(request: {
    namespace: string;
    serviceAccount: { name: string; uid: string };
    secretName: string;
  }): string;
}

/** What the admission's default projected token asks for; the API server stretches it to a year. */
const KUBELET_DEFAULT_EXPIRATION = 3607;
const EXTENDED_EXPIRATION = 365 * 24 * 60 * 60;

interface LegacyClaims {
  iss: string;
  sub: string;
  'kubernetes.io/serviceaccount/namespace': string;
  'kubernetes.io/serviceaccount/secret.name': string;
  'kubernetes.io/serviceaccount/service-account.name': string;
  'kubernetes.io/serviceaccount/service-account.uid': string;
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

function keyAlgorithm(key: KeyObject): 'RS256' | 'ES256' {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return 'RS256';
  if (type === 'ec') return 'ES256';
  throw new Error(`unsupported service account key type ${String(type)}`);
}

/** The token signer/verifier over the profile's service-account key pair (RS256 or ES256). */
export function createServiceAccountTokens(options: ServiceAccountTokenOptions): ServiceAccountTokens {
  const clock = options.clock ?? realClock;
  const issuer = options.issuer ?? SERVICE_ACCOUNT_ISSUER;
  const apiAudiences = options.apiAudiences ?? [issuer];
  const privateKey = createPrivateKey(options.pki.serviceAccountPrivateKeyPem);
  const publicKey = createPublicKey(options.pki.serviceAccountPublicKeyPem);
  const alg = keyAlgorithm(publicKey);
  // As Kubernetes: the key id is the base64url SHA-256 of the public key's DER encoding.
  const kid = base64url(
    createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest(),
  );
  const signOptions = alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' as const } : privateKey;
  const verifyOptions = alg === 'ES256' ? { key: publicKey, dsaEncoding: 'ieee-p1363' as const } : publicKey;

  const sign = (claims: object): string => {
    const signingInput = `${base64url(JSON.stringify({ alg, kid }))}.${base64url(JSON.stringify(claims))}`;
    return `${signingInput}.${base64url(signWith('sha256', Buffer.from(signingInput), signOptions))}`;
  };

  const issue = (request: IssueRequest, extend = false): IssuedToken => {
    const now = Math.floor(clock.now().getTime() / 1000);
    const expirationSeconds = request.expirationSeconds ?? 3600;
    // As kube-apiserver's --service-account-extend-token-expiration: a pod-bound token asked for
    // with the admission default lives a year, with a warnafter at the requested time.
    const lifetime =
      extend && expirationSeconds === KUBELET_DEFAULT_EXPIRATION ? EXTENDED_EXPIRATION : expirationSeconds;
    const audiences = request.audiences?.length ? request.audiences : [...apiAudiences];
    const claims: Claims = {
      aud: audiences,
      exp: now + lifetime,
      iat: now,
      iss: issuer,
      jti: randomUUID(),
      'kubernetes.io': {
        namespace: request.namespace,
        ...(request.node ? { node: request.node } : {}),
        ...(request.pod ? { pod: request.pod } : {}),
        ...(request.secret ? { secret: request.secret } : {}),
        serviceaccount: request.serviceAccount,
        ...(lifetime !== expirationSeconds ? { warnafter: now + expirationSeconds } : {}),
      },
      nbf: now,
      sub: `system:serviceaccount:${request.namespace}:${request.serviceAccount.name}`,
    };
    return {
      token: sign(claims),
      expirationTimestamp: new Date(claims.exp * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
      audiences,
      expirationSeconds,
    };
  };

  const accountUser = (
    namespace: string,
    name: string,
    uid: string,
    extra?: Record<string, string[]>,
  ): UserInfo => ({
    username: `system:serviceaccount:${namespace}:${name}`,
    uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
    ...(extra ? { extra } : {}),
  });

  const verifyLegacy = (token: string, claims: LegacyClaims): UserInfo | undefined => {
    const namespace = claims['kubernetes.io/serviceaccount/namespace'];
    const name = claims['kubernetes.io/serviceaccount/service-account.name'];
    const uid = claims['kubernetes.io/serviceaccount/service-account.uid'];
    const secretName = claims['kubernetes.io/serviceaccount/secret.name'];
    if (!namespace || !name || !secretName) return undefined;
    if (options.api) {
      const sa = getOrUndefined(options.api, SERVICE_ACCOUNTS, namespace, name);
      if (!sa || sa.metadata.uid !== uid || sa.metadata.deletionTimestamp) return undefined;
      const secret = getOrUndefined(options.api, SECRETS, namespace, secretName);
      const data = secret?.data as Record<string, string> | undefined;
      if (!secret || secret.metadata.deletionTimestamp || !data?.token) return undefined;
      if (Buffer.from(data.token, 'base64').toString('utf8') !== token) return undefined;
    }
    return accountUser(namespace, name, uid);
  };

  const verifyToken = (token: string): UserInfo | undefined => {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    let header: { alg?: string };
    let claims: Claims;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: string };
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Claims;
    } catch {
      return undefined;
    }
    if (header.alg !== alg) return undefined;
    const valid = verify(
      'sha256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      verifyOptions,
      Buffer.from(parts[2], 'base64url'),
    );
    if (!valid) return undefined;
    if (claims.iss === LEGACY_ISSUER) return verifyLegacy(token, claims as unknown as LegacyClaims);
    if (claims.iss !== issuer) return undefined;
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((a) => apiAudiences.includes(a))) return undefined;
    const now = Math.floor(clock.now().getTime() / 1000);
    // One minute of leeway for clock skew, as Kubernetes allows.
    if (typeof claims.exp !== 'number' || claims.exp + 60 < now) return undefined;
    if (typeof claims.nbf === 'number' && claims.nbf - 60 > now) return undefined;
    const k8s = claims['kubernetes.io'];
    if (!k8s?.namespace || !k8s.serviceaccount?.name) return undefined;
    if (options.api) {
      const sa = getOrUndefined(options.api, SERVICE_ACCOUNTS, k8s.namespace, k8s.serviceaccount.name);
      if (!sa || sa.metadata.uid !== k8s.serviceaccount.uid || sa.metadata.deletionTimestamp)
        return undefined;
      if (k8s.pod) {
        const pod = getOrUndefined(options.api, PODS, k8s.namespace, k8s.pod.name);
        if (!pod || pod.metadata.uid !== k8s.pod.uid || pod.metadata.deletionTimestamp) return undefined;
      }
      if (k8s.secret) {
        const secret = getOrUndefined(options.api, SECRETS, k8s.namespace, k8s.secret.name);
        if (!secret || secret.metadata.uid !== k8s.secret.uid) return undefined;
      }
    }
    const extra: Record<string, string[]> = {
      'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`],
    };
    if (k8s.pod) {
      extra['authentication.kubernetes.io/pod-name'] = [k8s.pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [k8s.pod.uid];
    }
    if (k8s.node) {
      extra['authentication.kubernetes.io/node-name'] = [k8s.node.name];
      if (k8s.node.uid) extra['authentication.kubernetes.io/node-uid'] = [k8s.node.uid];
    }
    return accountUser(k8s.namespace, k8s.serviceaccount.name, k8s.serviceaccount.uid, extra);
  };

  return {
    issuer,
    apiAudiences,
    issue: (request) => issue(request),
    verifyServiceAccountToken: verifyToken,
    issueLegacy({ namespace, serviceAccount, secretName }) {
      const claims: LegacyClaims = {
        iss: LEGACY_ISSUER,
        'kubernetes.io/serviceaccount/namespace': namespace,
        'kubernetes.io/serviceaccount/secret.name': secretName,
        'kubernetes.io/serviceaccount/service-account.name': serviceAccount.name,
        'kubernetes.io/serviceaccount/service-account.uid': serviceAccount.uid,
        sub: `system:serviceaccount:${namespace}:${serviceAccount.name}`,
      };
      return sign(claims);
    },
    tokenForPod(pod, audience, expirationSeconds) {
      const namespace = pod.metadata?.namespace ?? 'default';
      const name = pod.spec?.serviceAccountName || 'default';
      let saUid = '';
      let nodeUid: string | undefined;
      if (options.api) {
        const sa = getOrUndefined(options.api, SERVICE_ACCOUNTS, namespace, name);
        if (!sa) return undefined;
        saUid = sa.metadata.uid ?? '';
        const nodeName = pod.spec?.nodeName;
        if (nodeName) nodeUid = getOrUndefined(options.api, NODES, undefined, nodeName)?.metadata.uid;
      }
      const nodeName = pod.spec?.nodeName;
      return issue(
        {
          namespace,
          serviceAccount: { name, uid: saUid },
          audiences: audience ? [audience] : undefined,
          expirationSeconds: Math.max(
            MIN_EXPIRATION_SECONDS,
            expirationSeconds ?? KUBELET_DEFAULT_EXPIRATION,
          ),
          pod: { name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
          ...(nodeName ? { node: { name: nodeName, ...(nodeUid ? { uid: nodeUid } : {}) } } : {}),
        },
        true,
      ).token;
    },
  };
}
