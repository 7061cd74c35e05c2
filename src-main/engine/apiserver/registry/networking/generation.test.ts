import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../store/sqlite-store';
import type { KeyValueStore } from '../../../store/types';
import { createObjectStorage } from '../../index';
import { bootstrapCluster } from '../../storage/bootstrap';

let store: KeyValueStore | undefined;

afterEach(() => store?.close());

function storage() {
  store = openSqliteStore(':memory:');
  const api = createObjectStorage(store);
  bootstrapCluster(api);
  return api;
}

describe('generation of kinds without a status subresource', () => {
  it('starts NetworkPolicy generation at 1 and bumps it on spec changes only', () => {
    const api = storage();
    const gvr = { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies' };
    const created = api.create(gvr, 'default', { metadata: { name: 'deny' }, spec: { podSelector: {} } });
    expect(created.metadata.generation).toBe(1);
    expect(created.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const relabeled = api.update(gvr, 'default', {
      ...created,
      metadata: { ...created.metadata, labels: { a: 'b' } },
    });
    expect(relabeled.metadata.generation).toBe(1);
    const changed = api.update(gvr, 'default', {
      ...relabeled,
      spec: { podSelector: { matchLabels: { app: 'x' } } },
    });
    expect(changed.metadata.generation).toBe(2);
  });
});
