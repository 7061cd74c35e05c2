import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { decodeObjectBody, decodePatchBody } from './body';
import { jsonNesting, MAX_BODY_NESTING, yamlNesting } from './nesting';

const deep = (n: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < n; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

describe('body nesting limits', () => {
  it('measures JSON nesting exactly, ignoring brackets in strings', () => {
    expect(jsonNesting('{"a":[1,{"b":"]]]{{{"}]}')).toBe(3);
    expect(jsonNesting(JSON.stringify(deep(40)))).toBe(40);
    expect(jsonNesting('"\\"[["')).toBe(0);
  });

  it('bounds YAML nesting from flow and block structure', () => {
    expect(yamlNesting('a:\n  b:\n    - c\n')).toBeGreaterThanOrEqual(3);
    expect(yamlNesting(stringify(deep(40)))).toBeGreaterThanOrEqual(40);
    expect(yamlNesting(stringify(deep(40)))).toBeLessThan(MAX_BODY_NESTING);
    expect(yamlNesting('- '.repeat(100_000) + 'a')).toBeGreaterThan(MAX_BODY_NESTING);
    expect(yamlNesting('['.repeat(100_000))).toBeGreaterThan(MAX_BODY_NESTING);
    expect(yamlNesting('a: "]]]]"\nb: [[[1]]]\n')).toBe(4);
  });

  it('answers bodies nested past the limit with 400, whatever the format', () => {
    const tooDeep = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    for (const [body, type] of [
      [tooDeep, 'application/json'],
      [tooDeep, 'application/yaml'],
      ['['.repeat(20_000) + ']'.repeat(20_000), 'application/yaml'],
      ['- '.repeat(200_000) + 'a', 'application/yaml'],
    ] as const) {
      expect(() => decodeObjectBody(Buffer.from(body), type)).toThrow(
        expect.objectContaining({ code: 400, message: expect.stringContaining('max depth') }),
      );
    }
    expect(() =>
      decodePatchBody(Buffer.from('['.repeat(20_000) + ']'.repeat(20_000)), 'application/apply-patch+yaml'),
    ).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => decodePatchBody(Buffer.from(tooDeep), 'application/merge-patch+json')).toThrow(
      expect.objectContaining({ code: 400 }),
    );
  });

  it('accepts ordinary manifests in both formats', () => {
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '[[[' } };
    expect(decodeObjectBody(Buffer.from(JSON.stringify(manifest)), 'application/json')).toEqual(manifest);
    expect(decodeObjectBody(Buffer.from(stringify(manifest)), 'application/yaml')).toEqual(manifest);
  });
});
