import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realClock } from '../controllers/runtime/clock';
import { startHostpathProvisioner } from '../controllers/hostpath-provisioner/controller';
import type { DockerRuntime } from '../runtime/docker/docker-runtime';
import { LABELS } from '../runtime/types';
import { startKubelet } from './kubelet';
import {
  CONFIGMAPS,
  EVENTS_FOR_TEST,
  LEASES,
  NODES,
  PODS,
  PVCS,
  SECRETS,
} from './testing/resources-for-test';
import { startHarness, statusOf, testImage, waitFor, type Harness } from './testing/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  if (h) {
    if (h.errors.length) console.error(h.errors.join('\n'));
    await h.close();
    // Nothing of the profile is left on the engine.
    expect(await h.runtime.listManaged(h.profile)).toEqual([]);
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
    const status = node.status as {
      capacity: Record<string, string>;
      nodeInfo: Record<string, string>;
      conditions: Array<{ type: string; status: string }>;
      addresses: Array<{ type: string; address: string }>;
    };
    expect(status.capacity).toMatchObject({ pods: '110' });
    expect(status.nodeInfo.containerRuntimeVersion).toMatch(/^docker:[/][/]/);
    expect(status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(status.addresses.map((a) => a.type)).toEqual(['InternalIP', 'Hostname']);
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

  it('runs a pod bound to the node after creation (as the scheduler binds it)', async () => {
    h.api.create(PODS, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bound-later', namespace: 'default' },
      spec: { containers: [{ name: 'main', image: testImage, command: ['sleep', '600'] }] },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(statusOf(h.pod('default', 'bound-later')).phase).toBe('Pending');
    h.api.create(
      PODS,
      'default',
      {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'bound-later', namespace: 'default' },
        target: { apiVersion: 'v1', kind: 'Node', name: h.profile },
      },
      { subresource: 'binding' },
    );
    await waitFor('bound-later running', () => statusOf(h.pod('default', 'bound-later')).phase === 'Running');
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

describe('volumes', () => {
  it('brings ConfigMap changes into a running container', async () => {
    h.api.create(CONFIGMAPS, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'live-config' },
      data: { greeting: 'hello' },
    });
    h.createPod(
      {
        volumes: [{ name: 'cfg', configMap: { name: 'live-config' } }],
        containers: [
          {
            name: 'main',
            image: testImage,
            command: ['sh', '-c', 'while true; do cat /cfg/greeting; echo; sleep 0.5; done'],
            volumeMounts: [{ name: 'cfg', mountPath: '/cfg', readOnly: true }],
          },
        ],
      },
      'reloader',
    );
    await waitFor('first value', async () => (await logsOf('reloader', 'main')).includes('hello'));
    const cm = h.api.get(CONFIGMAPS, 'default', 'live-config');
    h.api.update(CONFIGMAPS, 'default', { ...cm, data: { greeting: 'bonjour' } });
    await waitFor(
      'updated value',
      async () => (await logsOf('reloader', 'main')).includes('bonjour'),
      20_000,
    );
  });
});

describe('termination', () => {
  it('reports termination messages from the file and from the log tail', async () => {
    h.createPod(
      {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'file',
            image: testImage,
            command: ['sh', '-c', 'echo -n "bad config" > /dev/termination-log; exit 1'],
          },
          {
            name: 'logs',
            image: testImage,
            command: ['sh', '-c', 'echo last words; exit 2'],
            terminationMessagePolicy: 'FallbackToLogsOnError',
          },
        ],
      },
      'final',
    );
    const pod = await waitFor('final failed', () => {
      const p = h.pod('default', 'final');
      return statusOf(p).phase === 'Failed' ? p : undefined;
    });
    const [file, logs] = statusOf(pod).containerStatuses ?? [];
    expect(file.state.terminated).toMatchObject({ exitCode: 1, reason: 'Error', message: 'bad config' });
    expect(logs.state.terminated).toMatchObject({ exitCode: 2, reason: 'Error', message: 'last words\n' });
  });

  it('runs postStart and preStop hooks', async () => {
    const out = path.join(h.profileDir, 'hook-out');
    h.createPod(
      {
        terminationGracePeriodSeconds: 5,
        volumes: [{ name: 'out', hostPath: { path: out, type: 'DirectoryOrCreate' } }],
        containers: [
          {
            name: 'main',
            image: testImage,
            command: ['sleep', '600'],
            volumeMounts: [{ name: 'out', mountPath: '/out' }],
            lifecycle: {
              postStart: { exec: { command: ['sh', '-c', 'echo started > /out/poststart'] } },
              preStop: { exec: { command: ['sh', '-c', 'echo stopping > /out/prestop'] } },
            },
          },
        ],
      },
      'hooked',
    );
    await waitFor('hooked running', () => statusOf(h.pod('default', 'hooked')).phase === 'Running');
    expect(await fs.readFile(path.join(out, 'poststart'), 'utf8')).toBe('started\n');
    h.api.delete(PODS, 'default', 'hooked', {});
    await waitFor('hooked gone', () => {
      try {
        h.pod('default', 'hooked');
        return false;
      } catch {
        return true;
      }
    });
    expect(await fs.readFile(path.join(out, 'prestop'), 'utf8')).toBe('stopping\n');
  });

  it('fails a pod that outlives activeDeadlineSeconds', async () => {
    h.createPod(
      {
        activeDeadlineSeconds: 2,
        containers: [{ name: 'main', image: testImage, command: ['sleep', '600'] }],
      },
      'late',
    );
    const pod = await waitFor('late failed', () => {
      const p = h.pod('default', 'late');
      return statusOf(p).phase === 'Failed' ? p : undefined;
    });
    expect(pod.status).toMatchObject({ reason: 'DeadlineExceeded' });
    await waitFor('late stopped', async () => {
      const left = await h.runtime.listManaged(h.profile, { [LABELS.podUid]: pod.metadata.uid ?? '' });
      return left.every((c) => c.state !== 'running');
    });
  });
});

describe('security context and resources', () => {
  it('runs as the given user and groups, with limits, requests and no privilege escalation', async () => {
    h.createPod(
      {
        restartPolicy: 'Never',
        securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000 },
        volumes: [{ name: 'scratch', emptyDir: {} }],
        containers: [
          {
            name: 'main',
            image: testImage,
            command: [
              'sh',
              '-c',
              'id -u; id -g; id -G; touch /scratch/ok && echo writable; cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes',
            ],
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
            resources: { requests: { cpu: '100m' }, limits: { cpu: '500m', memory: '64Mi' } },
            volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
          },
        ],
      },
      'secure',
    );
    await waitFor('secure done', () =>
      ['Succeeded', 'Failed'].includes(statusOf(h.pod('default', 'secure')).phase ?? ''),
    );
    const [uid, gid, groups, writable, memory] = (await logsOf('secure', 'main')).trim().split('\n');
    expect(statusOf(h.pod('default', 'secure')).phase).toBe('Succeeded');
    expect([uid, gid, writable, memory]).toEqual(['1000', '3000', 'writable', String(64 * 1024 * 1024)]);
    expect(groups.split(' ')).toContain('2000');
  });
});

describe('memory limits', () => {
  it('reports OOMKilled for a container that exceeds its memory limit', async () => {
    h.createPod(
      {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'hog',
            image: testImage,
            // The hog is the container's main process, so the kernel's OOM killer ends the container.
            command: ['sh', '-c', 'exec tail -c 200000000 /dev/zero'],
            resources: { limits: { memory: '16Mi' } },
          },
        ],
      },
      'hog',
    );
    const pod = await waitFor('hog finished', () => {
      const p = h.pod('default', 'hog');
      return statusOf(p).phase === 'Failed' ? p : undefined;
    });
    expect(statusOf(pod).containerStatuses?.[0].state.terminated).toMatchObject({
      reason: 'OOMKilled',
      exitCode: 137,
    });
  });
});

describe('restarts, back-off and image pulls', () => {
  it('restarts a container whose liveness probe fails', async () => {
    h.createPod(
      {
        containers: [
          {
            name: 'main',
            image: testImage,
            command: ['sh', '-c', 'touch /tmp/healthy; sleep 3; rm /tmp/healthy; sleep 600'],
            livenessProbe: {
              exec: { command: ['cat', '/tmp/healthy'] },
              periodSeconds: 1,
              failureThreshold: 2,
            },
          },
        ],
      },
      'lively',
    );
    const pod = await waitFor(
      'a liveness restart',
      () => {
        const p = h.pod('default', 'lively');
        const cs = statusOf(p).containerStatuses?.[0];
        return cs && cs.restartCount >= 1 && cs.state.running ? p : undefined;
      },
      60_000,
    );
    expect(statusOf(pod).containerStatuses?.[0].lastState).toMatchObject({ terminated: { reason: 'Error' } });
    expect(eventReasons('lively')).toEqual(expect.arrayContaining(['Unhealthy', 'Killing']));
  });

  it('restarts a container whose image was changed on the pod', async () => {
    const retagged = `kubedesk-test/busybox:${h.profile}`;
    await h.runtime.ensureImage(testImage, 'Never');
    const docker = (h.runtime as DockerRuntime).docker;
    await docker.getImage(testImage).tag({ repo: 'kubedesk-test/busybox', tag: h.profile });
    try {
      h.createPod({ containers: [{ name: 'main', image: testImage, command: ['sleep', '600'] }] }, 'reimage');
      const running = await waitFor('reimage running', () => {
        const p = h.pod('default', 'reimage');
        return statusOf(p).containerStatuses?.[0]?.state.running ? p : undefined;
      });
      const spec = running.spec as { containers: Array<Record<string, unknown>> };
      h.api.update(PODS, 'default', {
        ...running,
        spec: { ...spec, containers: [{ ...spec.containers[0], image: retagged }] },
      });
      const after = await waitFor('restarted with the new image', () => {
        const cs = statusOf(h.pod('default', 'reimage')).containerStatuses?.[0];
        return cs?.state.running && cs.image === retagged && cs.restartCount === 1 ? cs : undefined;
      });
      expect(after.containerID).not.toBe(statusOf(running).containerStatuses?.[0]?.containerID);
      expect(eventReasons('reimage')).toContain('Killing');
    } finally {
      h.api.delete(PODS, 'default', 'reimage', { gracePeriodSeconds: 0 });
      await waitFor(
        'reimage containers gone',
        async () => (await h.runtime.listManaged(h.profile, { [LABELS.podName]: 'reimage' })).length === 0,
      );
      await docker.getImage(retagged).remove();
    }
  });

  it('follows a readiness probe: Ready, then not Ready without a restart', async () => {
    h.createPod(
      {
        containers: [
          {
            name: 'main',
            image: testImage,
            command: ['sh', '-c', 'touch /tmp/ready; sleep 3; rm /tmp/ready; sleep 600'],
            readinessProbe: {
              exec: { command: ['cat', '/tmp/ready'] },
              periodSeconds: 1,
              failureThreshold: 1,
            },
          },
        ],
      },
      'flaky',
    );
    const ready = (c: string) =>
      statusOf(h.pod('default', 'flaky')).conditions?.find((x) => x.type === 'Ready')?.status === c;
    await waitFor('flaky ready', () => ready('True'));
    await waitFor('flaky not ready', () => ready('False'));
    const cs = statusOf(h.pod('default', 'flaky')).containerStatuses?.[0];
    expect(cs).toMatchObject({ ready: false, restartCount: 0, started: true });
    expect(cs?.state.running).toBeDefined();
    expect(eventReasons('flaky')).toContain('Unhealthy');
  });

  it('shows CrashLoopBackOff for a container that keeps failing', async () => {
    h.createPod(
      { containers: [{ name: 'main', image: testImage, command: ['sh', '-c', 'echo boom; exit 3'] }] },
      'crashy',
    );
    const pod = await waitFor(
      'CrashLoopBackOff',
      () => {
        const p = h.pod('default', 'crashy');
        const cs = statusOf(p).containerStatuses?.[0];
        return cs?.state.waiting?.reason === 'CrashLoopBackOff' ? p : undefined;
      },
      60_000,
    );
    const cs = statusOf(pod).containerStatuses?.[0];
    expect(cs?.restartCount).toBeGreaterThanOrEqual(1);
    expect(cs?.lastState).toMatchObject({ terminated: { exitCode: 3, reason: 'Error' } });
    expect(String(cs?.state.waiting?.message)).toMatch(
      /^back-off \d+s restarting failed container=main pod=crashy_default\(/,
    );
    expect(statusOf(pod).phase).toBe('Running');
    expect(eventReasons('crashy')).toContain('BackOff');
  });

  it('reports ErrImagePull, then ImagePullBackOff, for an image that does not exist', async () => {
    // Every stored status is watched: ErrImagePull may last only until the next sync, too
    // short for polling to see on a busy machine.
    const seen = new Set<string>();
    const stopWatch = h.api.watch(
      PODS,
      { namespace: 'default', fieldSelector: 'metadata.name=pully' },
      (event) => {
        const reason = statusOf(event.object).containerStatuses?.[0]?.state.waiting?.reason;
        if (typeof reason === 'string') seen.add(reason);
      },
    );
    h.createPod({ containers: [{ name: 'main', image: 'kubedesk-test/does-not-exist:1' }] }, 'pully');
    try {
      await waitFor(
        'ErrImagePull then ImagePullBackOff',
        () => seen.has('ErrImagePull') && seen.has('ImagePullBackOff'),
        40_000,
      );
    } finally {
      stopWatch();
    }
    expect(statusOf(h.pod('default', 'pully')).phase).toBe('Pending');
    expect(eventReasons('pully')).toEqual(expect.arrayContaining(['Pulling', 'Failed', 'BackOff']));
  });
});

describe('deletion and re-adoption', () => {
  it('stops, removes and deletes a pod marked for deletion', async () => {
    const created = h.createPod(
      { containers: [{ name: 'main', image: testImage, command: ['sleep', '600'] }] },
      'doomed',
    );
    await waitFor('doomed running', () => statusOf(h.pod('default', 'doomed')).phase === 'Running');
    h.api.delete(PODS, 'default', 'doomed', {});
    expect(h.pod('default', 'doomed').metadata.deletionTimestamp).toBeDefined();
    await waitFor('doomed gone', () => {
      try {
        h.pod('default', 'doomed');
        return false;
      } catch {
        return true;
      }
    });
    const left = await h.runtime.listManaged(h.profile, { [LABELS.podUid]: created.metadata.uid ?? '' });
    expect(left).toEqual([]);
  });

  it('adopts running containers after a restart without restarting or duplicating them', async () => {
    h.createPod({ containers: [{ name: 'main', image: testImage, command: ['sleep', '600'] }] }, 'steady');
    const before = await waitFor('steady running', () => {
      const p = h.pod('default', 'steady');
      return statusOf(p).containerStatuses?.[0]?.state.running ? p : undefined;
    });
    const uid = before.metadata.uid ?? '';
    const containersBefore = (await h.runtime.listManaged(h.profile, { [LABELS.podUid]: uid }))
      .map((c) => c.id)
      .sort();
    await h.stopKubelet();
    // Containers keep running while no kubelet is there.
    const meanwhile = await h.runtime.listManaged(h.profile, { [LABELS.podUid]: uid });
    expect(meanwhile.every((c) => c.state === 'running')).toBe(true);
    await h.startKubelet();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = await h.runtime.listManaged(h.profile, { [LABELS.podUid]: uid });
    expect(after.map((c) => c.id).sort()).toEqual(containersBefore);
    expect(after.every((c) => c.state === 'running')).toBe(true);
    const cs = statusOf(h.pod('default', 'steady')).containerStatuses?.[0];
    expect(cs?.restartCount).toBe(0);
    expect(cs?.containerID).toBe(statusOf(before).containerStatuses?.[0]?.containerID);
  });

  it('notices a container killed behind its back and restarts it', async () => {
    h.createPod({ containers: [{ name: 'main', image: testImage, command: ['sleep', '600'] }] }, 'victim');
    const pod = await waitFor('victim running', () => {
      const p = h.pod('default', 'victim');
      return statusOf(p).containerStatuses?.[0]?.state.running ? p : undefined;
    });
    const id = String(statusOf(pod).containerStatuses?.[0]?.containerID).replace('docker://', '');
    await h.runtime.remove(id);
    const after = await waitFor('victim restarted', () => {
      const cs = statusOf(h.pod('default', 'victim')).containerStatuses?.[0];
      return cs?.state.running && cs.containerID !== `docker://${id}` ? cs : undefined;
    });
    expect(after.restartCount).toBe(1);
  });

  it('re-creates a sandbox killed behind its back, running init containers again', async () => {
    h.createPod(
      {
        initContainers: [{ name: 'setup', image: testImage, command: ['true'] }],
        containers: [{ name: 'main', image: testImage, command: ['sleep', '600'] }],
      },
      'resandbox',
    );
    const pod = await waitFor('resandbox running', () => {
      const p = h.pod('default', 'resandbox');
      return statusOf(p).containerStatuses?.[0]?.state.running ? p : undefined;
    });
    const uid = pod.metadata.uid ?? '';
    const [sandbox] = await h.runtime.listManaged(h.profile, {
      [LABELS.podUid]: uid,
      [LABELS.role]: 'sandbox',
    });
    await h.runtime.stop(sandbox.id, 0);
    const after = await waitFor(
      'pod running again in a new sandbox',
      () => {
        const p = h.pod('default', 'resandbox');
        const status = statusOf(p);
        return status.containerStatuses?.[0]?.state.running &&
          status.containerStatuses[0].restartCount === 1 &&
          (status.initContainerStatuses?.[0]?.restartCount as number) === 1
          ? p
          : undefined;
      },
      20_000,
    );
    const sandboxes = await h.runtime.listManaged(h.profile, {
      [LABELS.podUid]: uid,
      [LABELS.role]: 'sandbox',
    });
    expect(sandboxes.map((c) => c.id)).not.toContain(sandbox.id);
    expect(statusOf(after).initContainerStatuses?.[0].state.terminated).toMatchObject({ exitCode: 0 });
    expect(eventReasons('resandbox')).toContain('SandboxChanged');
  });

  it('reports a container removed behind its back as ContainerStatusUnknown when it may not restart', async () => {
    h.createPod(
      { restartPolicy: 'Never', containers: [{ name: 'main', image: testImage, command: ['sleep', '600'] }] },
      'lost',
    );
    const pod = await waitFor('lost running', () => {
      const p = h.pod('default', 'lost');
      return statusOf(p).containerStatuses?.[0]?.state.running ? p : undefined;
    });
    await h.runtime.remove(
      String(statusOf(pod).containerStatuses?.[0]?.containerID).replace('docker://', ''),
    );
    const failed = await waitFor('lost failed', () => {
      const p = h.pod('default', 'lost');
      return statusOf(p).phase === 'Failed' ? p : undefined;
    });
    expect(statusOf(failed).containerStatuses?.[0].state.terminated).toMatchObject({
      exitCode: 137,
      reason: 'ContainerStatusUnknown',
      message: 'The container could not be located when the pod was terminated',
    });
  });

  it('removes containers of pods that no longer exist', async () => {
    const created = h.createPod(
      { containers: [{ name: 'main', image: testImage, command: ['sleep', '600'] }] },
      'ghost',
    );
    await waitFor('ghost running', () => statusOf(h.pod('default', 'ghost')).phase === 'Running');
    await h.stopKubelet();
    h.api.delete(PODS, 'default', 'ghost', { gracePeriodSeconds: 0 });
    await h.startKubelet();
    await waitFor('ghost containers removed', async () => {
      const left = await h.runtime.listManaged(h.profile, { [LABELS.podUid]: created.metadata.uid ?? '' });
      return left.length === 0;
    });
  });
});

describe('persistent volumes', () => {
  it("keeps a claim's data when the pod that wrote it is deleted", async () => {
    const provisioner = startHostpathProvisioner({ api: h.api, clock: realClock, profileDir: h.profileDir });
    try {
      h.api.create(PVCS, 'default', {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      });
      const volume = { name: 'data', persistentVolumeClaim: { claimName: 'data' } };
      const mount = { name: 'data', mountPath: '/data' };
      h.createPod(
        {
          restartPolicy: 'Never',
          volumes: [volume],
          containers: [
            {
              name: 'writer',
              image: testImage,
              command: ['sh', '-c', 'echo kept > /data/file'],
              volumeMounts: [mount],
            },
          ],
        },
        'writer',
      );
      await waitFor('writer done', () => statusOf(h.pod('default', 'writer')).phase === 'Succeeded');
      h.api.delete(PODS, 'default', 'writer', {});
      await waitFor('writer gone', () => {
        try {
          h.pod('default', 'writer');
          return false;
        } catch {
          return true;
        }
      });
      h.createPod(
        {
          restartPolicy: 'Never',
          volumes: [volume],
          containers: [
            { name: 'reader', image: testImage, command: ['cat', '/data/file'], volumeMounts: [mount] },
          ],
        },
        'reader',
      );
      await waitFor('reader done', () => statusOf(h.pod('default', 'reader')).phase === 'Succeeded');
      expect(await logsOf('reader', 'reader')).toBe('kept\n');
    } finally {
      await provisioner.stop();
    }
  });
});

describe('sidecars', () => {
  it('starts a sidecar before the app container, keeps it beside it and stops it when the app completes', async () => {
    h.createPod(
      {
        restartPolicy: 'Never',
        initContainers: [
          {
            name: 'server',
            image: testImage,
            restartPolicy: 'Always',
            command: ['sh', '-c', 'echo sidecar-data > /tmp/index.html; httpd -f -p 9090 -h /tmp'],
            startupProbe: { tcpSocket: { port: 9090 }, periodSeconds: 1 },
          },
        ],
        containers: [
          { name: 'main', image: testImage, command: ['wget', '-qO-', 'http://localhost:9090/index.html'] },
        ],
      },
      'sidecar',
    );
    const pod = await waitFor('sidecar pod succeeded', () => {
      const p = h.pod('default', 'sidecar');
      return statusOf(p).phase === 'Succeeded' ? p : undefined;
    });
    expect(await logsOf('sidecar', 'main')).toBe('sidecar-data\n');
    await waitFor('sidecar stopped', async () => {
      const left = await h.runtime.listManaged(h.profile, { [LABELS.podUid]: pod.metadata.uid ?? '' });
      return left.every((c) => c.state !== 'running');
    });
  });
});

describe('ephemeral containers', () => {
  it('runs a debug container in the target container PID namespace, once', async () => {
    h.createPod({ containers: [{ name: 'main', image: testImage, command: ['sleep', '600'] }] }, 'debugme');
    const running = await waitFor('debugme running', () => {
      const p = h.pod('default', 'debugme');
      return statusOf(p).containerStatuses?.[0]?.state.running ? p : undefined;
    });
    const spec = running.spec as Record<string, unknown>;
    h.api.update(PODS, 'default', {
      ...running,
      spec: {
        ...spec,
        ephemeralContainers: [
          {
            name: 'debugger',
            image: testImage,
            command: ['sh', '-c', 'ps; exit 0'],
            targetContainerName: 'main',
          },
        ],
      },
    });
    const pod = await waitFor('debugger finished', () => {
      const p = h.pod('default', 'debugme');
      const es = (p.status as { ephemeralContainerStatuses?: Array<{ state: { terminated?: unknown } }> })
        .ephemeralContainerStatuses?.[0];
      return es?.state.terminated ? p : undefined;
    });
    expect(await logsOf('debugme', 'debugger')).toContain('sleep 600');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const instances = await h.runtime.listManaged(h.profile, {
      [LABELS.podUid]: pod.metadata.uid ?? '',
      [LABELS.container]: 'debugger',
    });
    expect(instances).toHaveLength(1);
    expect(statusOf(h.pod('default', 'debugme')).phase).toBe('Running');
  });
});

describe('cluster DNS', () => {
  it('gives ClusterFirst pods the cluster resolver with Kubernetes search domains and ndots:5', async () => {
    const node = `${h.profile}-m03`;
    const dnsKubelet = await startKubelet({ ...h.options, nodeName: node, clusterDns: ['10.96.0.10'] });
    try {
      h.api.create({ group: '', version: 'v1', resource: 'namespaces' }, undefined, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'shop' },
      });
      h.api.create(PODS, 'shop', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'resolver', namespace: 'shop' },
        spec: {
          nodeName: node,
          restartPolicy: 'Never',
          hostname: 'web-0',
          subdomain: 'web',
          containers: [
            { name: 'main', image: testImage, command: ['sh', '-c', 'cat /etc/resolv.conf; hostname -f'] },
          ],
        },
      });
      const pod = await waitFor('resolver done', () => {
        const p = h.api.get(PODS, 'shop', 'resolver');
        return statusOf(p).phase === 'Succeeded' ? p : undefined;
      });
      const [c] = await h.runtime.listManaged(h.profile, {
        [LABELS.podUid]: pod.metadata.uid ?? '',
        [LABELS.container]: 'main',
      });
      const chunks: Buffer[] = [];
      for await (const chunk of await h.runtime.logs(c.id, {})) chunks.push(Buffer.from(chunk as Buffer));
      const out = Buffer.concat(chunks).toString('utf8');
      expect(out).toMatch(/^search shop\.svc\.cluster\.local svc\.cluster\.local cluster\.local$/m);
      expect(out).toMatch(/^options ndots:5$/m);
      expect(out).toContain('web-0.web.shop.svc.cluster.local');
    } finally {
      await dnsKubelet.stop();
    }
  });
});

describe('several nodes in one profile', () => {
  it("runs each node's pods and never collects the other node's containers or folders", async () => {
    const second = await startKubelet({ ...h.options, nodeName: `${h.profile}-m02` });
    try {
      const worker = h.api.get(NODES, undefined, `${h.profile}-m02`);
      expect(worker.metadata.labels).not.toHaveProperty('node-role.kubernetes.io/control-plane');
      const created = h.api.create(PODS, 'default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'on-m02', namespace: 'default' },
        spec: {
          nodeName: `${h.profile}-m02`,
          volumes: [{ name: 'scratch', emptyDir: {} }],
          containers: [
            {
              name: 'main',
              image: testImage,
              command: ['sleep', '600'],
              volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
            },
          ],
        },
      });
      const uid = created.metadata.uid ?? '';
      await waitFor('on-m02 running', () => statusOf(h.pod('default', 'on-m02')).phase === 'Running');
      const containers = await h.runtime.listManaged(h.profile, { [LABELS.podUid]: uid });
      expect(containers.every((c) => c.labels[LABELS.node] === `${h.profile}-m02`)).toBe(true);
      // Two resync periods of the first node later, nothing of the pod was touched.
      await new Promise((resolve) => setTimeout(resolve, 4_500));
      const after = await h.runtime.listManaged(h.profile, { [LABELS.podUid]: uid });
      expect(after.map((c) => c.id).sort()).toEqual(containers.map((c) => c.id).sort());
      expect(after.every((c) => c.state === 'running')).toBe(true);
      expect((await fs.stat(path.join(h.profileDir, 'pods', uid))).isDirectory()).toBe(true);
    } finally {
      await second.stop();
    }
  });
});
