import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../runtime/types';
import { CONFIGMAPS, EVENTS_FOR_TEST, LEASES, NODES, SECRETS } from './testing/resources-for-test';
import { startHarness, statusOf, testImage, waitFor, type Harness } from './testing/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  if (h) {
    if (h.errors.length) console.error(h.errors.join('\n'));
    await h.close();
  }
});

async function logsOf(podName: string, container: string): Promise<string> {
  const pod = h.pod('default', podName);
  const [c] = (
    await h.runtime.listManaged(h.profile, {
      [LABELS.podUid]: pod.metadata.uid ?? '',
      [LABELS.container]: container,
    })
  ).sort((a, b) => b.restartCount - a.restartCount);
  const stream = await h.runtime.logs(c.id, {});
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function eventReasons(podName: string): string[] {
  return h.api
    .list(EVENTS_FOR_TEST, { namespace: 'default' })
    .items.filter((e) => (e.involvedObject as { name?: string }).name === podName)
    .map((e) => e.reason as string);
}

describe('kubelet against the real Docker engine', () => {
  it('registers the node with capacity, labels, conditions and a lease', () => {
    const node = h.api.get(NODES, undefined, h.profile);
    expect(node.metadata.labels).toMatchObject({
      'kubernetes.io/hostname': h.profile,
      'kubernetes.io/os': 'linux',
      'node-role.kubernetes.io/control-plane': '',
    });
    const status = node.status as Record<
      string,
      Record<string, unknown> & { conditions?: Array<{ type: string; status: string }> }
    >;
    expect(status.capacity).toMatchObject({ pods: '110' });
    expect(status.nodeInfo.containerRuntimeVersion).toMatch(/^docker:\/\//);
    expect(status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const lease = h.api.get(LEASES, 'kube-node-lease', h.profile);
    expect((lease.spec as { holderIdentity: string }).holderIdentity).toBe(h.profile);
  });

  it('runs init containers first, then two app containers sharing an emptyDir and localhost', async () => {
    h.createPod(
      {
        volumes: [{ name: 'shared', emptyDir: {} }],
        initContainers: [
          {
            name: 'setup',
            image: testImage,
            command: ['sh', '-c', 'echo from-init > /shared/index.html'],
            volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
          },
        ],
        containers: [
          {
            name: 'server',
            image: testImage,
            command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
            volumeMounts: [{ name: 'shared', mountPath: '/www' }],
            readinessProbe: { httpGet: { path: '/index.html', port: 8080 }, periodSeconds: 1 },
          },
          {
            name: 'client',
            image: testImage,
            command: [
              'sh',
              '-c',
              'while true; do wget -qO- http://localhost:8080/index.html && sleep 1 || sleep 0.2; done',
            ],
          },
        ],
      },
      'web',
    );
    const pod = await waitFor('web ready', () => {
      const p = h.pod('default', 'web');
      const status = statusOf(p);
      return status.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? p : undefined;
    });
    const status = statusOf(pod);
    expect(status.phase).toBe('Running');
    expect(status.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(status.initContainerStatuses?.[0].state.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    expect(status.containerStatuses?.map((c) => c.name)).toEqual(['server', 'client']);
    expect(
      status.containerStatuses?.every((c) => c.ready && String(c.containerID).startsWith('docker://')),
    ).toBe(true);
    await waitFor('client output', async () => (await logsOf('web', 'client')).includes('from-init'));
    expect(eventReasons('web')).toEqual(expect.arrayContaining(['Pulled', 'Created', 'Started']));
  });

  it('fills env from a ConfigMap and a Secret, with $(VAR) expansion', async () => {
    h.api.create(CONFIGMAPS, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app-config' },
      data: { MODE: 'fast', COLOR: 'blue' },
    });
    h.api.create(SECRETS, 'default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'app-secret' },
      data: { PASSWORD: Buffer.from('s3cret').toString('base64') },
    });
    h.createPod(
      {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'main',
            image: testImage,
            command: [
              'sh',
              '-c',
              'echo "mode=$MODE pass=$PASSWORD color=$CFG_COLOR greeting=$GREETING pod=$POD_NAME"',
            ],
            envFrom: [{ configMapRef: { name: 'app-config' }, prefix: 'CFG_' }],
            env: [
              { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'MODE' } } },
              { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'app-secret', key: 'PASSWORD' } } },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'GREETING', value: 'hello-$(POD_NAME)' },
            ],
          },
        ],
      },
      'envy',
    );
    const pod = await waitFor('envy completed', () => {
      const p = h.pod('default', 'envy');
      return statusOf(p).phase === 'Succeeded' ? p : undefined;
    });
    expect(statusOf(pod).containerStatuses?.[0].state.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    expect(await logsOf('envy', 'main')).toBe(
      'mode=fast pass=s3cret color=blue greeting=hello-envy pod=envy\n',
    );
  });
});
