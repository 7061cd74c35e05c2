import type { V1Pod } from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../k8s-object';
import { MountError, setUpVolumes, type VolumeContext } from './volumes';

const b64 = (s: string) => Buffer.from(s).toString('base64');
let dir: string;
let objects: Record<string, KubeObject>;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubedesk-volumes-'));
  objects = {
    'cm/app': { metadata: { name: 'app' }, data: { 'app.conf': 'mode=fast', other: 'x' } },
    'secret/creds': { metadata: { name: 'creds' }, data: { password: b64('s3cret') } },
    'pvc/data': { metadata: { name: 'data' }, spec: { volumeName: 'pv-1' } },
    'pv/pv-1': { metadata: { name: 'pv-1' }, spec: { hostPath: { path: path.join(dir, 'pv-1') } } },
  };
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

function context(
  volumes: NonNullable<V1Pod['spec']>['volumes'],
  extra: Partial<VolumeContext> = {},
): VolumeContext {
  return {
    pod: {
      metadata: { name: 'web', namespace: 'default', uid: 'u1', labels: { app: 'web', tier: 'front' } },
      spec: { containers: [{ name: 'main', resources: { limits: { memory: '64Mi' } } }], volumes },
    },
    podDir: path.join(dir, 'pods', 'u1'),
    lookup: {
      configMap: (_ns, name) => objects[`cm/${name}`],
      secret: (_ns, name) => objects[`secret/${name}`],
      persistentVolumeClaim: (_ns, name) => objects[`pvc/${name}`],
      persistentVolume: (name) => objects[`pv/${name}`],
    },
    ...extra,
  };
}

const read = (p: string) => fs.readFile(p, 'utf8');

describe('setUpVolumes', () => {
  it('projects config maps, secrets and the downward API as files with modes', async () => {
    const paths = await setUpVolumes(
      context([
        { name: 'cfg', configMap: { name: 'app', items: [{ key: 'app.conf', path: 'conf/app.conf' }] } },
        { name: 'sec', secret: { secretName: 'creds', defaultMode: 0o400 } },
        {
          name: 'info',
          downwardAPI: {
            items: [
              { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
              {
                path: 'mem',
                resourceFieldRef: { containerName: 'main', resource: 'limits.memory', divisor: '1Mi' },
              },
            ],
          },
        },
        { name: 'scratch', emptyDir: {} },
      ]),
    );
    expect(await read(path.join(paths.get('cfg')!, 'conf/app.conf'))).toBe('mode=fast');
    await expect(fs.stat(path.join(paths.get('cfg')!, 'other'))).rejects.toThrow();
    const secretFile = path.join(paths.get('sec')!, 'password');
    expect(await read(secretFile)).toBe('s3cret');
    expect((await fs.stat(secretFile)).mode & 0o777).toBe(0o400);
    expect(await read(path.join(paths.get('info')!, 'labels'))).toBe('app="web"\ntier="front"');
    expect(await read(path.join(paths.get('info')!, 'mem'))).toBe('64');
    expect((await fs.stat(paths.get('scratch')!)).mode & 0o777).toBe(0o777);
  });

  it('builds the service account projection with token, CA fallback and namespace', async () => {
    const paths = await setUpVolumes(
      context(
        [
          {
            name: 'kube-api-access-x',
            projected: {
              defaultMode: 420,
              sources: [
                { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
                { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                {
                  downwardAPI: {
                    items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }],
                  },
                },
              ],
            },
          },
        ],
        { serviceAccountToken: () => Promise.resolve('tok'), caCertificate: 'PEM' },
      ),
    );
    const base = paths.get('kube-api-access-x')!;
    expect(await read(path.join(base, 'token'))).toBe('tok');
    expect(await read(path.join(base, 'ca.crt'))).toBe('PEM');
    expect(await read(path.join(base, 'namespace'))).toBe('default');
  });

  it('updates projected files in place when the source changes', async () => {
    const volumes = [{ name: 'cfg', configMap: { name: 'app' } }];
    const paths = await setUpVolumes(context(volumes));
    const file = path.join(paths.get('cfg')!, 'app.conf');
    expect(await read(file)).toBe('mode=fast');
    objects['cm/app'] = { metadata: { name: 'app' }, data: { 'app.conf': 'mode=slow' } };
    await setUpVolumes(context(volumes));
    expect(await read(file)).toBe('mode=slow');
    await expect(fs.stat(path.join(paths.get('cfg')!, 'other'))).rejects.toThrow();
  });

  it('resolves claims to their volume and fails like FailedMount for missing sources', async () => {
    const paths = await setUpVolumes(context([{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }]));
    expect(paths.get('d')).toBe(path.join(dir, 'pv-1'));
    expect((await fs.stat(path.join(dir, 'pv-1'))).isDirectory()).toBe(true);
    await expect(setUpVolumes(context([{ name: 'c', configMap: { name: 'missing' } }]))).rejects.toThrow(
      new MountError('MountVolume.SetUp failed for volume "c" : configmap "missing" not found'),
    );
    await expect(
      setUpVolumes(context([{ name: 'c', configMap: { name: 'missing', optional: true } }])),
    ).resolves.toBeDefined();
    await expect(
      setUpVolumes(context([{ name: 'h', hostPath: { path: path.join(dir, 'nope'), type: 'Directory' } }])),
    ).rejects.toThrow(/hostPath type check failed: .* is not a directory/);
  });
});
