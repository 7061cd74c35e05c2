import { afterEach, describe, expect, it } from 'vitest';
import { DEPLOYMENTS, NAMESPACES, PODS, SERVICES } from '../shared/resources';
import { deploymentManifest, openControllerHarness } from '../testing/harness';
import type { ControllerHarness } from '../testing/harness';

let h: ControllerHarness;
afterEach(async () => {
  await h?.close();
});

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };

const namespaceExists = (name: string): boolean => {
  try {
    h.api.get(NAMESPACES, undefined, name);
    return true;
  } catch {
    return false;
  }
};

describe('namespace controller', () => {
  it('deletes everything in a terminating namespace, reports progress, then the namespace goes', async () => {
    h = openControllerHarness({ kubelet: { terminateAfterMs: 4000 } });
    h.api.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    h.api.create(DEPLOYMENTS, 'team', deploymentManifest('web', 'nginx', 2));
    h.api.create(CONFIGMAPS, 'team', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'held', finalizers: ['example.com/hold'] },
    });
    h.api.create(SERVICES, 'team', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    await h.until(() => h.api.list(PODS, { namespace: 'team' }).items.length === 2);
    await h.advance(2000);

    h.api.delete(NAMESPACES, undefined, 'team', {});
    expect((h.api.get(NAMESPACES, undefined, 'team').status as { phase: string }).phase).toBe('Terminating');
    await h.advance(1000);
    const conditions = (
      h.api.get(NAMESPACES, undefined, 'team').status as {
        conditions: Array<{ type: string; status: string; message: string }>;
      }
    ).conditions;
    expect(conditions.find((c) => c.type === 'NamespaceContentRemaining')).toMatchObject({
      status: 'True',
      message: expect.stringContaining('configmaps. has 1 resource instances'),
    });
    expect(conditions.find((c) => c.type === 'NamespaceFinalizersRemaining')).toMatchObject({
      status: 'True',
      message:
        'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    });
    expect(() =>
      h.api.create(CONFIGMAPS, 'team', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } }),
    ).toThrow(/being terminated/);

    h.api.patch(CONFIGMAPS, 'team', 'held', 'merge', { metadata: { finalizers: null } });
    await h.until(() => !namespaceExists('team'));
    expect(h.api.list(PODS, { namespace: 'team' }).items).toHaveLength(0);
    expect(h.api.list(DEPLOYMENTS, { namespace: 'team' }).items).toHaveLength(0);
  });
});
