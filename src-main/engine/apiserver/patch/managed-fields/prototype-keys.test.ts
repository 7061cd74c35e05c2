import { describe, expect, it } from 'vitest';
import { createObjectStorage } from '../../index';
import { openSqliteStore } from '../../../store/sqlite-store';
import { bootstrapCluster } from '../../storage/bootstrap';

describe('server-side apply with keys named like Object.prototype members', () => {
  it('merges fields called constructor, toString or hasOwnProperty as ordinary keys', () => {
    const api = createObjectStorage(openSqliteStore(':memory:'));
    bootstrapCluster(api);
    const gvr = { group: '', version: 'v1', resource: 'configmaps' };
    api.create(gvr, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', annotations: { constructor: 'a' } },
      data: { constructor: 'a', toString: 'b' },
    });
    const applied = api.patch(
      gvr,
      'default',
      'c',
      'apply',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c', annotations: { other: 'y' } },
        data: { hasOwnProperty: 'c' },
      },
      { fieldManager: 'tester' },
    );
    expect(applied.data).toEqual({ constructor: 'a', toString: 'b', hasOwnProperty: 'c' });
    expect(applied.metadata.annotations).toEqual({ constructor: 'a', other: 'y' });
  });
});
