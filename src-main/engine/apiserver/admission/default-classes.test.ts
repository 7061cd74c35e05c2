import { describe, expect, it } from 'vitest';
import { createObjectStorage } from '..';
import { bootstrapCluster } from '../storage/bootstrap';
import { openSqliteStore } from '../../store/sqlite-store';

const PVCS = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
const SCS = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' };
const INGRESSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' };
const INGRESS_CLASSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses' };

function cluster() {
  const api = createObjectStorage(openSqliteStore(':memory:'));
  bootstrapCluster(api);
  return api;
}

const claim = (name: string, storageClassName?: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '1Gi' } },
    ...(storageClassName !== undefined ? { storageClassName } : {}),
  },
});

const ingress = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name },
  spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } }, ...extra },
});

describe('default class admission', () => {
  it('gives a claim without a class the default StorageClass, and leaves explicit ones (even "") alone', () => {
    const api = cluster();
    expect(
      (api.create(PVCS, 'default', claim('before')).spec as { storageClassName?: string }).storageClassName,
    ).toBeUndefined();
    api.create(SCS, undefined, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'k8s.io/minikube-hostpath',
    });
    const spec = (name: string, cls?: string) =>
      api.create(PVCS, 'default', claim(name, cls)).spec as { storageClassName?: string };
    expect(spec('plain').storageClassName).toBe('standard');
    expect(spec('explicit', 'fast').storageClassName).toBe('fast');
    expect(spec('none', '').storageClassName).toBe('');
  });

  it('gives an Ingress without a class the default IngressClass', () => {
    const api = cluster();
    api.create(INGRESS_CLASSES, undefined, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: 'k8s.io/ingress-nginx' },
    });
    const spec = (obj: ReturnType<typeof ingress>) =>
      api.create(INGRESSES, 'default', obj).spec as { ingressClassName?: string };
    expect(spec(ingress('plain')).ingressClassName).toBe('nginx');
    expect(spec(ingress('explicit', { ingressClassName: 'other' })).ingressClassName).toBe('other');
  });
});
