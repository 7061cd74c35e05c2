import { describe, expect, it } from 'vitest';
import { humanDuration, shortHumanDuration, translateTimestampSince } from './duration';
import { formatLabelSelector, formatLabels, joinWithMore } from './format';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration', () => {
  it.each([
    [-2 * s, '<invalid>'],
    [-500, '0s'],
    [0, '0s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [5 * m + 30 * s, '5m30s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 20 * m, '3h20m'],
    [8 * h + 20 * m, '8h'],
    [47 * h, '47h'],
    [2 * d + 3 * h, '2d3h'],
    [7 * d, '7d'],
    [8 * d + 5 * h, '8d'],
    [400 * d, '400d'],
    [3 * 365 * d + 20 * d, '3y20d'],
    [9 * 365 * d, '9y'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('has a one-unit short form', () => {
    expect(shortHumanDuration(90 * s)).toBe('1m');
    expect(shortHumanDuration(30 * h)).toBe('1d');
  });

  it('translates timestamps relative to now', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    expect(translateTimestampSince('2026-01-01T11:55:00Z', now)).toBe('5m');
    expect(translateTimestampSince(new Date('2026-01-01T11:59:30Z'), now)).toBe('30s');
    expect(translateTimestampSince(undefined, now)).toBe('<unknown>');
  });
});

describe('label formatting', () => {
  it('sorts labels and prints <none> for none', () => {
    expect(formatLabels({ tier: 'web', app: 'shop' })).toBe('app=shop,tier=web');
    expect(formatLabels({})).toBe('<none>');
  });

  it('prints selectors like metav1.FormatLabelSelector', () => {
    expect(
      formatLabelSelector({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['b', 'a'] },
          { key: 'legacy', operator: 'DoesNotExist' },
          { key: 'env', operator: 'NotIn', values: ['prod'] },
          { key: 'canary', operator: 'Exists' },
        ],
      }),
    ).toBe('app=web,canary,env notin (prod),!legacy,tier in (a,b)');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Near' }] })).toBe('<error>');
  });

  it('abbreviates long lists', () => {
    expect(joinWithMore(['a', 'b', 'c', 'd', 'e'], 3)).toBe('a,b,c + 2 more...');
  });
});
