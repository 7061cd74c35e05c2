import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../controllers/runtime/clock';
import { NodeAgent } from './node-agent';
import type { NodeFacts } from './node-status';
import { LEASES, NODES } from './resources';
import { openTestApi } from './testing/test-api';

const facts = (): NodeFacts => ({
  nodeName: 'kd',
  controlPlane: true,
  info: {
    cpus: 4,
    memoryBytes: 8 * 1024 ** 3,
    version: '20.10.24',
    operatingSystem: 'Debian',
    kernelVersion: '6.1',
    os: 'linux',
    arch: 'amd64',
    engineId: 'e',
  },
  internalIP: '172.18.0.1',
  kubeletVersion: 'v1.32.0',
});

let harness: ReturnType<typeof openTestApi> | undefined;
afterEach(() => harness?.close());

function ready(api: ReturnType<typeof openTestApi>['api']): Record<string, string> | undefined {
  const node = api.get(NODES, undefined, 'kd');
  return (node.status as { conditions: Array<Record<string, string>> }).conditions.find(
    (c) => c.type === 'Ready',
  );
}

describe('NodeAgent', () => {
  it('registers the node, renews its lease every 10 s and reports the engine going down and up', async () => {
    harness = openTestApi();
    const { api } = harness;
    const clock = new FakeClock();
    let healthy = true;
    const agent = new NodeAgent(api, clock, facts(), undefined, () =>
      healthy ? Promise.resolve() : Promise.reject(new Error('connect ENOENT /var/run/docker.sock')),
    );
    agent.start();
    expect(ready(api)).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    const lease = api.get(LEASES, 'kube-node-lease', 'kd');
    expect(lease.spec).toMatchObject({ holderIdentity: 'kd', leaseDurationSeconds: 40 });
    expect(lease.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: 'kd' });
    const firstRenew = (lease.spec as { renewTime: string }).renewTime;
    expect(firstRenew).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    healthy = false;
    await clock.advance(10_000);
    const renewed = api.get(LEASES, 'kube-node-lease', 'kd');
    expect((renewed.spec as { renewTime: string }).renewTime).not.toBe(firstRenew);
    expect(ready(api)).toMatchObject({
      status: 'False',
      reason: 'KubeletNotReady',
      message: 'container runtime is down: connect ENOENT /var/run/docker.sock',
    });

    healthy = true;
    await clock.advance(10_000);
    expect(ready(api)).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    agent.stop();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('re-registers a node that was deleted', async () => {
    harness = openTestApi();
    const { api } = harness;
    const clock = new FakeClock();
    const agent = new NodeAgent(api, clock, facts());
    agent.start();
    api.delete(NODES, undefined, 'kd');
    await clock.advance(60_000);
    expect(api.get(NODES, undefined, 'kd').metadata.labels?.['kubernetes.io/hostname']).toBe('kd');
    agent.stop();
  });
});
