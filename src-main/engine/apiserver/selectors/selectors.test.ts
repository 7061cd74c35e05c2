import { describe, expect, it } from 'vitest';
import { formatSelectorSpec, parseLabelSelector, selectorFromSpec } from './label-selector';
import { parseFieldSelector, requiredFieldValue } from './field-selector';
import { ApiError } from '../status';
import type { KubeObject } from '../../k8s-object';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', 'example.com/zone': 'a', n: '5' };

  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web,db)', true],
    ['app in (db)', false],
    ['app notin (db, cache)', true],
    ['app notin (web)', false],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['app=web,tier=front', true],
    ['app=web,tier=back', false],
    ['example.com/zone=a', true],
    ['n>3', true],
    ['n<3', false],
    ['app in (web),!missing, tier', true],
  ])('%s → %s', (selector, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  it.each(['app in web', 'app=(', '=x', 'app in ()', 'a b', 'app=-bad-'])(
    'rejects %s with 400',
    (selector) => {
      try {
        parseLabelSelector(selector);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ApiError);
        expect((e as ApiError).code).toBe(400);
      }
    },
  );

  it('builds matchers from LabelSelector specs', () => {
    const spec = {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }],
    };
    expect(selectorFromSpec(spec).matches(labels)).toBe(true);
    expect(selectorFromSpec({}).matches({})).toBe(true);
    expect(selectorFromSpec(undefined).matches(labels)).toBe(false);
    expect(formatSelectorSpec(spec)).toBe('app=web,tier in (front)');
  });
});

describe('field selectors', () => {
  const pod: KubeObject = {
    metadata: { name: 'p1', namespace: 'default' },
    spec: { nodeName: 'node-1' },
    status: { phase: 'Running' },
  };
  const extra = {
    'spec.nodeName': (o: KubeObject) => (o.spec as { nodeName?: string }).nodeName,
    'status.phase': (o: KubeObject) => (o.status as { phase?: string }).phase,
  };

  it.each([
    ['metadata.name=p1', true],
    ['metadata.name==p1', true],
    ['metadata.name!=p1', false],
    ['metadata.namespace=default,spec.nodeName=node-1', true],
    ['status.phase!=Running', false],
    ['status.phase!=Pending', true],
    ['spec.nodeName=', false],
  ])('%s → %s', (selector, expected) => {
    expect(parseFieldSelector(selector, extra).matches(pod)).toBe(expected);
  });

  it('rejects unknown fields with 400', () => {
    expect(() => parseFieldSelector('spec.foo=x', extra)).toThrow('field label not supported: spec.foo');
  });

  it('reports a required value', () => {
    expect(requiredFieldValue(parseFieldSelector('metadata.name=p1'), 'metadata.name')).toBe('p1');
  });
});
