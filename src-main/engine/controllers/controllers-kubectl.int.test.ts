import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_VERSIONS } from '../apiserver/testing/kubectl';
import { startTestApiServer } from '../apiserver/testing/test-api-server';
import type { TestApiServer } from '../apiserver/testing/test-api-server';
import { startCoreControllers, tokenRequestHandler } from './index';
import type { CoreControllers } from './index';
import { realClock } from './runtime/clock';
import { DEPLOYMENTS, PODS, REPLICA_SETS } from './shared/resources';
import { startFakeKubelet } from './testing/fake-kubelet';
import type { FakeKubelet } from './testing/fake-kubelet';

let server: TestApiServer;
let controllers: CoreControllers;
let kubelet: FakeKubelet;

beforeAll(async () => {
  server = await startTestApiServer();
  controllers = startCoreControllers({ api: server.objectApi, clock: realClock, pki: server.pki });
  const tokens = controllers.serviceAccountTokens;
  if (!tokens) throw new Error('no token signer');
  server.registerSubresourceHandler('', 'serviceaccounts', 'token', tokenRequestHandler(tokens));
  kubelet = startFakeKubelet({
    api: server.objectApi,
    clock: realClock,
    readyAfterMs: 300,
    terminateAfterMs: 200,
  });
});
afterAll(async () => {
  await kubelet?.stop();
  await controllers?.stop();
  await server?.close();
});

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch {
      // not there yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not met');
}

const livePods = (prefix: string) =>
  server.objectApi
    .list(PODS, { namespace: 'default' })
    .items.filter((p) => p.metadata.name?.startsWith(prefix) && !p.metadata.deletionTimestamp);

describe('core controllers with the real kubectl', () => {
  it('create, scale, set image, rollout status/history/undo/restart, delete cascades', async () => {
    const k = server.kubectlOk;
    await k(['create', 'deployment', 'web', '--image=nginx:1', '--replicas=2']);
    expect(await k(['rollout', 'status', 'deployment/web', '--timeout=30s'])).toContain(
      'deployment "web" successfully rolled out',
    );
    const rs = await k(['get', 'rs', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}']);
    expect(rs).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);

    await k(['scale', 'deployment/web', '--replicas=4']);
    await k(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(livePods('web-')).toHaveLength(4);

    await k(['set', 'image', 'deployment/web', 'nginx=nginx:2']);
    await k(['annotate', 'deployment/web', 'kubernetes.io/change-cause=bump to 2']);
    expect(await k(['rollout', 'status', 'deployment/web', '--timeout=30s'])).toContain(
      'successfully rolled out',
    );
    await eventually(() => livePods('web-').length === 4);
    const history = await k(['rollout', 'history', 'deployment/web']);
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE/);
    expect(history).toMatch(/^1\s+<none>$/m);
    expect(history).toMatch(/^2\s+bump to 2$/m);
    expect(await k(['rollout', 'history', 'deployment/web', '--revision=1'])).toContain('nginx:1');

    expect(await k(['rollout', 'undo', 'deployment/web'])).toContain('rolled back');
    await k(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    await eventually(
      () =>
        livePods('web-').length === 4 &&
        livePods('web-').every(
          (p) => (p.spec as { containers: Array<{ image: string }> }).containers[0].image === 'nginx:1',
        ),
    );
    expect(await k(['rollout', 'history', 'deployment/web'])).toMatch(/^3\s+/m);

    await k(['rollout', 'restart', 'deployment/web']);
    await k(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const rsCount = server.objectApi.list(REPLICA_SETS, { namespace: 'default' }).items.length;
    expect(rsCount).toBe(3);

    await k(['set', 'env', 'deployment/web', 'MODE=fast']);
    await k(['set', 'resources', 'deployment/web', '--limits=cpu=200m']);
    await k(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const pod = livePods('web-')[0];
    expect((pod.spec as { containers: Array<{ env: unknown }> }).containers[0].env).toEqual([
      { name: 'MODE', value: 'fast' },
    ]);

    const events = await k(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'wide']);
    expect(events).toMatch(
      /ScalingReplicaSet\s+deployment\/web\s+deployment-controller\s+Scaled up replica set web-\w+ to 2/,
    );
    const described = await k(['describe', 'rs', '-l', 'app=web']);
    expect(described).toMatch(/SuccessfulCreate\s+\S+\s+replicaset-controller\s+Created pod: web-/);

    await k(['delete', 'deployment', 'web']);
    await eventually(
      () =>
        server.objectApi.list(REPLICA_SETS, { namespace: 'default' }).items.length === 0 &&
        server.objectApi.list(PODS, { namespace: 'default' }).items.length === 0,
    );
  });

  it('a broken image stalls the rollout, rollout status fails on the deadline, undo recovers', async () => {
    const k = server.kubectlOk;
    await k(['create', 'deployment', 'api', '--image=nginx:1', '--replicas=3']);
    await k(['patch', 'deployment/api', '-p', '{"spec":{"progressDeadlineSeconds":3}}']);
    await k(['rollout', 'status', 'deployment/api', '--timeout=30s']);
    await k(['set', 'image', 'deployment/api', 'nginx=registry.invalid/broken:1']);
    const stalled = await server.kubectl(['rollout', 'status', 'deployment/api', '--timeout=30s']);
    expect(stalled.code).not.toBe(0);
    expect(stalled.stderr).toContain('deployment "api" exceeded its progress deadline');
    const serving = livePods('api-').filter(
      (p) => (p.spec as { containers: Array<{ image: string }> }).containers[0].image === 'nginx:1',
    );
    expect(serving).toHaveLength(3);
    await k(['rollout', 'undo', 'deployment/api']);
    expect(await k(['rollout', 'status', 'deployment/api', '--timeout=30s'])).toContain(
      'successfully rolled out',
    );
    await eventually(() => livePods('api-').length === 3);
    const d = server.objectApi.get(DEPLOYMENTS, 'default', 'api');
    expect((d.status as { conditions: Array<{ type: string; reason: string }> }).conditions).toContainEqual(
      expect.objectContaining({ type: 'Progressing', reason: 'NewReplicaSetAvailable' }),
    );
    await k(['delete', 'deployment', 'api', '--cascade=foreground']);
    await eventually(() => server.objectApi.list(PODS, { namespace: 'default' }).items.length === 0);
  });

  it('pause and resume', async () => {
    const k = server.kubectlOk;
    await k(['create', 'deployment', 'paused', '--image=nginx:1']);
    await k(['rollout', 'status', 'deployment/paused', '--timeout=30s']);
    await k(['rollout', 'pause', 'deployment/paused']);
    await k(['set', 'image', 'deployment/paused', 'nginx=nginx:2']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      livePods('paused-').map(
        (p) => (p.spec as { containers: Array<{ image: string }> }).containers[0].image,
      ),
    ).toEqual(['nginx:1']);
    await k(['rollout', 'resume', 'deployment/paused']);
    await k(['rollout', 'status', 'deployment/paused', '--timeout=30s']);
    await eventually(
      () =>
        livePods('paused-').length === 1 &&
        (livePods('paused-')[0].spec as { containers: Array<{ image: string }> }).containers[0].image ===
          'nginx:2',
    );
    await k(['delete', 'deployment', 'paused']);
  });

  it.each(['1.27', '1.33'])(
    'kubectl %s: set image, rollout undo --to-revision, history, status',
    async (version) => {
      const binary = KUBECTL_VERSIONS[version];
      const k = (args: string[]) => server.kubectlOk(args, { binary });
      const name = `v${version.replace('.', '')}`;
      await k(['create', 'deployment', name, '--image=nginx:1', '--replicas=2']);
      await k(['rollout', 'status', `deployment/${name}`, '--timeout=30s']);
      await k(['set', 'image', `deployment/${name}`, 'nginx=nginx:2']);
      await k(['rollout', 'status', `deployment/${name}`, '--timeout=30s']);
      await k(['set', 'image', `deployment/${name}`, 'nginx=nginx:3']);
      await k(['rollout', 'status', `deployment/${name}`, '--timeout=30s']);
      expect(await k(['rollout', 'undo', `deployment/${name}`, '--to-revision=1'])).toContain('rolled back');
      expect(await k(['rollout', 'status', `deployment/${name}`, '--timeout=30s'])).toContain(
        'successfully rolled out',
      );
      await eventually(
        () =>
          livePods(`${name}-`).length === 2 &&
          livePods(`${name}-`).every(
            (p) => (p.spec as { containers: Array<{ image: string }> }).containers[0].image === 'nginx:1',
          ),
      );
      const history = await k(['rollout', 'history', `deployment/${name}`]);
      const revisions = history
        .split('\n')
        .map((line) => line.trim().split(/\s+/)[0])
        .filter((word) => /^\d+$/.test(word));
      expect(revisions).toEqual(['2', '3', '4']);
      const described = await k(['describe', `deployment/${name}`]);
      expect(described).toMatch(/NewReplicaSet:\s+\S+ \(2\/2 replicas created\)/);
      expect(described).toContain('ScalingReplicaSet');
      await k(['delete', 'deployment', name]);
    },
  );

  it('500 Deployments applied at once all converge without duplicate pods', async () => {
    await server.kubectlOk(['create', 'namespace', 'burst']);
    const items = Array.from({ length: 500 }, (_, i) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `app-${i}`, namespace: 'burst' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: `app-${i}` } },
        template: {
          metadata: { labels: { app: `app-${i}` } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    }));
    await server.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
    });
    await eventually(
      () =>
        server.objectApi
          .list(DEPLOYMENTS, { namespace: 'burst' })
          .items.every(
            (d) => (d.status as { availableReplicas?: number } | undefined)?.availableReplicas === 1,
          ),
      120_000,
    );
    expect(server.objectApi.list(PODS, { namespace: 'burst' }).items).toHaveLength(500);
    expect(server.objectApi.list(REPLICA_SETS, { namespace: 'burst' }).items).toHaveLength(500);
    await server.kubectlOk(['delete', 'namespace', 'burst', '--wait=false']);
  });

  it('kubectl create token issues a token the verifier accepts', async () => {
    await eventually(async () => (await server.kubectl(['get', 'serviceaccount', 'default'])).code === 0);
    const token = (await server.kubectlOk(['create', 'token', 'default', '--duration=15m'])).trim();
    const user = controllers.serviceAccountTokens?.verifyServiceAccountToken(token);
    expect(user?.username).toBe('system:serviceaccount:default:default');
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as {
      exp: number;
      iat: number;
    };
    expect(claims.exp - claims.iat).toBe(900);
    const short = await server.kubectl(['create', 'token', 'default', '--duration=5m']);
    expect(short.code).not.toBe(0);
  });

  it('scales endpoints with a Service and deletes a namespace with its content', async () => {
    const k = server.kubectlOk;
    await k(['create', 'namespace', 'team']);
    await k(['-n', 'team', 'create', 'deployment', 'echo', '--image=echo', '--replicas=2', '--port=8080']);
    await k(['-n', 'team', 'expose', 'deployment', 'echo', '--port=80', '--target-port=8080']);
    await eventually(async () => {
      const out = await k([
        '-n',
        'team',
        'get',
        'endpoints',
        'echo',
        '-o',
        'jsonpath={.subsets[*].addresses[*].ip}',
      ]);
      return out.trim().split(/\s+/).filter(Boolean).length === 2;
    });
    await k(['delete', 'namespace', 'team', '--wait=true', '--timeout=60s']);
    const gone = await server.kubectl(['get', 'namespace', 'team']);
    expect(gone.code).not.toBe(0);
  });
});
