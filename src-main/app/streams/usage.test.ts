import { describe, expect, it } from 'vitest';
import { parseQuantity } from './usage';

describe('parseQuantity', () => {
  it('reads CPU and memory quantities as metrics-server writes them', () => {
    expect(parseQuantity('1500000n')).toBeCloseTo(0.0015);
    expect(parseQuantity('250m')).toBeCloseTo(0.25);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('64Mi')).toBe(64 * 1024 * 1024);
    expect(parseQuantity('2048Ki')).toBe(2 * 1024 * 1024);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('nonsense')).toBeNaN();
  });
});
