import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import { Controller } from '../runtime/controller';
import { objectKey } from '../runtime/keys';
import { ignoreNotFound, isNotFound } from '../shared/api-helpers';
import { reportErrors } from '../shared/context';
import type { ControllerContext, RunningController } from '../shared/context';
import { SERVICE_ACCOUNTS } from '../shared/resources';
import type { ServiceAccountTokens } from './tokens';

const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
export const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';
const NAME_ANNOTATION = 'kubernetes.io/service-account.name';
const UID_ANNOTATION = 'kubernetes.io/service-account.uid';

export interface TokenSecretsOptions extends ControllerContext {
  tokens: ServiceAccountTokens;
  /** The cluster CA (PEM), written as `ca.crt`. */
  caCertPem: string;
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

/**
 * Kubernetes' token controller for Secrets of type `kubernetes.io/service-account-token`
 * (the long-lived tokens people still create by hand): fills in `token` (a legacy token for
 * the account named by the `kubernetes.io/service-account.name` annotation), `ca.crt` and
 * `namespace`, and records the account's uid.
 */
export function startTokenSecretsController(options: TokenSecretsOptions): RunningController {
  const { api, clock } = options;
  const secrets = options.informers.get(SECRETS);
  const accounts = options.informers.get(SERVICE_ACCOUNTS);
  const controller = new Controller({
    name: 'serviceaccount-token',
    clock,
    workers: 2,
    reconcile: (key) => reconcile(key),
    onError: reportErrors(options, 'service-account token secret'),
  });
  const wants = (secret: KubeObject): boolean =>
    secret.type === SERVICE_ACCOUNT_TOKEN_TYPE && Boolean(secret.metadata.annotations?.[NAME_ANNOTATION]);

  secrets.addHandlers({
    add: (secret) => wants(secret) && controller.enqueue(objectKey(secret)),
    update: (_old, secret) => wants(secret) && controller.enqueue(objectKey(secret)),
  });
  accounts.addHandlers({
    add: (sa) => {
      for (const secret of secrets.listInNamespace(sa.metadata.namespace ?? '')) {
        if (wants(secret) && secret.metadata.annotations?.[NAME_ANNOTATION] === sa.metadata.name) {
          controller.enqueue(objectKey(secret));
        }
      }
    },
  });

  const reconcile = (key: string): void => {
    const cached = secrets.get(key);
    if (!cached || !wants(cached) || cached.metadata.deletionTimestamp) return;
    const data = isPlainObject(cached.data) ? (cached.data as Record<string, string>) : {};
    if (data.token && data['ca.crt'] && data.namespace) return;
    const namespace = cached.metadata.namespace ?? 'default';
    const accountName = cached.metadata.annotations?.[NAME_ANNOTATION] ?? '';
    let sa: KubeObject;
    try {
      sa = api.get(SERVICE_ACCOUNTS, namespace, accountName);
    } catch (error) {
      // The account may come later; its creation wakes this Secret up again.
      if (isNotFound(error)) return;
      throw error;
    }
    const wantedUid = cached.metadata.annotations?.[UID_ANNOTATION];
    if (wantedUid && wantedUid !== sa.metadata.uid) return;
    const token =
      data.token ??
      b64(
        options.tokens.issueLegacy({
          namespace,
          serviceAccount: { name: accountName, uid: sa.metadata.uid ?? '' },
          secretName: cached.metadata.name ?? '',
        }),
      );
    ignoreNotFound(() =>
      api.update(
        SECRETS,
        namespace,
        {
          ...cached,
          metadata: {
            ...cached.metadata,
            annotations: { ...(cached.metadata.annotations ?? {}), [UID_ANNOTATION]: sa.metadata.uid ?? '' },
          },
          data: {
            ...data,
            token,
            'ca.crt': data['ca.crt'] ?? b64(options.caCertPem),
            namespace: b64(namespace),
          },
        },
        { fieldManager: 'kube-controller-manager' },
      ),
    );
  };

  controller.start();
  return {
    name: 'serviceaccount-token',
    isIdle: () => controller.queue.isIdle(),
    stop: () => controller.stop(),
  };
}
