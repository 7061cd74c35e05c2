import { describe, expect, it } from 'vitest';
import { coreResources } from './index';

describe('coreResources discovery metadata', () => {
  const byName = new Map(coreResources.map((r) => [r.plural, r]));

  it('lists every core/v1 kind with Kubernetes short names and scope', () => {
    expect(
      coreResources.map((r) =>
        [r.plural, r.singular, r.kind, r.namespaced, (r.shortNames ?? []).join(',')].join(' '),
      ),
    ).toEqual([
      'configmaps configmap ConfigMap true cm',
      'endpoints endpoints Endpoints true ep',
      'events event Event true ev',
      'limitranges limitrange LimitRange true limits',
      'namespaces namespace Namespace false ns',
      'nodes node Node false no',
      'persistentvolumeclaims persistentvolumeclaim PersistentVolumeClaim true pvc',
      'persistentvolumes persistentvolume PersistentVolume false pv',
      'pods pod Pod true po',
      'podtemplates podtemplate PodTemplate true ',
      'replicationcontrollers replicationcontroller ReplicationController true rc',
      'resourcequotas resourcequota ResourceQuota true quota',
      'secrets secret Secret true ',
      'serviceaccounts serviceaccount ServiceAccount true sa',
      'services service Service true svc',
    ]);
    for (const r of coreResources) {
      expect(r.group).toBe('');
      expect(r.version).toBe('v1');
      expect(r.listKind).toBe(`${r.kind}List`);
    }
  });

  it('puts pods, services and replication controllers in the "all" category', () => {
    expect(coreResources.filter((r) => r.categories?.includes('all')).map((r) => r.plural)).toEqual([
      'pods',
      'replicationcontrollers',
      'services',
    ]);
  });

  it('declares the subresources discovery shows', () => {
    const subs = (plural: string): string[] => (byName.get(plural)?.subresources ?? []).map((s) => s.name);
    expect(subs('pods')).toEqual([
      'attach',
      'binding',
      'ephemeralcontainers',
      'eviction',
      'exec',
      'log',
      'portforward',
      'proxy',
      'status',
    ]);
    expect(subs('services')).toEqual(['proxy', 'status']);
    expect(subs('nodes')).toEqual(['proxy', 'status']);
    expect(subs('namespaces')).toEqual(['finalize', 'status']);
    expect(subs('serviceaccounts')).toEqual(['token']);
    expect(subs('replicationcontrollers')).toEqual(['scale', 'status']);
    expect(byName.get('pods')?.subresources.find((s) => s.name === 'eviction')).toMatchObject({
      group: 'policy',
      kind: 'Eviction',
    });
    expect(byName.get('replicationcontrollers')?.subresources.find((s) => s.name === 'scale')).toMatchObject({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    expect(coreResources.filter((r) => r.hasStatusSubresource).map((r) => r.plural)).toEqual([
      'namespaces',
      'nodes',
      'persistentvolumeclaims',
      'persistentvolumes',
      'pods',
      'replicationcontrollers',
      'resourcequotas',
      'services',
    ]);
  });

  it('uses the verbs Kubernetes serves (no deletecollection on namespaces)', () => {
    expect(byName.get('namespaces')?.verbs).toEqual([
      'create',
      'delete',
      'get',
      'list',
      'patch',
      'update',
      'watch',
    ]);
    expect(byName.get('services')?.verbs).toContain('deletecollection');
  });

  it('starts every table with Name (events with Last Seen) and gives each row as many cells as columns', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    for (const r of coreResources) {
      const cells = r.table.cells({ metadata: { name: 'x', namespace: 'default' } }, { now });
      expect(cells.length, r.plural).toBe(r.table.columns.length);
      expect(r.table.columns[0].name).toBe(r.plural === 'events' ? 'Last Seen' : 'Name');
    }
  });
});
