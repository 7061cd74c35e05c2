import type { V1Pod } from '@kubernetes/client-node';
import type { KubeObject } from '../k8s-object';
import type { RegistryAuth } from '../runtime/types';

interface DockerConfigEntry {
  username?: string;
  password?: string;
  auth?: string;
}

/** The registry host of an image reference, with Docker Hub's canonical name. */
export function registryOf(image: string): string {
  const first = image.split('/')[0];
  if (image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost'))
    return first;
  return 'docker.io';
}

function hostOf(key: string): string {
  const withoutScheme = key.replace(/^https?:\/\//, '');
  const host = withoutScheme.split('/')[0];
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

/**
 * Credentials for `image` from the pod's imagePullSecrets (`kubernetes.io/dockerconfigjson`
 * or the older `kubernetes.io/dockercfg`), matched by registry host; undefined when none fits.
 */
export function pullAuth(
  pod: V1Pod,
  image: string,
  secret: (namespace: string, name: string) => KubeObject | undefined,
): RegistryAuth | undefined {
  const registry = registryOf(image);
  const namespace = pod.metadata?.namespace ?? 'default';
  for (const ref of pod.spec?.imagePullSecrets ?? []) {
    const found = ref.name ? secret(namespace, ref.name) : undefined;
    const data = (found?.data ?? {}) as Record<string, string>;
    let entries: Record<string, DockerConfigEntry> = {};
    try {
      if (data['.dockerconfigjson'])
        entries =
          (
            JSON.parse(Buffer.from(data['.dockerconfigjson'], 'base64').toString('utf8')) as {
              auths?: Record<string, DockerConfigEntry>;
            }
          ).auths ?? {};
      else if (data['.dockercfg'])
        entries = JSON.parse(Buffer.from(data['.dockercfg'], 'base64').toString('utf8')) as Record<
          string,
          DockerConfigEntry
        >;
    } catch {
      continue;
    }
    for (const [key, entry] of Object.entries(entries)) {
      if (hostOf(key) !== registry) continue;
      let { username, password } = entry;
      if ((!username || !password) && entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
      }
      return { username, password, serveraddress: key };
    }
  }
  return undefined;
}
