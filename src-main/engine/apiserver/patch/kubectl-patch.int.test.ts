import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer } from '../testing/test-api-server';
import type { TestApiServer } from '../testing/test-api-server';

/**
 * The real kubectl against the real API server: every patch flavour kubectl uses ends in the
 * object and managedFields Kubernetes would store.
 */
let s: TestApiServer;

beforeAll(async () => {
  s = await startTestApiServer();
});
afterAll(() => s?.close());

const deployment = (opts: {
  name: string;
  replicas: number;
  image: string;
  env: string[];
  sidecar: boolean;
}): string => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${opts.name}
  labels:
    app: ${opts.name}
spec:
  replicas: ${opts.replicas}
  selector:
    matchLabels:
      app: ${opts.name}
  template:
    metadata:
      labels:
        app: ${opts.name}
    spec:
      containers:
      - name: web
        image: ${opts.image}
        ports:
        - containerPort: 80
        env:
${opts.env.map((e) => `        - name: ${e}\n          value: "${e.toLowerCase()}"`).join('\n')}
${opts.sidecar ? '      - name: sidecar\n        image: busybox\n        args: ["sleep", "3600"]\n' : ''}`;

type Json = Record<string, unknown>;
interface Deploy {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string>; managedFields?: Json[] };
  spec: {
    replicas: number;
    template: { metadata: { annotations?: Record<string, string> }; spec: { containers: Json[] } };
  };
}

async function getDeploy(name: string): Promise<Deploy> {
  return JSON.parse(
    await s.kubectlOk(['get', 'deploy', name, '-o', 'json', '--show-managed-fields']),
  ) as Deploy;
}

const managers = (d: Deploy): string[][] =>
  (d.metadata.managedFields ?? []).map((e) => [String(e.manager), String(e.operation)]);

describe('kubectl patch flows against the API server', () => {
  it('client-side apply twice: three-way strategic merge patch', async () => {
    const file = join(s.dir, 'web.yaml');
    await writeFile(
      file,
      deployment({ name: 'web', replicas: 2, image: 'nginx:1', env: ['A', 'B'], sidecar: true }),
    );
    expect(await s.kubectlOk(['apply', '-f', file])).toBe('deployment.apps/web created\n');
    await writeFile(
      file,
      deployment({ name: 'web', replicas: 3, image: 'nginx:2', env: ['B', 'C'], sidecar: false }),
    );
    expect(await s.kubectlOk(['apply', '-f', file])).toBe('deployment.apps/web configured\n');
    const d = await getDeploy('web');
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers).toHaveLength(1);
    expect(d.spec.template.spec.containers[0]).toMatchObject({
      name: 'web',
      image: 'nginx:2',
      env: [
        { name: 'B', value: 'b' },
        { name: 'C', value: 'c' },
      ],
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
    expect(managers(d)).toEqual([['kubectl-client-side-apply', 'Update']]);
  });

  it('set image, rollout restart, scale, label, annotate record their own managers', async () => {
    await s.kubectlOk(['set', 'image', 'deploy/web', 'web=nginx:9']);
    await s.kubectlOk(['rollout', 'restart', 'deploy/web']);
    await s.kubectlOk(['scale', 'deploy/web', '--replicas=5']);
    await s.kubectlOk(['label', 'deploy', 'web', 'env=prod']);
    await s.kubectlOk(['annotate', 'deploy', 'web', 'note=x']);
    const d = await getDeploy('web');
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:9');
    expect(d.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-/);
    expect(d.spec.replicas).toBe(5);
    expect(d.metadata.labels).toEqual({ app: 'web', env: 'prod' });
    expect(d.metadata.annotations?.note).toBe('x');
    const byManager = Object.fromEntries((d.metadata.managedFields ?? []).map((e) => [String(e.manager), e]));
    expect(byManager['kubectl-set']?.fieldsV1).toEqual({
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } } },
    });
    expect(byManager['kubectl-rollout']?.fieldsV1).toEqual({
      'f:spec': {
        'f:template': {
          'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/restartedAt': {} } },
        },
      },
    });
    // kubectl scale sends no fieldManager: the manager comes from the User-Agent, as in Kubernetes.
    const scaled = (d.metadata.managedFields ?? []).find((e) => e.subresource === 'scale');
    expect(scaled).toMatchObject({
      manager: 'kubectl',
      operation: 'Update',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    });
    expect(byManager['kubectl-label']?.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:env': {} } } });
  });

  it('kubectl edit', async () => {
    const r = await s.kubectl(['edit', 'deploy/web'], { env: { EDITOR: 'sed -i s/nginx:9/nginx:10/' } });
    expect(r.stdout).toBe('deployment.apps/web edited\n');
    const d = await getDeploy('web');
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:10');
    expect(managers(d)).toContainEqual(['kubectl-edit', 'Update']);
  });

  it('server-side apply by another manager conflicts, then forces', async () => {
    const file = join(s.dir, 'other.yaml');
    await writeFile(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 7\n',
    );
    const r = await s.kubectl(['apply', '--server-side', '--field-manager=other', '-f', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas\nPlease review the fields above--they currently have other managers.',
    );
    await s.kubectlOk(['apply', '--server-side', '--force-conflicts', '--field-manager=other', '-f', file]);
    const d = await getDeploy('web');
    expect(d.spec.replicas).toBe(7);
    expect(managers(d)[0]).toEqual(['other', 'Apply']);
    expect((d.metadata.managedFields ?? []).some((e) => e.subresource === 'scale')).toBe(false);
  });

  it('switching from client-side to server-side apply with kubectl', async () => {
    const file = join(s.dir, 'api.yaml');
    await writeFile(
      file,
      deployment({ name: 'api', replicas: 2, image: 'nginx:1', env: ['A', 'B'], sidecar: true }),
    );
    await s.kubectlOk(['apply', '-f', file]);
    await writeFile(
      file,
      deployment({ name: 'api', replicas: 3, image: 'nginx:2', env: ['B'], sidecar: false }),
    );
    expect(await s.kubectlOk(['apply', '--server-side', '-f', file])).toBe(
      'deployment.apps/api serverside-applied\n',
    );
    const d = await getDeploy('api');
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers.map((c) => c.name)).toEqual(['web']);
    expect(d.spec.template.spec.containers[0]).toMatchObject({
      image: 'nginx:2',
      env: [{ name: 'B', value: 'b' }],
    });
    expect(managers(d)).toContainEqual(['kubectl', 'Apply']);
  });

  it('JSON patch test failures come back as Kubernetes words them', async () => {
    const r = await s.kubectl([
      'patch',
      'deploy',
      'web',
      '--type=json',
      '-p',
      '[{"op":"test","path":"/spec/replicas","value":1}]',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('testing value /spec/replicas failed: test failed');
  });
});
