import { describe, expect, it } from 'vitest';
import { expand } from './expansion';

const vars: Record<string, string> = { A: 'alpha', B: 'b$(A)' };
const lookup = (name: string) => vars[name];

describe('expand', () => {
  it('replaces defined variables and keeps undefined ones as written', () => {
    expect(expand('x-$(A)-$(MISSING)-y', lookup)).toBe('x-alpha-$(MISSING)-y');
  });
  it('treats $$ as an escaped dollar', () => {
    expect(expand('$$(A) $$ $$$(A)', lookup)).toBe('$(A) $ $alpha');
  });
  it('leaves lone dollars, unclosed references and substituted text alone', () => {
    expect(expand('$ $x $(A', lookup)).toBe('$ $x $(A');
    expect(expand('$(B)', lookup)).toBe('b$(A)');
    expect(expand('end$', lookup)).toBe('end$');
    expect(expand('$()', lookup)).toBe('$()');
  });
});
