import { expect, it } from 'vitest';
import { prefixUpperBound } from './key-range';

it('bounds exactly the keys that start with the prefix', () => {
  expect(prefixUpperBound('/registry/pods/')).toBe('/registry/pods0');
  expect(prefixUpperBound('')).toBeUndefined();
  expect(prefixUpperBound('a\u{10ffff}')).toBe('b');
  expect(prefixUpperBound('\u{10ffff}')).toBeUndefined();
  expect(prefixUpperBound('a\ud7ff')).toBe('a\ue000');
  expect(prefixUpperBound('a\u{1f600}')).toBe('a\u{1f601}');
});
