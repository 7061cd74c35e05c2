import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock';
import { Controller } from './controller';
import { WorkQueue } from './work-queue';

describe('WorkQueue', () => {
  it('de-duplicates keys and never hands out a key twice at once', async () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    queue.add('a');
    queue.add('a');
    queue.add('b');
    expect(queue.length).toBe(2);
    const first = await queue.get();
    expect(first).toBe('a');
    queue.add('a'); // while processing: remembered, not queued
    expect(queue.length).toBe(1);
    expect(await queue.get()).toBe('b');
    queue.done('a');
    expect(await queue.get()).toBe('a');
  });

  it('backs off exponentially per key and resets on forget', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue({ clock, baseRetryMs: 100 });
    queue.addRateLimited('x');
    await clock.advance(99);
    expect(queue.length).toBe(0);
    await clock.advance(1);
    expect(queue.length).toBe(1);
    await queue.get();
    queue.done('x');
    queue.addRateLimited('x'); // second failure: 200 ms
    await clock.advance(199);
    expect(queue.length).toBe(0);
    await clock.advance(1);
    expect(queue.length).toBe(1);
    queue.forget('x');
    await queue.get();
    queue.done('x');
    queue.addRateLimited('x');
    await clock.advance(100);
    expect(queue.length).toBe(1);
  });

  it('keeps the earliest of two delays for one key', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue({ clock });
    queue.addAfter('k', 1000);
    queue.addAfter('k', 300);
    queue.addAfter('k', 5000);
    await clock.advance(300);
    expect(queue.length).toBe(1);
    await queue.get();
    queue.done('k');
    await clock.advance(10_000);
    expect(queue.length).toBe(0);
  });
});

describe('Controller', () => {
  it('retries a failing reconcile with back-off and honours requeueAfter', async () => {
    const clock = new FakeClock();
    const calls: string[] = [];
    let failures = 2;
    const controller = new Controller({
      name: 'test',
      clock,
      reconcile(key) {
        calls.push(`${key}@${clock.now().getTime() % 100_000}`);
        if (failures-- > 0) throw new Error('not yet');
        return calls.length === 3 ? { requeueAfterMs: 1000 } : undefined;
      },
    });
    controller.start();
    controller.enqueue('ns/web');
    await clock.advance(0);
    expect(calls).toHaveLength(1);
    await clock.advance(50);
    expect(calls).toHaveLength(2);
    await clock.advance(100);
    expect(calls).toHaveLength(3);
    await clock.advance(1000);
    expect(calls).toHaveLength(4);
    await controller.stop();
  });
});
