import { describe, expect, it } from 'vitest';
import { FakeClock } from '../controllers/runtime/clock';
import { cachedTokens } from './token-cache';

describe('cachedTokens', () => {
  it('keeps a pod token until 80% of its lifetime, then asks again', async () => {
    const clock = new FakeClock();
    let minted = 0;
    const tokens = cachedTokens(() => `t${++minted}`, clock);
    const pod = { metadata: { uid: 'u1' } };
    expect(await tokens.get(pod, undefined, 3600)).toBe('t1');
    await clock.advance(2_000_000);
    expect(await tokens.get(pod, undefined, 3600)).toBe('t1');
    await clock.advance(900_000);
    expect(await tokens.get(pod, undefined, 3600)).toBe('t2');
    expect(await tokens.get({ metadata: { uid: 'u2' } }, undefined, 3600)).toBe('t3');
    tokens.prune(new Set(['u2']));
    expect(await tokens.get(pod, undefined, 3600)).toBe('t4');
  });
});
