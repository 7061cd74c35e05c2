import { randomInt } from 'node:crypto';
import { isPlainObject } from '../../../k8s-object';
import type { KubeObject } from '../../../k8s-object';
import { records, specOf, str } from './common';

/** Where the ServiceAccount admission plugin mounts the API credentials in every container. */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Name prefix of the projected volume carrying the token, CA and namespace. */
export const API_ACCESS_VOLUME_PREFIX = 'kube-api-access-';

// The alphabet of apimachinery's rand.String: no vowels or look-alike characters.
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(): string {
  let out = '';
  for (let i = 0; i < 5; i++) out += ALPHANUMS[randomInt(ALPHANUMS.length)];
  return out;
}

/** The projected volume Kubernetes gives pods: a bound token, the cluster CA and the namespace. */
export function apiAccessVolume(name: string): Record<string, unknown> {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }],
          },
        },
      ],
    },
  };
}

/**
 * What the ServiceAccount admission plugin does to a new pod: `serviceAccountName` defaults
 * to `default` (mirrored into the deprecated `serviceAccount`), and unless
 * `automountServiceAccountToken` is false a `kube-api-access-xxxxx` projected volume is added
 * and mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in every init and
 * app container that does not already mount something there.
 */
export function admitServiceAccount(pod: KubeObject, suffix: () => string = randomSuffix): void {
  const spec = specOf(pod);
  if (!str(spec.serviceAccountName)) spec.serviceAccountName = str(spec.serviceAccount) || 'default';
  spec.serviceAccount = spec.serviceAccountName;
  if (spec.automountServiceAccountToken === false) return;
  const volumes = records(spec.volumes);
  const containers = [...records(spec.initContainers), ...records(spec.containers)];
  const needsMount = containers.filter(
    (c) => !records(c.volumeMounts).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH),
  );
  if (needsMount.length === 0) return;
  const existing = volumes.find(
    (v) => str(v.name).startsWith(API_ACCESS_VOLUME_PREFIX) && isPlainObject(v.projected),
  );
  const name = existing ? str(existing.name) : `${API_ACCESS_VOLUME_PREFIX}${suffix()}`;
  if (!existing) spec.volumes = [...volumes, apiAccessVolume(name)];
  for (const container of needsMount) {
    container.volumeMounts = [
      ...records(container.volumeMounts),
      { name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH },
    ];
  }
}
