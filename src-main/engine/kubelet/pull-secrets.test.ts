import { describe, expect, it } from 'vitest';
import { pullAuth, registryOf } from './pull-secrets';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secrets = {
  regcred: {
    metadata: { name: 'regcred' },
    type: 'kubernetes.io/dockerconfigjson',
    data: {
      '.dockerconfigjson': b64(
        JSON.stringify({
          auths: {
            'localhost:5000': { auth: b64('me:pw') },
            'https://index.docker.io/v1/': { username: 'hub', password: 'x' },
          },
        }),
      ),
    },
  },
};
const pod = {
  metadata: { namespace: 'default' },
  spec: { containers: [], imagePullSecrets: [{ name: 'regcred' }] },
};
const lookup = (_ns: string, name: string) => secrets[name as keyof typeof secrets];

describe('pullAuth', () => {
  it('finds registry hosts like Docker does', () => {
    expect(registryOf('nginx')).toBe('docker.io');
    expect(registryOf('library/nginx:1')).toBe('docker.io');
    expect(registryOf('localhost:5000/app')).toBe('localhost:5000');
    expect(registryOf('ghcr.io/org/app')).toBe('ghcr.io');
  });

  it('picks the credentials of the image registry from dockerconfigjson secrets', () => {
    expect(pullAuth(pod, 'localhost:5000/app:1', lookup)).toEqual({
      username: 'me',
      password: 'pw',
      serveraddress: 'localhost:5000',
    });
    expect(pullAuth(pod, 'nginx', lookup)).toMatchObject({ username: 'hub', password: 'x' });
    expect(pullAuth(pod, 'ghcr.io/x/y', lookup)).toBeUndefined();
  });
});
