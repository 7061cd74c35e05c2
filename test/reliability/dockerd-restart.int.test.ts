/**
 * The Docker engine restarted under a running cluster, every container stopping with it: while
 * it is down the API server keeps answering, and `kubedesk status` and the node's Ready
 * condition say that Docker is down and how to start it; once it is back the cluster recovers by
 * itself (pods run again, cluster DNS and Services answer, the NodePort listener serves) with one
 * container per pod container and nothing else to do for the user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerEngineControl } from './dockerd';
import { docker, ok, TEST_IMAGE, TestProfile, waitFor } from './harness';

const control = await dockerEngineControl();
// CI runs as root on a machine whose dockerd the test setup started: there it must run.
const unavailable = typeof control === 'string' && !process.env.CI ? control : undefined;

const NODE_PORT = 30000 + Math.floor(Math.random() * 2700);
const MANIFESTS = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'web',
              image: TEST_IMAGE,
              imagePullPolicy: 'Never',
              command: [
                'sh',
                '-c',
                'mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 8080 -h /www',
              ],
              readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: {
      type: 'NodePort',
      selector: { app: 'web' },
      ports: [{ port: 80, targetPort: 8080, nodePort: NODE_PORT }],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'client' },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [
        { name: 'client', image: TEST_IMAGE, imagePullPolicy: 'Never', command: ['sleep', '3600'] },
      ],
    },
  },
];

interface NodeList {
  items: { status: { conditions: { type: string; status: string; message?: string }[] } }[];
}

let profile: TestProfile;

const readyCondition = async () =>
  (await profile.kubectlJson<NodeList>(['get', 'nodes'])).items[0]?.status.conditions.find(
    (c) => c.type === 'Ready',
  );

const fromHost = async () => {
  const answer = await fetch(`http://127.0.0.1:${NODE_PORT}/`, { signal: AbortSignal.timeout(3_000) });
  return answer.ok ? (await answer.text()).trim() : undefined;
};

describe.skipIf(unavailable !== undefined)(
  `dockerd restarted under a running cluster${unavailable ? ` (${unavailable})` : ''}`,
  () => {
    beforeAll(async () => {
      if (typeof control === 'string') throw new Error(`cannot restart the Docker engine here: ${control}`);
      profile = await TestProfile.create('dockerd');
      await profile.start();
      ok(await profile.kubectl(['apply', '-f', '-'], MANIFESTS.map((m) => JSON.stringify(m)).join('\n')));
      ok(await profile.kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s']));
      ok(await profile.kubectl(['wait', '--for=condition=Ready', 'pod/client', '--timeout=90s']));
      await waitFor('the NodePort to answer from the host', fromHost, 30_000);
    });

    afterAll(async () => {
      // A failed test must not leave the machine without its Docker engine.
      if (typeof control !== 'string' && (await docker('info', '--format', '{{.ID}}')).code !== 0)
        await control.start();
      await profile?.cleanup();
    });

    it('says what is happening while Docker is down, then recovers by itself', async () => {
      if (typeof control === 'string') throw new Error(control);
      await control.stop();
      try {
        // The API server is the engine's own: it answers throughout.
        expect(ok(await profile.kubectl(['get', 'deployment', 'web', '-o', 'name'])).trim()).toBe(
          'deployment.apps/web',
        );
        const down = await waitFor(
          '`kubedesk status` to name the Docker problem',
          async () => {
            const status = await profile.kubedesk(['status']);
            return /problem:.*Docker engine not reachable/.test(status.stdout) ? status : undefined;
          },
          15_000,
        );
        expect(down.code).toBe(0);
        expect(down.stdout).toMatch(/problem: +Docker engine not reachable at \S+ \(.+\): start it with/);
        expect(down.stdout).toContain('the cluster recovers by itself once it answers');
        const notReady = await waitFor(
          'the node to report the runtime down',
          async () => {
            const ready = await readyCondition();
            return ready?.status === 'False' ? ready : undefined;
          },
          30_000,
        );
        expect(notReady.message).toMatch(/^container runtime is down: Docker engine not reachable/);
      } finally {
        await control.start();
      }

      await waitFor(
        'the node to be Ready again',
        async () => (await readyCondition())?.status === 'True',
        60_000,
      );
      ok(await profile.kubectl(['wait', '--for=condition=Ready', 'pod', '--all', '--timeout=120s']));
      // Cluster DNS and the ClusterIP (both served by the network agent) work again from a pod.
      const fromPod = await waitFor(
        'the Service to answer from a pod',
        async () => {
          const result = await profile.kubectl([
            'exec',
            'client',
            '--',
            // No -T: this busybox's wget crashes with it.
            'wget',
            '-qO-',
            'http://web/',
          ]);
          return result.code === 0 ? result.stdout.trim() : undefined;
        },
        60_000,
      );
      expect(fromPod).toBe('hello');
      expect(await waitFor('the NodePort to answer from the host again', fromHost, 60_000)).toBe('hello');

      const status = await profile.kubedesk(['status']);
      expect(status.code).toBe(0);
      expect(status.stdout).not.toContain('problem:');
      expect(status.stdout).toMatch(/nodes: +1 \(1 registered, 1 Ready\)/);
    });

    it('runs exactly one container per pod container afterwards', async () => {
      const listed = ok(
        await docker(
          'ps',
          '--filter',
          `label=io.kubedesk.profile=${profile.name}`,
          '--format',
          '{{.Label "io.kubedesk.pod-name"}}/{{.Label "io.kubedesk.role"}}/{{.Label "io.kubedesk.container"}}',
        ),
      )
        .split('\n')
        .filter(Boolean);
      const pods = (
        await profile.kubectlJson<{ items: { metadata: { name: string } }[] }>(['get', 'pods'])
      ).items.map((p) => p.metadata.name);
      expect(pods).toHaveLength(3);
      for (const pod of pods) {
        expect(listed.filter((l) => l.startsWith(`${pod}/`) && !l.includes('/sandbox/'))).toHaveLength(1);
        expect(listed.filter((l) => l.startsWith(`${pod}/sandbox/`))).toHaveLength(1);
      }
    });
  },
);
