/**
 * The scheduler and the workload controllers inside the whole engine (two kubelets on the
 * real Docker engine), driven with the real kubectl.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BUSYBOX_IMAGE as BUSYBOX, testProfile } from '../../../../test/harness/engine-profile';

const container = (name: string, command: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: BUSYBOX,
  imagePullPolicy: 'Never',
  command: ['sh', '-c', command],
  ...extra,
});

const podTemplate = (app: string, containers: unknown[]) => ({
  metadata: { labels: { app } },
  spec: { terminationGracePeriodSeconds: 1, containers },
});

const MANIFESTS = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'web' } },
        template: podTemplate('web', [container('web', 'exec sleep 3600')]),
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: podTemplate('agent', [container('agent', 'exec sleep 3600')]),
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        serviceName: 'db',
        replicas: 2,
        selector: { matchLabels: { app: 'db' } },
        template: podTemplate('db', [
          container('db', 'hostname >> /data/boots; exec sleep 3600', {
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          }),
        ]),
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      },
    },
  ],
});

describe('workload controllers and the scheduler in the engine (two nodes, real Docker)', () => {
  const engine = testProfile({
    namePrefix: 'wl',
    dirPrefix: 'kubedesk-workloads-',
    nodes: 2,
    kubectlTimeoutMs: 120_000,
  });
  const kubectl = engine.kubectl;
  const nodesOf = async (selector: string) =>
    (
      await kubectl([
        'get',
        'pods',
        '-l',
        selector,
        '-o',
        'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}',
      ])
    )
      .trim()
      .split('\n')
      .sort();

  beforeAll(async () => {
    await engine.start();
    await kubectl(['apply', '-f', '-'], MANIFESTS);
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=120s']);
    await kubectl(['rollout', 'status', 'daemonset/agent', '--timeout=120s']);
    await kubectl(['rollout', 'status', 'statefulset/db', '--timeout=120s']);
  });

  afterAll(async () => {
    await engine.cleanup();
  });

  it('spreads a 4-replica Deployment 2+2 and runs one daemon per node', async () => {
    const first = engine.config.name;
    const second = `${engine.config.name}-m02`;
    expect(await nodesOf('app=web')).toEqual([first, first, second, second]);
    expect(await nodesOf('app=agent')).toEqual([first, second]);
  });

  it("keeps a StatefulSet pod's claim across its recreation", async () => {
    expect(await kubectl(['get', 'pvc', 'data-db-0', '-o', 'jsonpath={.status.phase}'])).toBe('Bound');
    await kubectl(['delete', 'pod', 'db-0', '--wait=true']);
    await kubectl(['wait', '--for=condition=Ready', 'pod/db-0', '--timeout=120s']);
    expect(await kubectl(['exec', 'db-0', '--', 'cat', '/data/boots'])).toBe('db-0\ndb-0\n');
  });

  it('runs a Job to completion and fails one at its backoff limit', async () => {
    await kubectl(['create', 'job', 'ok', `--image=${BUSYBOX}`, '--', 'true']);
    await kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'bad' },
        spec: {
          backoffLimit: 0,
          template: { spec: { restartPolicy: 'Never', containers: [container('c', 'exit 3')] } },
        },
      }),
    );
    await kubectl(['wait', '--for=condition=Complete', 'job/ok', '--timeout=120s']);
    await kubectl(['wait', '--for=condition=Failed', 'job/bad', '--timeout=120s']);
    expect(
      await kubectl(['get', 'job', 'bad', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}']),
    ).toBe('BackoffLimitExceeded');
  });

  it('drains a node: its pods move to the other node, the daemon stays', async () => {
    const second = `${engine.config.name}-m02`;
    await kubectl([
      'drain',
      second,
      '--ignore-daemonsets',
      '--delete-emptydir-data',
      '--force',
      '--timeout=120s',
    ]);
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=120s']);
    await expect
      .poll(() => nodesOf('app=web'), { timeout: 60_000 })
      .toEqual(Array(4).fill(engine.config.name));
    expect(await nodesOf('app=agent')).toEqual([engine.config.name, second].sort());
    await kubectl(['uncordon', second]);
  });
});
