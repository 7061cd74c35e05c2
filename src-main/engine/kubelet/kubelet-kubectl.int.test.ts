import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '../apiserver/testing/test-api-server';
import { realClock } from '../controllers/runtime/clock';
import { startHostpathProvisioner } from '../controllers/hostpath-provisioner/controller';
import { DockerRuntime } from '../runtime/docker/docker-runtime';
import { LABELS } from '../runtime/types';
import { startKubelet, type RunningKubelet } from './kubelet';
import { PODS } from './resources';
import { pauseImage, statusOf, testImage, waitFor } from './testing/harness';

// The kubelet against the real API server (full registry: defaulting, validation, service
// account admission, status strategy) and the real kubectl reading what it reports.
const profile = `kk-${randomUUID().slice(0, 8)}`;
const runtime = new DockerRuntime();
let server: TestApiServer;
let kubelet: RunningKubelet;
let provisioner: { stop(): Promise<void> };
let profileDir: string;

beforeAll(async () => {
  server = await startTestApiServer();
  profileDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubedesk-kubelet-kubectl-'));
  kubelet = await startKubelet({
    api: server.objectApi,
    runtime,
    nodeName: profile,
    profile,
    profileDir,
    network: `kubedesk-${profile}`,
    clock: realClock,
    pauseImage,
    caCertificate: server.pki.caCertPem,
    serviceAccountToken: () => 'test-token',
    resyncMs: 2_000,
    onError: (message, error) => console.error(message, error),
  });
  provisioner = startHostpathProvisioner({
    api: server.objectApi,
    clock: realClock,
    profileDir,
    onError: (message, error) => console.error(message, error),
  });
});

afterAll(async () => {
  await provisioner?.stop();
  await kubelet?.stop();
  for (const c of await runtime.listManaged(profile)) await runtime.remove(c.id);
  await runtime.removeNetwork(`kubedesk-${profile}`);
  await server?.close();
  if (profileDir) await fs.rm(profileDir, { recursive: true, force: true });
});

function podYaml(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify(pod(name, spec));
}

function pod(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: profile, terminationGracePeriodSeconds: 1, ...spec },
  };
}

/** The STATUS column of `kubectl get pod <name>`. */
async function statusColumn(name: string): Promise<string> {
  const out = await server.kubectlOk(['get', 'pod', name, '--no-headers']);
  return out.trim().split(/\s+/)[2] ?? '';
}

describe('kubelet with the real API server and kubectl', () => {
  it('shows the node Ready with its role, version and runtime', async () => {
    const out = await server.kubectlOk(['get', 'nodes', '-o', 'wide', '--no-headers']);
    const cells = out.trim().split(/\s+/);
    expect(cells[0]).toBe(profile);
    expect(cells[1]).toBe('Ready');
    expect(cells[2]).toBe('control-plane');
    expect(out).toMatch(/docker:\/\/\d+/);
    const described = await server.kubectlOk(['describe', 'node', profile]);
    expect(described).toMatch(/Container Runtime Version:\s+docker:\/\/\d+/);
    expect(described).toMatch(/Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status/);
    expect(described).toMatch(/HolderIdentity:\s+kk-/);
  });

  it('reports Running, Completed, Error, CrashLoopBackOff, ErrImagePull/ImagePullBackOff and Init:0/1', async () => {
    const pods = [
      pod('k-running', { containers: [{ name: 'main', image: testImage, command: ['sleep', '600'] }] }),
      pod('k-completed', {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'main',
            image: testImage,
            command: ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace'],
          },
        ],
      }),
      pod('k-error', {
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: testImage, command: ['sh', '-c', 'exit 1'] }],
      }),
      pod('k-crash', {
        containers: [{ name: 'main', image: testImage, command: ['sh', '-c', 'exit 1'] }],
      }),
      pod('k-pull', { containers: [{ name: 'main', image: 'kubedesk-test/not-there:1' }] }),
      pod('k-init', {
        initContainers: [{ name: 'wait', image: testImage, command: ['sleep', '600'] }],
        containers: [{ name: 'main', image: testImage, command: ['sleep', '600'] }],
      }),
    ];
    await server.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: pods }),
    });
    await waitFor('Running', async () => (await statusColumn('k-running')) === 'Running');
    await waitFor('Completed', async () => (await statusColumn('k-completed')) === 'Completed');
    await waitFor('Error', async () => (await statusColumn('k-error')) === 'Error');
    await waitFor(
      'CrashLoopBackOff',
      async () => (await statusColumn('k-crash')) === 'CrashLoopBackOff',
      40_000,
    );
    await waitFor('image pull failure', async () =>
      ['ErrImagePull', 'ImagePullBackOff'].includes(await statusColumn('k-pull')),
    );
    await waitFor('Init:0/1', async () => (await statusColumn('k-init')) === 'Init:0/1');
    // The service account volume: namespace file from the downward API, token and CA projected.
    const described = await server.kubectlOk(['describe', 'pod', 'k-crash']);
    expect(described).toMatch(/Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container main/);
    expect(described).toMatch(/Normal\s+Started\s+.*kubelet\s+Started container main/);
    const completed = server.objectApi.get(PODS, 'default', 'k-completed');
    expect(statusOf(completed).phase).toBe('Succeeded');
    const [container] = await runtime.listManaged(profile, {
      [LABELS.podUid]: completed.metadata.uid ?? '',
      [LABELS.container]: 'main',
    });
    const chunks: Buffer[] = [];
    for await (const chunk of await runtime.logs(container.id, {})) chunks.push(Buffer.from(chunk as Buffer));
    expect(Buffer.concat(chunks).toString('utf8')).toBe('default');
  });

  it('leaves a steady pod alone: no status writes while nothing changes', async () => {
    await server.kubectlOk(['apply', '-f', '-'], {
      input: podYaml('k-steady', {
        containers: [
          {
            name: 'main',
            image: testImage,
            command: ['sleep', '600'],
            readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 },
          },
        ],
      }),
    });
    await waitFor('k-steady ready', () => {
      const p = server.objectApi.get(PODS, 'default', 'k-steady');
      return statusOf(p).conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    });
    const before = server.objectApi.get(PODS, 'default', 'k-steady').metadata.resourceVersion;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(server.objectApi.get(PODS, 'default', 'k-steady').metadata.resourceVersion).toBe(before);
  });

  it('deletes a pod gracefully: Terminating, then gone, while kubectl waits', async () => {
    await server.kubectlOk(['apply', '-f', '-'], {
      input: podYaml('k-delete', {
        containers: [{ name: 'main', image: testImage, command: ['sleep', '600'] }],
      }),
    });
    await waitFor('k-delete Running', async () => (await statusColumn('k-delete')) === 'Running');
    await server.kubectlOk(['delete', 'pod', 'k-delete', '--wait=false']);
    expect(await statusColumn('k-delete')).toBe('Terminating');
    await server.kubectlOk(['wait', '--for=delete', 'pod/k-delete', '--timeout=30s']);
  });

  it('binds a claim of the default class and mounts it', async () => {
    await server.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'k-data', namespace: 'default' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      }),
    });
    await waitFor('claim Bound', async () =>
      (await server.kubectlOk(['get', 'pvc', 'k-data', '--no-headers'])).includes('Bound'),
    );
    expect(await server.kubectlOk(['get', 'storageclass', '--no-headers'])).toMatch(
      /standard \(default\)\s+k8s.io\/minikube-hostpath/,
    );
    await server.kubectlOk(['apply', '-f', '-'], {
      input: podYaml('k-pvc', {
        restartPolicy: 'Never',
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'k-data' } }],
        containers: [
          {
            name: 'main',
            image: testImage,
            command: ['sh', '-c', 'echo ok > /data/f && cat /data/f'],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
      }),
    });
    await waitFor('k-pvc Completed', async () => (await statusColumn('k-pvc')) === 'Completed');
  });
});
