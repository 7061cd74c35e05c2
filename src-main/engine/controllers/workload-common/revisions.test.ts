import { describe, expect, it } from 'vitest';
import { templateHash } from './revisions';

describe('templateHash', () => {
  it('ignores key order, changes with content and collision count, and uses the safe alphabet', () => {
    const a = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } };
    const b = { spec: { containers: [{ image: 'i:1', name: 'c' }] }, metadata: { labels: { app: 'x' } } };
    expect(templateHash(a)).toBe(templateHash(b));
    expect(templateHash(a)).not.toBe(
      templateHash({ ...a, spec: { containers: [{ name: 'c', image: 'i:2' }] } }),
    );
    expect(templateHash(a, 1)).not.toBe(templateHash(a));
    expect(templateHash(a)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });
});
