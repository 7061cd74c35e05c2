import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi } from '../../kubelet/testing/test-api';
import type { KubeObject } from '../../k8s-object';
import { realClock } from '../runtime/clock';
import { startHostpathProvisioner } from './controller';

const PVCS = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
const PVS = { group: '', version: 'v1', resource: 'persistentvolumes' };
const SC = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' };

let harness: ReturnType<typeof openTestApi>;
let profileDir: string;
let provisioner: { stop(): Promise<void> };

async function until<T>(check: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    try {
      const value = check();
      if (value !== undefined) return value;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not met');
}

beforeEach(async () => {
  harness = openTestApi();
  profileDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubedesk-hostpath-'));
  provisioner = startHostpathProvisioner({ api: harness.api, clock: realClock, profileDir });
});
afterEach(async () => {
  await provisioner.stop();
  harness.close();
  await fs.rm(profileDir, { recursive: true, force: true });
});

function claim(name: string, storageClassName?: string): KubeObject {
  return harness.api.create(PVCS, 'default', {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
      ...(storageClassName !== undefined ? { storageClassName } : {}),
    },
  });
}

describe('hostpath provisioner', () => {
  it('creates the default StorageClass like minikube', () => {
    const sc = harness.api.get(SC, undefined, 'standard');
    expect(sc.provisioner).toBe('k8s.io/minikube-hostpath');
    expect(sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class']).toBe('true');
  });

  it('binds a claim to a new hostPath volume and removes it with the claim', async () => {
    const created = claim('data');
    const bound = await until(() => {
      const c = harness.api.get(PVCS, 'default', 'data');
      return (c.status as { phase?: string }).phase === 'Bound' ? c : undefined;
    });
    const pvName = `pvc-${created.metadata.uid}`;
    expect(bound.spec).toMatchObject({ volumeName: pvName });
    expect(bound.status).toMatchObject({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] });
    const pv = harness.api.get(PVS, undefined, pvName);
    const dir = path.join(profileDir, 'volumes', pvName);
    expect(pv.spec).toMatchObject({
      hostPath: { path: dir },
      claimRef: { name: 'data', uid: created.metadata.uid },
    });
    expect((pv.status as { phase: string }).phase).toBe('Bound');
    expect((await fs.stat(dir)).isDirectory()).toBe(true);

    harness.api.delete(PVCS, 'default', 'data', {});
    await until(() => {
      try {
        harness.api.get(PVS, undefined, pvName);
        return undefined;
      } catch {
        return true;
      }
    });
    await expect(fs.stat(dir)).rejects.toThrow();
  });

  it('leaves claims of other classes alone', async () => {
    claim('other', 'fast');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const c = harness.api.get(PVCS, 'default', 'other');
    expect((c.spec as { volumeName?: string }).volumeName).toBeUndefined();
  });
});
