import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src-main/ipc/contract';
import { applyWatchEvents, compareResourceVersions } from './watch-cache';

function pod(name: string, rv: string, phase = 'Running'): KubeObject {
  return { metadata: { name, namespace: 'default', resourceVersion: rv }, status: { phase } };
}

describe('applyWatchEvents', () => {
  const base = { items: [pod('a', '10'), pod('b', '11')], resourceVersion: '12' };

  it('adds, modifies and deletes, and advances the list resourceVersion', () => {
    const next = applyWatchEvents(base, [
      { type: 'ADDED', object: pod('c', '13') },
      { type: 'MODIFIED', object: pod('a', '14', 'Failed') },
      { type: 'DELETED', object: pod('b', '15') },
    ]);
    expect(next.items.map((p) => [p.metadata.name, p.metadata.resourceVersion])).toEqual([
      ['a', '14'],
      ['c', '13'],
    ]);
    expect(next.resourceVersion).toBe('15');
    expect(base.items).toHaveLength(2);
  });

  it('drops events not newer than what is cached (replays after a restarted watch)', () => {
    const next = applyWatchEvents(base, [
      { type: 'MODIFIED', object: pod('a', '9', 'Pending') },
      { type: 'DELETED', object: pod('b', '12') },
      { type: 'ADDED', object: pod('z', '5') },
    ]);
    expect(next).toBe(base);
  });

  it('moves only the resourceVersion on a bookmark and returns the same list when nothing changes', () => {
    const bookmark = applyWatchEvents(base, [
      { type: 'BOOKMARK', object: { metadata: { resourceVersion: '20' } } },
    ]);
    expect(bookmark.items).toBe(base.items);
    expect(bookmark.resourceVersion).toBe('20');
    expect(applyWatchEvents(base, [])).toBe(base);
  });

  it('applies events with opaque (non-numeric) versions as they come', () => {
    const opaque = { items: [pod('a', 'x1')], resourceVersion: 'x2' };
    const next = applyWatchEvents(opaque, [{ type: 'MODIFIED', object: pod('a', 'x3', 'Failed') }]);
    expect(next.items[0].status).toEqual({ phase: 'Failed' });
    expect(next.resourceVersion).toBe('x3');
  });

  it('keeps 5,000 items without quadratic work per event batch', () => {
    const many = {
      items: Array.from({ length: 5000 }, (_, i) => pod(`p${i}`, String(i + 1))),
      resourceVersion: '5000',
    };
    const events = Array.from({ length: 500 }, (_, i) => ({
      type: 'MODIFIED' as const,
      object: pod(`p${i * 10}`, String(5001 + i), 'Succeeded'),
    }));
    const start = performance.now();
    const next = applyWatchEvents(many, events);
    expect(performance.now() - start).toBeLessThan(200);
    expect(next.items).toHaveLength(5000);
    expect(next.items[10].status).toEqual({ phase: 'Succeeded' });
  });
});

describe('compareResourceVersions', () => {
  it('orders integers numerically, not as text', () => {
    expect(compareResourceVersions('9', '10')).toBe(-1);
    expect(compareResourceVersions('10', '10')).toBe(0);
    expect(compareResourceVersions('abc', '10')).toBeUndefined();
  });
});
