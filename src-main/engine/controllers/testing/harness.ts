import { createObjectStorage } from '../../apiserver';
import { bootstrapCluster } from '../../apiserver/storage/bootstrap';
import type { ObjectApi } from '../../apiserver/object-api';
import type { ObjectStorage } from '../../apiserver/storage/object-storage';
import type { KubeObject } from '../../k8s-object';
import { openSqliteStore } from '../../store/sqlite-store';
import type { KeyValueStore } from '../../store/types';
import { startCoreControllers } from '../index';
import type { CoreControllers, CoreControllerOptions } from '../index';
import { FakeClock } from '../runtime/clock';
import { startFakeKubelet } from './fake-kubelet';
import type { FakeKubelet, FakeKubeletOptions } from './fake-kubelet';

export interface ControllerHarness {
  api: ObjectStorage;
  store: KeyValueStore;
  clock: FakeClock;
  controllers: CoreControllers;
  kubelet: FakeKubelet | undefined;
  /** Lets watches deliver and controllers run until nothing moves, without moving time. */
  settle(): Promise<void>;
  /** Advances fake time in steps (default 100 ms), settling after each. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Advances fake time until `check` returns a value (or true), at most `maxMs` (default 120 s). */
  until<T>(check: () => T | undefined | false, maxMs?: number, stepMs?: number): Promise<T>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Fake kubelet options; `false` runs no kubelet. */
  kubelet?: Omit<FakeKubeletOptions, 'api' | 'clock'> | false;
  controllers?: Omit<CoreControllerOptions, 'api' | 'clock'>;
  /** The API the controllers see, e.g. one that fails some writes. Default: the storage itself. */
  controllerApi?: (api: ObjectStorage) => ObjectApi;
}

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The built-in API (registry, defaults, validation) over an in-memory store, on fake time,
 * with the core controllers and a fake kubelet: for reconcile tests.
 */
export function openControllerHarness(options: HarnessOptions = {}): ControllerHarness {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const store = openSqliteStore(':memory:');
  const api = createObjectStorage(store, () => clock.now());
  bootstrapCluster(api);
  const controllers = startCoreControllers({
    api: options.controllerApi?.(api) ?? api,
    clock,
    resources: api.resources.all(),
    ...options.controllers,
  });
  const kubelet =
    options.kubelet === false ? undefined : startFakeKubelet({ api, clock, ...options.kubelet });

  const settle = async (): Promise<void> => {
    // Watch delivery runs on setImmediate and reconciles on microtasks: a few rounds of
    // immediates with nothing new to do mean the system is quiet at this instant.
    let quiet = 0;
    let lastRevision = store.currentRevision();
    for (let i = 0; i < 2000 && quiet < 3; i++) {
      await immediate();
      await clock.advance(0);
      const revision = store.currentRevision();
      quiet = revision === lastRevision ? quiet + 1 : 0;
      lastRevision = revision;
    }
  };
  const advance = async (ms: number, stepMs = 100): Promise<void> => {
    await settle();
    for (let passed = 0; passed < ms; passed += stepMs) {
      await clock.advance(Math.min(stepMs, ms - passed));
      await settle();
    }
  };
  const until = async <T>(check: () => T | undefined | false, maxMs = 120_000, stepMs = 100): Promise<T> => {
    await settle();
    for (let passed = 0; ; passed += stepMs) {
      let value: T | undefined | false;
      try {
        value = check();
      } catch {
        value = undefined;
      }
      if (value !== undefined && value !== false) return value;
      if (passed >= maxMs) throw new Error(`condition not met within ${maxMs} ms of fake time`);
      await clock.advance(stepMs);
      await settle();
    }
  };
  return {
    api,
    store,
    clock,
    controllers,
    kubelet,
    settle,
    advance,
    until,
    close: async () => {
      await kubelet?.stop();
      await controllers.stop();
      store.close();
    },
  };
}

/** A Deployment manifest like `kubectl create deployment <name> --image=<image> --replicas=<n>`. */
export function deploymentManifest(
  name: string,
  image: string,
  replicas = 1,
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: image.split(/[:/]/)[0] || 'app', image }] },
      },
      ...extra,
    },
  };
}
