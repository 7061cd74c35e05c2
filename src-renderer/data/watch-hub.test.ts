import { describe, expect, it } from 'vitest';
import type { PushChannel } from '../../src-main/ipc/contract';
import { Api } from '../transport/transport';
import type { Transport } from '../transport/transport';
import { WatchHub } from './watch-hub';

function fakeTransport() {
  const listeners = new Map<string, ((payload: unknown) => void)[]>();
  const status: ((connected: boolean) => void)[] = [];
  const transport: Transport = {
    invoke: async () => ({ ok: true, result: undefined }),
    on: (channel: PushChannel, listener: (payload: unknown) => void) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      return () => undefined;
    },
    onStatus: (listener) => {
      status.push(listener);
      return () => undefined;
    },
  };
  return {
    transport,
    push: (channel: PushChannel, payload: unknown) => listeners.get(channel)?.forEach((l) => l(payload)),
    setConnected: (connected: boolean) => status.forEach((l) => l(connected)),
  };
}

const event = (name: string) => ({ type: 'ADDED', object: { metadata: { name, resourceVersion: '1' } } });

describe('WatchHub', () => {
  it('routes events by watch id and holds those that arrive before the id is known', () => {
    const fake = fakeTransport();
    const hub = new WatchHub(new Api(fake.transport));
    fake.push('watch.event', { watchId: 'w1', events: [event('early')] });
    const seen: string[] = [];
    hub.register('w1', {
      onEvents: (events) => seen.push(...events.map((e) => e.object.metadata.name ?? '')),
      onEnd: () => undefined,
    });
    fake.push('watch.event', { watchId: 'w1', events: [event('late')] });
    fake.push('watch.event', { watchId: 'w2', events: [event('other')] });
    expect(seen).toEqual(['early', 'late']);
  });

  it('reports the end with its error, and ends every watch when the connection drops', () => {
    const fake = fakeTransport();
    const hub = new WatchHub(new Api(fake.transport));
    const ends: (string | undefined)[] = [];
    hub.register('a', { onEvents: () => undefined, onEnd: (error) => ends.push(`a:${error?.kind}`) });
    hub.register('b', { onEvents: () => undefined, onEnd: (error) => ends.push(`b:${error?.kind}`) });
    fake.push('watch.ended', { watchId: 'a', error: { kind: 'Gone', message: 'too old' } });
    fake.setConnected(false);
    expect(ends).toEqual(['a:Gone', 'b:Transport']);
    fake.push('watch.ended', { watchId: 'c' });
    const late: string[] = [];
    hub.register('c', { onEvents: () => undefined, onEnd: (error) => late.push(error?.kind ?? 'clean') });
    expect(late).toEqual(['clean']);
  });
});
