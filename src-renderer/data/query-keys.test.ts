import { describe, expect, it } from 'vitest';
import { ALL_NAMESPACES, queryKeys, resourceKey } from './query-keys';

const pods = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const nodes = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const deployments = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };

describe('queryKeys', () => {
  it('nest, so a cluster or type prefix covers every key below it', () => {
    const list = queryKeys.list('profile:a', pods, 'default');
    const prefix = queryKeys.lists('profile:a', pods);
    expect(list.slice(0, prefix.length)).toEqual(prefix);
    const cluster = queryKeys.cluster('profile:a');
    for (const key of [
      list,
      queryKeys.discovery('profile:a'),
      queryKeys.object('profile:a', pods, 'default', 'x'),
    ]) {
      expect(key.slice(0, cluster.length)).toEqual(cluster);
    }
    expect(queryKeys.list('profile:b', pods, 'default').slice(0, cluster.length)).not.toEqual(cluster);
  });

  it('ignore the namespace of cluster-scoped types and tell namespaces apart otherwise', () => {
    expect(queryKeys.list('c', nodes, 'default')).toEqual(queryKeys.list('c', nodes, ALL_NAMESPACES));
    expect(queryKeys.list('c', pods, 'default')).not.toEqual(queryKeys.list('c', pods, ALL_NAMESPACES));
  });

  it('name resources as kubectl does', () => {
    expect(resourceKey(pods)).toBe('pods');
    expect(resourceKey(deployments)).toBe('deployments.apps');
  });
});
