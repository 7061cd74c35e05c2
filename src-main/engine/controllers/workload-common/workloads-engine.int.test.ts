/**
 * The scheduler and the workload controllers inside the whole engine (two kubelets on the
 * real Docker engine), driven with the real kubectl.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKubectl, writeTestKubeconfig } from '../../apiserver/testing/kubectl';
import { startCluster } from '../../cluster';
import type { RunningCluster } from '../../cluster';
import { removeProfileNetwork } from '../../network';
import { ensureProfilePki } from '../../profiles/pki';
import { profilePaths } from '../../profiles/paths';
import { createProfile } from '../../profiles/profile-store';
import type { ProfileConfig } from '../../profiles/types';
import { DockerRuntime } from '../../runtime/docker/docker-runtime';
import { LABELS } from '../../runtime/types';

process.env.KUBEDESK_PAUSE_IMAGE ||= 'kubedesk-test/pause:1';
process.env.KUBEDESK_AGENT_BASE_IMAGE ||= 'kubedesk-test/node:1';
const BUSYBOX = process.env.KUBEDESK_TEST_BUSYBOX_IMAGE || 'kubedesk-test/busybox:1';

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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('workload controllers and the scheduler in the engine (two nodes, real Docker)', () => {
  let dir: string;
  let config: ProfileConfig;
  let cluster: RunningCluster | undefined;
  let kubeconfig: string;
  const kubectl = async (args: string[], input?: string) => {
    const result = await runKubectl(kubeconfig, dir, args, { input, timeoutMs: 120_000 });
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}${result.stdout}`);
    return result.stdout;
  };
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
    dir = await mkdtemp(join(tmpdir(), 'kubedesk-workloads-'));
    const home = join(dir, 'home');
    config = await createProfile(
      { name: `wl${randomBytes(3).toString('hex')}`, apiServerPort: await freePort(), nodes: 2 },
      home,
    );
    const profileDir = profilePaths(config.name, home).dir;
    const pki = await ensureProfilePki(profileDir);
    cluster = await startCluster({ config, profileDir, pki, log: () => undefined });
    kubeconfig = await writeTestKubeconfig(dir, cluster.port, pki);
    await kubectl(['apply', '-f', '-'], MANIFESTS);
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=120s']);
    await kubectl(['rollout', 'status', 'daemonset/agent', '--timeout=120s']);
    await kubectl(['rollout', 'status', 'statefulset/db', '--timeout=120s']);
  });

  afterAll(async () => {
    await cluster?.stop();
    const runtime = new DockerRuntime();
    await runtime.docker
      .listContainers({ all: true, filters: { label: [`${LABELS.profile}=${config.name}`] } })
      .then((left) => Promise.all(left.map((c) => runtime.remove(c.Id))));
    await removeProfileNetwork(runtime.docker, config.name);
    await rm(dir, { recursive: true, force: true });
  });

  it('spreads a 4-replica Deployment 2+2 and runs one daemon per node', async () => {
    const first = config.name;
    const second = `${config.name}-m02`;
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
    const second = `${config.name}-m02`;
    await kubectl([
      'drain',
      second,
      '--ignore-daemonsets',
      '--delete-emptydir-data',
      '--force',
      '--timeout=120s',
    ]);
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=120s']);
    await expect.poll(() => nodesOf('app=web'), { timeout: 60_000 }).toEqual(Array(4).fill(config.name));
    expect(await nodesOf('app=agent')).toEqual([config.name, second].sort());
    await kubectl(['uncordon', second]);
  });
});
