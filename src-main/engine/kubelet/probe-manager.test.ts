import type { V1Container, V1Probe } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../controllers/runtime/clock';
import type { ContainerRuntime } from '../runtime/types';
import { ProbeManager, type ProbedContainer } from './probe-manager';

function setup(container: V1Container, results: boolean[]) {
  const clock = new FakeClock();
  const changes: string[] = [];
  const failures: string[] = [];
  const calls: number[] = [];
  const manager = new ProbeManager({
    runtime: {} as ContainerRuntime,
    clock,
    kubeletMinorVersion: '1.32',
    onChange: (key) => changes.push(key),
    onFailure: (_key, _path, message) => failures.push(message),
    run: (_probe: V1Probe) => {
      calls.push(clock.now().getTime());
      const ok = results.length ? results.shift()! : true;
      return Promise.resolve({ success: ok, message: ok ? '' : 'cat: /tmp/healthy: No such file' });
    },
  });
  const target: ProbedContainer = {
    podKey: 'default/p',
    containerId: 'c1',
    sandboxId: 's1',
    podIP: '10.0.0.2',
    container,
    startedAt: clock.now(),
    fieldPath: 'spec.containers{main}',
  };
  return { clock, manager, target, changes, failures, calls };
}

describe('ProbeManager', () => {
  it('waits initialDelaySeconds, probes every periodSeconds and fails liveness after failureThreshold', async () => {
    const container = {
      name: 'main',
      livenessProbe: {
        exec: { command: ['cat'] },
        initialDelaySeconds: 5,
        periodSeconds: 2,
        failureThreshold: 2,
      },
    };
    const { clock, manager, target, changes, failures, calls } = setup(container, [true, false, false]);
    manager.sync('default/p', [target]);
    await clock.advance(4_999);
    expect(calls).toHaveLength(0);
    await clock.advance(1);
    expect(calls).toHaveLength(1);
    expect(manager.failure('c1')).toBeUndefined();
    await clock.advance(2_000);
    expect(manager.failure('c1')).toBeUndefined();
    await clock.advance(2_000);
    expect(manager.failure('c1')).toEqual({ kind: 'liveness', message: 'cat: /tmp/healthy: No such file' });
    expect(changes).toEqual(['default/p']);
    expect(failures).toEqual([
      'Liveness probe failed: cat: /tmp/healthy: No such file',
      'Liveness probe failed: cat: /tmp/healthy: No such file',
    ]);
    // No more probing of a container that is going to be restarted.
    await clock.advance(10_000);
    expect(calls).toHaveLength(3);
  });

  it('marks readiness after successThreshold and gates probes behind the startup probe', async () => {
    const container = {
      name: 'main',
      startupProbe: { exec: { command: ['true'] }, periodSeconds: 1, failureThreshold: 30 },
      readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1, successThreshold: 2 },
    };
    // startup: fail, succeed; readiness: succeed, succeed.
    const { clock, manager, target } = setup(container, [false, true, true, true]);
    manager.sync('default/p', [target]);
    expect(manager.isStarted('c1', container)).toBe(false);
    expect(manager.isReady('c1', container)).toBe(false);
    await clock.advance(0);
    expect(manager.isStarted('c1', container)).toBe(false);
    await clock.advance(1_000);
    expect(manager.isStarted('c1', container)).toBe(true);
    expect(manager.isReady('c1', container)).toBe(false);
    // The first readiness success came in the same tick as the startup success.
    await clock.advance(1_000);
    expect(manager.isReady('c1', container)).toBe(true);
  });

  it('stops probing containers that are gone', async () => {
    const container = { name: 'main', readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 } };
    const { clock, manager, target, calls } = setup(container, []);
    manager.sync('default/p', [target]);
    await clock.advance(1_500);
    const before = calls.length;
    manager.sync('default/p', []);
    await clock.advance(5_000);
    expect(calls.length).toBe(before);
    expect(clock.pendingTimers()).toBe(0);
  });
});
