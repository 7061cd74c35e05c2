import type { V1Container, V1Pod, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../k8s-object';
import { ContainerConfigError, expandArgs, resolveEnv, type ObjectLookup } from './env';

const b64 = (s: string) => Buffer.from(s).toString('base64');

const objects: Record<string, KubeObject> = {
  'cm/default/app': { metadata: { name: 'app' }, data: { MODE: 'fast', LEVEL: '3' } },
  'secret/default/creds': { metadata: { name: 'creds' }, data: { PASSWORD: b64('s3cret') } },
};
const lookup: ObjectLookup = {
  configMap: (ns, name) => objects[`cm/${ns}/${name}`],
  secret: (ns, name) => objects[`secret/${ns}/${name}`],
};

function pod(container: V1Container): V1Pod {
  return {
    metadata: { name: 'web-1', namespace: 'default', uid: 'u-1', labels: { app: 'web' } },
    spec: { nodeName: 'kd', containers: [container], serviceAccountName: 'default' },
  };
}

function env(container: V1Container, services: V1Service[] = []): Record<string, string> {
  const list = resolveEnv({
    pod: pod(container),
    container,
    lookup,
    podIP: '10.0.0.5',
    hostIP: '10.0.0.1',
    services,
  });
  return Object.fromEntries(list.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

describe('resolveEnv', () => {
  it('resolves values, field refs, resource refs, config maps and secrets with expansion', () => {
    const container: V1Container = {
      name: 'c',
      resources: { limits: { memory: '64Mi', cpu: '250m' } },
      envFrom: [
        { configMapRef: { name: 'app' }, prefix: 'CFG_' },
        { secretRef: { name: 'missing', optional: true } },
      ],
      env: [
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app', key: 'MODE' } } },
        { name: 'PASS', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
        { name: 'NONE', valueFrom: { configMapKeyRef: { name: 'app', key: 'nope', optional: true } } },
        { name: 'URL', value: 'http://$(POD):$(PORT)/$(MODE)' },
        { name: 'ESCAPED', value: '$$(POD)' },
      ],
    };
    const result = env(container);
    expect(result).toMatchObject({
      CFG_MODE: 'fast',
      CFG_LEVEL: '3',
      POD: 'web-1',
      IP: '10.0.0.5',
      APP: 'web',
      MEM_MI: '64',
      CPU: '1',
      MODE: 'fast',
      PASS: 's3cret',
      URL: 'http://web-1:$(PORT)/fast',
      ESCAPED: '$(POD)',
    });
    expect(result).not.toHaveProperty('NONE');
  });

  it('fails with Kubernetes messages for missing sources', () => {
    const missingCm: V1Container = {
      name: 'c',
      env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }],
    };
    expect(() => env(missingCm)).toThrow(new ContainerConfigError('configmap "nope" not found'));
    const missingKey: V1Container = {
      name: 'c',
      env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }],
    };
    expect(() => env(missingKey)).toThrow("couldn't find key k in Secret default/creds");
  });

  it('adds service link variables and expands args against the result', () => {
    const services: V1Service[] = [
      {
        metadata: { name: 'kubernetes', namespace: 'default' },
        spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] },
      },
      {
        metadata: { name: 'my-db', namespace: 'default' },
        spec: { clusterIP: '10.96.0.9', ports: [{ port: 5432 }] },
      },
    ];
    const result = env({ name: 'c' }, services);
    expect(result).toMatchObject({
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
      MY_DB_SERVICE_HOST: '10.96.0.9',
      MY_DB_PORT: 'tcp://10.96.0.9:5432',
    });
    expect(expandArgs(['echo', '$(MY_DB_SERVICE_HOST)'], ['MY_DB_SERVICE_HOST=10.96.0.9'])).toEqual([
      'echo',
      '10.96.0.9',
    ]);
  });
});
