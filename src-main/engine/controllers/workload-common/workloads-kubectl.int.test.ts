import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer } from '../../apiserver/testing/test-api-server';
import type { TestApiServer } from '../../apiserver/testing/test-api-server';
import type { KubeObject } from '../../k8s-object';
import { startScheduler } from '../../scheduler';
import { realClock } from '../runtime/clock';
import { startWorkloadControllers } from '../workloads';
import { rec } from './pods';
import { LEASES, NODES, PODS } from '../shared/resources';
import { startFakeVolumeBinder } from './testing/fake-binder';
import { startFakeKubelet } from './testing/fake-kubelet';
import { addReadyNode } from './testing/nodes';
import { getOrUndefined } from '../shared/api-helpers';

let server: TestApiServer;
const stops: Array<() => unknown> = [];
const NODE_NAMES = ['kubedesk', 'kubedesk-m02'];

function renewLeases(): void {
  const api = server.objectApi;
  for (const name of NODE_NAMES) {
    const renewTime = new Date().toISOString().replace(/Z$/, '000Z');
    const lease = getOrUndefined(api, LEASES, 'kube-node-lease', name);
    if (lease) api.update(LEASES, 'kube-node-lease', { ...lease, spec: { ...rec(lease.spec), renewTime } });
    else {
      api.create(LEASES, 'kube-node-lease', {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name },
        spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime },
      });
    }
  }
}

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('condition not met in time');
}

beforeAll(async () => {
  server = await startTestApiServer();
  for (const name of NODE_NAMES) {
    addReadyNode(server.objectApi, name, new Date(), { labels: { 'kubernetes.io/os': 'linux' } });
  }
  renewLeases();
  const timer = setInterval(renewLeases, 5000);
  const api = server.objectApi;
  const scheduler = startScheduler({ api, clock: realClock });
  const controllers = startWorkloadControllers({ api, clock: realClock });
  const kubelet = startFakeKubelet({
    api,
    clock: realClock,
    startMs: 300,
    outcome: (pod: KubeObject) => (pod.metadata.labels?.['job-name'] ? { exitCode: 0 } : { run: true }),
  });
  const binder = startFakeVolumeBinder(api);
  stops.push(
    () => binder.stop(),
    () => clearInterval(timer),
    () => kubelet.stop(),
    () => controllers.stop(),
    () => scheduler.stop(),
  );
});

afterAll(async () => {
  for (const stop of stops.splice(0)) await stop();
  await server?.close();
});

describe('workload controllers and the scheduler through the real kubectl', () => {
  it('runs a Job to completion (kubectl create job, wait, get)', async () => {
    await server.kubectlOk(['create', 'job', 'hello', '--image=busybox', '--', 'echo', 'hi']);
    await server.kubectlOk(['wait', '--for=condition=complete', 'job/hello', '--timeout=30s']);
    const out = await server.kubectlOk(['get', 'job', 'hello']);
    expect(out).toMatch(/hello\s+Complete\s+1\/1/);
  });

  it('rolls a DaemonSet out, shows its history and undoes an update', async () => {
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: { containers: [{ name: 'a', image: 'agent:1' }] },
        },
      },
    };
    await server.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
    const status = await server.kubectlOk(['rollout', 'status', 'ds/agent', '--timeout=30s']);
    expect(status).toContain('daemon set "agent" successfully rolled out');
    const wide = await server.kubectlOk(['get', 'pods', '-l', 'app=agent', '-o', 'wide']);
    for (const node of NODE_NAMES) expect(wide).toContain(node);

    await server.kubectlOk(['set', 'image', 'ds/agent', 'a=agent:2']);
    await server.kubectlOk(['rollout', 'status', 'ds/agent', '--timeout=30s']);
    const history = await server.kubectlOk(['rollout', 'history', 'ds/agent']);
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\s*\n1\s+<none>\s*\n2\s+<none>/);
    await server.kubectlOk(['rollout', 'undo', 'ds/agent']);
    await server.kubectlOk(['rollout', 'status', 'ds/agent', '--timeout=30s']);
    await eventually(async () => {
      const now = await server.kubectlOk([
        'get',
        'pods',
        '-l',
        'app=agent',
        '-o',
        'jsonpath={range .items[*]}{.spec.containers[0].image}{" "}{end}',
      ]);
      return now.trim() === 'agent:1 agent:1';
    });
  });

  it('creates a StatefulSet in order with claims and reports its rollout', async () => {
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web' },
      spec: {
        serviceName: 'web',
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'w', image: 'web:1' }] },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      },
    };
    await server.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
    const status = await server.kubectlOk(['rollout', 'status', 'sts/web', '--timeout=30s']);
    // The API defaults rollingUpdate.partition to 0, so kubectl reports a partitioned roll-out, as upstream.
    expect(status).toContain('partitioned roll out complete: 2 new pods have been updated...');
    await server.kubectlOk(['set', 'image', 'sts/web', 'w=web:2']);
    await server.kubectlOk(['rollout', 'status', 'sts/web', '--timeout=30s']);
    const imageOf = (name: string) =>
      server.kubectlOk(['get', 'pod', name, '-o', 'jsonpath={.spec.containers[0].image}']);
    await eventually(
      async () => (await imageOf('web-0')) === 'web:2' && (await imageOf('web-1')) === 'web:2',
    );
    await server.kubectlOk(['rollout', 'undo', 'sts/web']);
    await eventually(
      async () => (await imageOf('web-0')) === 'web:1' && (await imageOf('web-1')) === 'web:1',
    );
    const history = await server.kubectlOk(['rollout', 'history', 'sts/web']);
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\s*\n2\s+<none>\s*\n3\s+<none>/);
    const claims = await server.kubectlOk(['get', 'pvc', '-o', 'name']);
    expect(claims.split('\n').filter(Boolean).sort()).toEqual([
      'persistentvolumeclaim/data-web-0',
      'persistentvolumeclaim/data-web-1',
    ]);
  });

  it('explains an unschedulable pod in kubectl describe, and cordon/drain move work off a node', async () => {
    await server.kubectlOk([
      'run',
      'picky',
      '--image=busybox',
      '--overrides',
      JSON.stringify({ spec: { nodeSelector: { disk: 'ssd' } } }),
    ]);
    await eventually(async () =>
      (await server.kubectlOk(['describe', 'pod', 'picky'])).includes('FailedScheduling'),
    );
    const described = await server.kubectlOk(['describe', 'pod', 'picky']);
    expect(described).toContain(
      "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
    expect(described).toMatch(/Warning\s+FailedScheduling\s+\d+s\s+default-scheduler/);

    await server.kubectlOk(['cordon', 'kubedesk-m02']);
    const nodes = await server.kubectlOk(['get', 'nodes']);
    expect(nodes).toMatch(/kubedesk-m02\s+Ready,SchedulingDisabled/);
    await eventually(() => {
      const taints = rec(server.objectApi.get(NODES, undefined, 'kubedesk-m02').spec).taints;
      return JSON.stringify(taints ?? []).includes('node.kubernetes.io/unschedulable');
    });
    await server.kubectlOk(['run', 'after-cordon', '--image=busybox']);
    await eventually(() => !!rec(server.objectApi.get(PODS, 'default', 'after-cordon').spec).nodeName);
    expect(rec(server.objectApi.get(PODS, 'default', 'after-cordon').spec).nodeName).toBe('kubedesk');

    await server.kubectlOk([
      'drain',
      'kubedesk-m02',
      '--ignore-daemonsets',
      '--force',
      '--delete-emptydir-data',
      '--timeout=30s',
    ]);
    const left = server.objectApi
      .list(PODS, { fieldSelector: 'spec.nodeName=kubedesk-m02' })
      .items.filter((p) => !p.metadata.ownerReferences?.some((r) => r.kind === 'DaemonSet'));
    expect(left.filter((p) => !['Succeeded', 'Failed'].includes(String(rec(p.status).phase)))).toEqual([]);
    await server.kubectlOk(['uncordon', 'kubedesk-m02']);
  });
});
