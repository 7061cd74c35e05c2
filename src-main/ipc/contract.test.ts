import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, PUSH_CHANNELS, isInvokeChannel, isPushChannel } from './contract';

describe('contract channels', () => {
  it('lists every channel once, and nothing inherited passes as one', () => {
    expect(new Set(INVOKE_CHANNELS).size).toBe(INVOKE_CHANNELS.length);
    expect(INVOKE_CHANNELS).toContain('kube.apply');
    expect(new Set(PUSH_CHANNELS).size).toBe(PUSH_CHANNELS.length);
    expect(PUSH_CHANNELS).toEqual(
      expect.arrayContaining(['watch.event', 'watch.ended', 'clusters.progress', 'clusters.changed']),
    );
    expect(isInvokeChannel('clusters.list')).toBe(true);
    expect(isInvokeChannel('toString')).toBe(false);
    expect(isInvokeChannel('__proto__')).toBe(false);
    expect(isInvokeChannel(42)).toBe(false);
    expect(isPushChannel('watch.event')).toBe(true);
    expect(isPushChannel('kube.apply')).toBe(false);
  });
});
