import { createObjectStorage } from '../../../apiserver';
import { bootstrapCluster } from '../../../apiserver/storage/bootstrap';
import type { ObjectStorage } from '../../../apiserver/storage/object-storage';
import type { KubeObject } from '../../../k8s-object';
import { openSqliteStore } from '../../../store/sqlite-store';
import { FakeClock, flushMicrotasks } from '../../runtime/clock';
import { PODS } from '../../shared/resources';
import { addReadyNode } from './nodes';
import type { NodeOptions } from './nodes';

export interface WorkloadHarness {
  api: ObjectStorage;
  clock: FakeClock;
  close(): void;
  /** Registers a Ready node (4 cpu, 8Gi, 110 pods unless given). */
  addNode(name: string, options?: NodeOptions): KubeObject;
  /** Advances fake time in steps so chains of timers and reconciles settle. */
  run(ms: number, stepMs?: number): Promise<void>;
  pods(namespace?: string): KubeObject[];
  events(reason?: string): KubeObject[];
}

/** Lets watch deliveries (flushed on setImmediate) and the reconciles they start run out. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    await flushMicrotasks(50);
  }
}

/** The real registry over an in-memory store on fake time, for controller unit tests. */
export function openWorkloadHarness(start?: Date): WorkloadHarness {
  const clock = new FakeClock(start);
  const store = openSqliteStore(':memory:');
  const api = createObjectStorage(store, () => clock.now());
  bootstrapCluster(api);
  return {
    api,
    clock,
    close: () => store.close(),
    addNode: (name, options) => addReadyNode(api, name, clock.now(), options),
    async run(ms, stepMs = 100) {
      await settle();
      for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
        await clock.advance(Math.min(stepMs, ms - elapsed));
        await settle();
      }
    },
    pods(namespace = 'default') {
      return api.list(PODS, { namespace }).items;
    },
    events(reason) {
      const events = api.list({ group: '', version: 'v1', resource: 'events' }).items;
      return reason ? events.filter((e) => e.reason === reason) : events;
    },
  };
}
