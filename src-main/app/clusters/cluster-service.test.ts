import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProfile } from '../../engine/profiles/profile-store';
import { BadRequestError } from '../../ipc/errors';
import { ClusterService, clusterId, parseClusterId } from './cluster-service';

let dir: string;
let service: ClusterService;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-clusters-'));
  const home = join(dir, 'home');
  const kubeconfig = join(dir, 'kubeconfig');
  await createProfile({ name: 'dev', apiServerPort: 40123, nodes: 2, cpus: 2, memoryMiB: 2048 }, home);
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- {name: dev, cluster: {server: "https://127.0.0.1:40123"}}',
      '- {name: prod, cluster: {server: "https://prod.example:6443"}}',
      'users:',
      '- {name: dev, user: {token: a}}',
      '- {name: prod, user: {token: b}}',
      'contexts:',
      '- {name: dev, context: {cluster: dev, user: dev}}',
      '- {name: prod-admin, context: {cluster: prod, user: prod, namespace: shop}}',
      'current-context: prod-admin',
      '',
    ].join('\n'),
  );
  service = new ClusterService({
    env: { KUBEDESK_HOME: home, KUBECONFIG: kubeconfig },
    broadcast: () => undefined,
  });
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('ClusterService', () => {
  it('lists profiles with their size, and every other kubeconfig context once', async () => {
    const clusters = await service.list();
    expect(clusters).toEqual([
      expect.objectContaining({
        id: 'profile:dev',
        source: 'profile',
        state: 'Stopped',
        nodes: 2,
        cpus: 2,
        memoryMiB: 2048,
        server: 'https://127.0.0.1:40123',
      }),
      expect.objectContaining({
        id: 'context:prod-admin',
        source: 'kubeconfig',
        state: 'Unknown',
        server: 'https://prod.example:6443',
        namespace: 'shop',
        current: true,
      }),
    ]);
  });

  it('gives credentials for contexts and refuses stopped profiles and unknown ids', async () => {
    const kc = await service.kubeConfigFor('context:prod-admin');
    expect(kc.getCurrentCluster()?.server).toBe('https://prod.example:6443');
    await expect(service.kubeConfigFor('profile:dev')).rejects.toMatchObject({ kind: 'Unavailable' });
    await expect(service.kubeConfigFor('context:nope')).rejects.toMatchObject({ kind: 'NotFound' });
    expect(() => parseClusterId('elsewhere:x')).toThrow(BadRequestError);
  });

  it('refuses bad names and existing profiles before running anything', async () => {
    expect(() => service.create({ name: 'Bad Name!' })).toThrow(/invalid profile name/);
    await expect(service.create({ name: 'dev' })).rejects.toMatchObject({ kind: 'AlreadyExists' });
  });

  it('round-trips ids', () => {
    expect(parseClusterId(clusterId('profile', 'a'))).toEqual({ source: 'profile', name: 'a' });
    expect(parseClusterId(clusterId('kubeconfig', 'b:c'))).toEqual({ source: 'kubeconfig', name: 'b:c' });
  });
});
