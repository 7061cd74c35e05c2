import { describe, expect, it } from 'vitest';
import { parseRoute } from './router';

const namespaced = new Set(['pods', 'configmaps', 'deployments']);
const isNamespaced = (_g: string, _v: string, plural: string) =>
  namespaced.has(plural) ? true : plural === 'namespaces' ? false : undefined;

describe('parseRoute', () => {
  it.each([
    ['/api', { kind: 'coreVersions' }],
    ['/apis', { kind: 'groupList' }],
    ['/apis/apps', { kind: 'group', group: 'apps' }],
    ['/api/v1', { kind: 'resourceList', group: '', version: 'v1' }],
    ['/apis/apps/v1', { kind: 'resourceList', group: 'apps', version: 'v1' }],
    ['/api/v1/pods', { kind: 'resource', group: '', version: 'v1', plural: 'pods' }],
    [
      '/api/v1/namespaces/default/pods/p/log',
      {
        kind: 'resource',
        group: '',
        version: 'v1',
        namespace: 'default',
        plural: 'pods',
        name: 'p',
        subresource: 'log',
      },
    ],
    ['/api/v1/namespaces/x', { kind: 'resource', group: '', version: 'v1', plural: 'namespaces', name: 'x' }],
    [
      '/api/v1/namespaces/x/finalize',
      {
        kind: 'resource',
        group: '',
        version: 'v1',
        plural: 'namespaces',
        name: 'x',
        subresource: 'finalize',
      },
    ],
    [
      '/apis/apps/v1/namespaces/d/deployments/web/scale',
      {
        kind: 'resource',
        group: 'apps',
        version: 'v1',
        namespace: 'd',
        plural: 'deployments',
        name: 'web',
        subresource: 'scale',
      },
    ],
    [
      '/api/v1/namespaces/d/pods/p/proxy/a/b',
      {
        kind: 'resource',
        group: '',
        version: 'v1',
        namespace: 'd',
        plural: 'pods',
        name: 'p',
        subresource: 'proxy',
        rest: 'a/b',
      },
    ],
    [
      '/api/v1/watch/namespaces/d/pods',
      { kind: 'resource', group: '', version: 'v1', namespace: 'd', plural: 'pods', legacyWatch: true },
    ],
    ['/openapi/v2', { kind: 'nonResource', path: '/openapi/v2' }],
  ])('%s', (path, expected) => {
    expect(parseRoute(path, isNamespaced)).toEqual(expected);
  });

  it('answers 400 for malformed escapes', () => {
    expect(() => parseRoute('/api/v1/namespaces/%zz', isNamespaced)).toThrow('invalid path segment');
  });
});
