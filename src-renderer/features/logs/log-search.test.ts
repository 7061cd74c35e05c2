import { describe, expect, it } from 'vitest';
import { findMatches, podColor, splitByQuery, stepMatch } from './log-search';

describe('log search', () => {
  it('finds lines case-insensitively within the shown count', () => {
    const texts = ['Hello world', 'nothing', 'WORLD peace', 'world'];
    expect(findMatches(texts, 3, 'world')).toEqual([0, 2]);
    expect(findMatches(texts, 4, '')).toEqual([]);
  });

  it('splits a line around every match, keeping the original case', () => {
    expect(splitByQuery('a World and a world', 'world')).toEqual([
      { text: 'a ', match: false },
      { text: 'World', match: true },
      { text: ' and a ', match: false },
      { text: 'world', match: true },
    ]);
  });

  it('steps through matches with wrap-around', () => {
    expect(stepMatch([3, 8, 9], 2, 1)).toBe(0);
    expect(stepMatch([3, 8, 9], 0, -1)).toBe(2);
    expect(stepMatch([], 0, 1)).toBe(-1);
  });

  it('gives a pod the same colour every time', () => {
    expect(podColor('web-1')).toBe(podColor('web-1'));
  });
});
