import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureProfilePki } from '../../profiles/pki';
import type { ProfilePki } from '../../profiles/types';
import { NAMESPACES, PODS, SERVICE_ACCOUNTS } from '../shared/resources';
import { openControllerHarness } from '../testing/harness';
import type { ControllerHarness } from '../testing/harness';
import { createServiceAccountTokens, SERVICE_ACCOUNT_ISSUER } from './tokens';

let h: ControllerHarness;
let pki: ProfilePki;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-sa-'));
  pki = await ensureProfilePki(join(dir, 'profile'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await h?.close();
});

const hasDefault = (namespace: string): boolean => {
  try {
    h.api.get(SERVICE_ACCOUNTS, namespace, 'default');
    return true;
  } catch {
    return false;
  }
};

function decode(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

describe('service accounts', () => {
  it('every namespace gets a default ServiceAccount, re-created when deleted', async () => {
    h = openControllerHarness({ kubelet: false });
    await h.until(() => hasDefault('default') && hasDefault('kube-system'));
    h.api.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await h.until(() => hasDefault('team'));
    h.api.delete(SERVICE_ACCOUNTS, 'team', 'default', {});
    await h.until(() => hasDefault('team'));
  });

  it('signs pod tokens like bound tokens and verifies them to the account user', async () => {
    h = openControllerHarness({ controllers: { pki } });
    const tokens = h.controllers.serviceAccountTokens;
    if (!tokens) throw new Error('no token signer');
    await h.until(() => hasDefault('default'));
    const pod = h.api.create(PODS, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'client' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    await h.until(() => (h.api.get(PODS, 'default', 'client').spec as { nodeName?: string }).nodeName);
    const live = h.api.get(PODS, 'default', 'client');
    const token = tokens.tokenForPod(live as never, undefined, 3607) ?? '';
    const [header] = token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({
      alg: expect.stringMatching(/^(RS|ES)256$/),
    });
    const sa = h.api.get(SERVICE_ACCOUNTS, 'default', 'default');
    const claims = decode(token);
    expect(claims).toMatchObject({
      aud: [SERVICE_ACCOUNT_ISSUER],
      iss: SERVICE_ACCOUNT_ISSUER,
      sub: 'system:serviceaccount:default:default',
      'kubernetes.io': {
        namespace: 'default',
        pod: { name: 'client', uid: pod.metadata.uid },
        serviceaccount: { name: 'default', uid: sa.metadata.uid },
        node: { name: 'node-1' },
      },
    });
    // The admission default (3607 s) is stretched to a year, with warnafter at the asked time.
    expect((claims.exp as number) - (claims.iat as number)).toBe(365 * 24 * 3600);
    expect((claims['kubernetes.io'] as { warnafter: number }).warnafter - (claims.iat as number)).toBe(3607);
    const hour = decode(tokens.tokenForPod(live as never, 'vault', 3600) ?? '');
    expect(hour).toMatchObject({ aud: ['vault'] });
    expect((hour.exp as number) - (hour.iat as number)).toBe(3600);
    const user = tokens.verifyServiceAccountToken(token);
    expect(user).toMatchObject({
      username: 'system:serviceaccount:default:default',
      uid: sa.metadata.uid,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/pod-name': ['client'] },
    });

    // Tampered, foreign-audience and expired tokens are refused.
    expect(tokens.verifyServiceAccountToken(`${token.slice(0, -4)}AAAA`)).toBeUndefined();
    const foreign = tokens.issue({
      namespace: 'default',
      serviceAccount: { name: 'default', uid: sa.metadata.uid ?? '' },
      audiences: ['vault'],
    });
    expect(tokens.verifyServiceAccountToken(foreign.token)).toBeUndefined();
    const short = tokens.issue({
      namespace: 'default',
      serviceAccount: { name: 'default', uid: sa.metadata.uid ?? '' },
      expirationSeconds: 600,
    });
    expect(tokens.verifyServiceAccountToken(short.token)).toBeDefined();
    await h.clock.advance(700_000);
    expect(tokens.verifyServiceAccountToken(short.token)).toBeUndefined();

    // A deleted pod, or an account re-created under the same name, invalidates its tokens.
    expect(tokens.verifyServiceAccountToken(token)).toBeDefined();
    h.api.delete(PODS, 'default', 'client', { gracePeriodSeconds: 0 });
    expect(tokens.verifyServiceAccountToken(token)).toBeUndefined();
    const fresh = tokens.issue({ namespace: 'default', serviceAccount: { name: 'default', uid: 'old-uid' } });
    expect(tokens.verifyServiceAccountToken(fresh.token)).toBeUndefined();
  });

  it('fills service-account-token Secrets with a legacy token the verifier accepts while the Secret holds it', async () => {
    h = openControllerHarness({ kubelet: false, controllers: { pki } });
    const tokens = h.controllers.serviceAccountTokens;
    if (!tokens) throw new Error('no token signer');
    const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
    h.api.create(SECRETS, 'default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'bot-token', annotations: { 'kubernetes.io/service-account.name': 'bot' } },
      type: 'kubernetes.io/service-account-token',
    });
    await h.advance(500);
    expect(h.api.get(SECRETS, 'default', 'bot-token').data ?? {}).toEqual({});
    const sa = h.api.create(SERVICE_ACCOUNTS, 'default', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'bot' },
    });
    const secret = await h.until(() => {
      const current = h.api.get(SECRETS, 'default', 'bot-token');
      return (current.data as Record<string, string> | undefined)?.token ? current : undefined;
    });
    const data = secret.data as Record<string, string>;
    expect(Buffer.from(data.namespace, 'base64').toString()).toBe('default');
    expect(Buffer.from(data['ca.crt'], 'base64').toString()).toBe(pki.caCertPem);
    expect(secret.metadata.annotations?.['kubernetes.io/service-account.uid']).toBe(sa.metadata.uid);
    const token = Buffer.from(data.token, 'base64').toString();
    expect(decode(token)).toMatchObject({
      iss: 'kubernetes/serviceaccount',
      sub: 'system:serviceaccount:default:bot',
      'kubernetes.io/serviceaccount/secret.name': 'bot-token',
    });
    expect(tokens.verifyServiceAccountToken(token)?.username).toBe('system:serviceaccount:default:bot');
    h.api.delete(SECRETS, 'default', 'bot-token', {});
    expect(tokens.verifyServiceAccountToken(token)).toBeUndefined();
  });

  it('a verifier with only the public key accepts tokens signed with the private key', () => {
    const signer = createServiceAccountTokens({ pki });
    const { token } = signer.issue({ namespace: 'ns', serviceAccount: { name: 'bot', uid: 'u1' } });
    expect(signer.verifyServiceAccountToken(token)?.username).toBe('system:serviceaccount:ns:bot');
  });
});
