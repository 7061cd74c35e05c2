import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../../k8s-object';
import { DockerRuntime } from '../../../runtime/docker/docker-runtime';
import type { ExecOptions, ManagedContainer, StreamSession } from '../../../runtime/types';
import { startTestApiServer } from '../../testing/test-api-server';
import type { TestApiServer } from '../../testing/test-api-server';
import { registerPodStreams } from '../index';

export const pauseImage = process.env.KUBEDESK_PAUSE_IMAGE ?? 'kubedesk-test/pause:1';
export const testImage = process.env.KUBEDESK_TEST_IMAGE ?? 'kubedesk-test/busybox:1';

const PODS = { group: '', version: 'v1', resource: 'pods' };

/** The Docker runtime, remembering every terminal resize that reached an exec session. */
export class RecordingRuntime extends DockerRuntime {
  readonly resizes: Array<{ width: number; height: number }> = [];

  override async exec(id: string, options: ExecOptions): Promise<StreamSession> {
    const session = await super.exec(id, options);
    return {
      ...session,
      resize: async (size) => {
        this.resizes.push(size);
        await session.resize(size);
      },
    };
  }
}

export interface ContainerPlan {
  name: string;
  /** `sh -c` script of each attempt, oldest first; the last one is the current attempt. */
  attempts: string[];
  tty?: boolean;
  stdin?: boolean;
  stdinOnce?: boolean;
}

export interface FixturePod {
  object: KubeObject;
  sandbox: ManagedContainer;
  /** Current attempt of each container, by name. */
  containers: Map<string, ManagedContainer>;
}

/**
 * A real API server with the pod streams registered, over a real Docker engine: pods are
 * API objects bound to a node and marked Running, whose containers are created directly
 * through the DockerRuntime with the labels the kubelet would put on them.
 */
export interface StreamFixture {
  server: TestApiServer;
  runtime: RecordingRuntime;
  profile: string;
  /** Creates the pod object and its sandbox and containers (older attempts exit first). */
  createPod(name: string, containers: ContainerPlan[], labels?: Record<string, string>): Promise<FixturePod>;
  /** A pod object whose containers do not exist yet (status says ContainerCreating). */
  createPendingPod(name: string, container: string): KubeObject;
  close(): Promise<void>;
}

export async function startStreamFixture(): Promise<StreamFixture> {
  const profile = `streams-${randomUUID().slice(0, 6)}`;
  const network = `kubedesk-${profile}`;
  const runtime = new RecordingRuntime();
  await runtime.ping();
  await runtime.ensureNetwork(network, { 'io.kubedesk.profile': profile });
  const server = await startTestApiServer();
  registerPodStreams(server, { runtime, profile });

  const createObject = (
    name: string,
    containers: string[],
    status: Record<string, unknown>,
    labels: Record<string, string> = {},
  ): KubeObject => {
    const created = server.objectApi.create(PODS, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels },
      spec: { nodeName: profile, containers: containers.map((c) => ({ name: c, image: testImage })) },
    });
    return server.objectApi.update(PODS, 'default', { ...created, status }, { subresource: 'status' });
  };

  return {
    server,
    runtime,
    profile,
    async createPod(name, plans, labels) {
      const object = createObject(
        name,
        plans.map((p) => p.name),
        {
          phase: 'Running',
          containerStatuses: plans.map((p) => ({
            name: p.name,
            ready: true,
            restartCount: p.attempts.length - 1,
            image: testImage,
            imageID: '',
            state: { running: { startedAt: new Date().toISOString() } },
          })),
        },
        labels,
      );
      const identity = {
        profile,
        node: profile,
        podUid: object.metadata.uid ?? '',
        podName: name,
        podNamespace: 'default',
      };
      const sandbox = await runtime.createSandbox({
        ...identity,
        image: pauseImage,
        network,
        hostname: name,
      });
      const containers = new Map<string, ManagedContainer>();
      for (const plan of plans) {
        for (const [restartCount, script] of plan.attempts.entries()) {
          const current = restartCount === plan.attempts.length - 1;
          const created = await runtime.createContainer(sandbox.id, {
            ...identity,
            name: plan.name,
            role: 'app',
            restartCount,
            image: testImage,
            command: ['sh', '-c'],
            args: [script],
            env: [],
            mounts: [],
            specHash: 'fixture',
            tty: plan.tty,
            stdin: plan.stdin,
            stdinOnce: plan.stdinOnce,
          });
          await runtime.start(created.id);
          if (!current) {
            await runtime.docker.getContainer(created.id).wait();
          } else {
            containers.set(plan.name, created);
          }
        }
      }
      return { object, sandbox, containers };
    },
    createPendingPod(name, container) {
      return createObject(name, [container], {
        phase: 'Pending',
        containerStatuses: [
          {
            name: container,
            ready: false,
            restartCount: 0,
            image: testImage,
            imageID: '',
            state: { waiting: { reason: 'ContainerCreating' } },
          },
        ],
      });
    },
    async close() {
      await server.close();
      for (const c of await runtime.listManaged(profile)) await runtime.remove(c.id);
      await runtime.removeNetwork(network);
    },
  };
}
