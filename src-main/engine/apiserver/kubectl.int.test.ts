import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson } from './http/respond';
import { KUBECTL_VERSIONS } from './testing/kubectl';
import { startTestApiServer } from './testing/test-api-server';
import type { TestApiServer } from './testing/test-api-server';

const CM = { group: '', version: 'v1', resource: 'configmaps' };

let s: TestApiServer;

beforeAll(async () => {
  s = await startTestApiServer();
});
afterAll(() => s?.close());

describe('kubectl: discovery and basics', () => {
  it('version', async () => {
    const out = await s.kubectlOk(['version']);
    expect(out).toMatch(/Server Version: v1\.\d+\.\d+/);
  });

  it('api-resources and api-versions', async () => {
    const resources = await s.kubectlOk(['api-resources']);
    expect(resources).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(resources).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    const versions = await s.kubectlOk(['api-versions']);
    expect(versions.split('\n')).toEqual(expect.arrayContaining(['v1', 'apps/v1', 'batch/v1']));
  });

  it('cluster-info', async () => {
    const out = await s.kubectlOk(['cluster-info']);
    expect(out).toContain(`Kubernetes control plane is running at https://127.0.0.1:${s.port}`);
  });

  it('get ns', async () => {
    const out = await s.kubectlOk(['get', 'ns']);
    expect(out).toMatch(/^NAME\s+STATUS\s+AGE$/m);
    expect(out).toMatch(/^default\s+Active\s+\d+s$/m);
    expect(out).toMatch(/^kube-system\s+Active/m);
  });

  it('auth whoami', async () => {
    const out = await s.kubectlOk(['auth', 'whoami']);
    expect(out).toMatch(/Username\s+kubedesk-user/);
    expect(out).toMatch(/Groups\s+\[system:masters system:authenticated\]/);
  });

  it('auth can-i', async () => {
    expect((await s.kubectlOk(['auth', 'can-i', 'create', 'pods'])).trim()).toBe('yes');
  });
});

describe('kubectl: create with every supported version', () => {
  it.each(['default', '1.27', '1.33'])(
    'kubectl %s creates namespace, configmap and deployment',
    async (version) => {
      const binary = version === 'default' ? undefined : KUBECTL_VERSIONS[version];
      const suffix = version.replace('.', '');
      const ns = `team-${suffix}`;
      expect(await s.kubectlOk(['create', 'namespace', ns], { binary })).toBe(`namespace/${ns} created\n`);
      expect(
        await s.kubectlOk(['-n', ns, 'create', 'configmap', 'cfg', '--from-literal=a=b'], { binary }),
      ).toBe('configmap/cfg created\n');
      expect(
        await s.kubectlOk(['-n', ns, 'create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2'], {
          binary,
        }),
      ).toBe('deployment.apps/web created\n');
      const cm = JSON.parse(
        await s.kubectlOk(['-n', ns, 'get', 'configmap', 'cfg', '-o', 'json'], { binary }),
      );
      expect(cm.data).toEqual({ a: 'b' });
      const deploy = JSON.parse(
        await s.kubectlOk(['-n', ns, 'get', 'deploy', 'web', '-o', 'json'], { binary }),
      );
      expect(deploy.spec.replicas).toBe(2);
      expect(deploy.spec.template.spec.containers[0].image).toBe('nginx:1.27');
      expect(deploy.metadata.generation).toBe(1);
    },
  );

  it('rejects an invalid object with the Invalid message', async () => {
    const file = join(s.dir, 'bad.yaml');
    await writeFile(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bad\nspec:\n  replicas: -1\n  selector:\n    matchLabels: {app: bad}\n  template:\n    metadata:\n      labels: {app: bad}\n    spec:\n      containers: [{name: c, image: nginx}]\n',
    );
    const r = await s.kubectl(['create', '-f', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    const typed = await s.kubectl(['create', 'deployment', 'bad', '--image=nginx', '--replicas=-1']);
    expect(typed.stderr).toMatch(/"bad" is invalid: spec\.replicas: Invalid value: -1/);
  });

  it('reports AlreadyExists', async () => {
    await s.kubectlOk(['create', 'configmap', 'dup']);
    const r = await s.kubectl(['create', 'configmap', 'dup']);
    expect(r.stderr).toContain('configmaps "dup" already exists');
    const file = join(s.dir, 'dup.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n');
    const again = await s.kubectl(['create', '-f', file]);
    expect(again.stderr).toContain('Error from server (AlreadyExists): error when creating');
  });
});

const manifest = (replicas: number, color: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  labels:
    app: shop
data:
  color: ${color}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels:
    app: shop
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: shop
  labels:
    app: shop
spec:
  selector:
    app: shop
  ports:
  - port: 80
    targetPort: 80
`;

describe('kubectl: apply', () => {
  it('creates, leaves unchanged, and configures a multi-document file', async () => {
    const file = join(s.dir, 'shop.yaml');
    await writeFile(file, manifest(1, 'blue'));
    const first = await s.kubectlOk(['apply', '-f', file]);
    expect(first).toContain('configmap/app-config created');
    expect(first).toContain('deployment.apps/shop created');
    expect(first).toContain('service/shop created');
    const second = await s.kubectlOk(['apply', '-f', file]);
    expect(second).toContain('configmap/app-config unchanged');
    expect(second).toContain('deployment.apps/shop unchanged');
    expect(second).toContain('service/shop unchanged');
    await writeFile(file, manifest(3, 'green'));
    const third = await s.kubectlOk(['apply', '-f', file]);
    expect(third).toContain('configmap/app-config configured');
    expect(third).toContain('deployment.apps/shop configured');
    expect(third).toContain('service/shop unchanged');
    const deploy = JSON.parse(await s.kubectlOk(['get', 'deploy', 'shop', '-o', 'json']));
    expect(deploy.spec.replicas).toBe(3);
    expect(deploy.metadata.generation).toBe(2);
    const svc = JSON.parse(await s.kubectlOk(['get', 'svc', 'shop', '-o', 'json']));
    expect(svc.spec.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
  });

  it('rejects unknown fields (Strict) or warns about them (Warn)', async () => {
    const file = join(s.dir, 'unknown.yaml');
    await writeFile(
      file,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unknown\nfoo: 1\ndata:\n  k: v\n',
    );
    const strict = await s.kubectl(['create', '-f', file]);
    expect(strict.stderr).toContain(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "foo"',
    );
    const warn = await s.kubectl(['create', '--validate=warn', '-f', file]);
    expect(warn.code).toBe(0);
    expect(warn.stderr).toContain('Warning: unknown field "foo"');
    expect(JSON.parse(await s.kubectlOk(['get', 'cm', 'unknown', '-o', 'json'])).foo).toBeUndefined();
  });

  it('applies server-side', async () => {
    const file = join(s.dir, 'ssa.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  k: v1\n');
    expect(await s.kubectlOk(['apply', '--server-side', '-f', file])).toBe(
      'configmap/ssa serverside-applied\n',
    );
    await writeFile(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  k: v2\n');
    expect(await s.kubectlOk(['apply', '--server-side', '-f', file])).toBe(
      'configmap/ssa serverside-applied\n',
    );
    const cm = JSON.parse(await s.kubectlOk(['get', 'cm', 'ssa', '-o', 'json', '--show-managed-fields']));
    expect(cm.data.k).toBe('v2');
    expect(cm.metadata.managedFields[0]).toMatchObject({ manager: 'kubectl', operation: 'Apply' });
  });
});

describe('kubectl: get', () => {
  beforeAll(async () => {
    await s.kubectlOk(['create', 'configmap', 'red', '--from-literal=x=1']);
    await s.kubectlOk(['label', 'configmap', 'red', 'color=red']);
    await s.kubectlOk(['create', 'configmap', 'green', '--from-literal=x=2']);
    await s.kubectlOk(['label', 'configmap', 'green', 'color=green']);
  });

  it('prints wide, yaml, json, jsonpath and name', async () => {
    expect(await s.kubectlOk(['get', 'cm', 'red', '-o', 'wide'])).toMatch(/^red\s+1\s+\d+s$/m);
    expect(await s.kubectlOk(['get', 'cm', 'red', '-o', 'yaml'])).toMatch(/^kind: ConfigMap$/m);
    expect(JSON.parse(await s.kubectlOk(['get', 'cm', 'red', '-o', 'json'])).data).toEqual({ x: '1' });
    expect(await s.kubectlOk(['get', 'cm', 'red', '-o', 'jsonpath={.data.x}'])).toBe('1');
    expect(await s.kubectlOk(['get', 'cm', '-l', 'color', '-o', 'name'])).toBe(
      'configmap/green\nconfigmap/red\n',
    );
  });

  it('filters with label and field selectors and lists all namespaces', async () => {
    expect(await s.kubectlOk(['get', 'cm', '-l', 'color in (red)', '-o', 'name'])).toBe('configmap/red\n');
    expect(await s.kubectlOk(['get', 'cm', '-l', 'color!=red,color', '-o', 'name'])).toBe(
      'configmap/green\n',
    );
    expect(await s.kubectlOk(['get', 'cm', '--field-selector', 'metadata.name=green', '-o', 'name'])).toBe(
      'configmap/green\n',
    );
    const all = await s.kubectlOk(['get', 'ns', 'default', 'kube-system']);
    expect(all).toContain('kube-system');
    const everywhere = await s.kubectlOk(['get', 'svc', '-A']);
    expect(everywhere).toMatch(/^NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP/m);
    expect(everywhere).toMatch(/^default\s+kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP/m);
    const labels = await s.kubectlOk(['get', 'cm', 'red', '--show-labels']);
    expect(labels).toMatch(/color=red/);
  });

  it('pages with --chunk-size', async () => {
    const out = await s.kubectlOk(['get', 'ns', '--chunk-size=1', '-o', 'name']);
    expect(out).toContain('namespace/kube-system');
  });

  it('watches a change made by another client', async () => {
    // -v=6 logs the watch request once the server has answered it, so the change below
    // cannot slip in before the watch starts.
    const watchOpen = /watch=true.*200 OK/;
    const w = s.spawnKubectl(['get', 'cm', 'red', '-w', '-v=6', '-o', 'jsonpath={.data.x}{"\\n"}']);
    await w.waitFor(watchOpen, 20_000, 'stderr');
    s.objectApi.patch(CM, 'default', 'red', 'merge', { data: { x: '42' } });
    await w.waitFor('42\n');
    w.stop();
    const table = s.spawnKubectl(['get', 'cm', '-w', '-v=6']);
    await table.waitFor(watchOpen, 20_000, 'stderr');
    s.objectApi.create(CM, 'default', { metadata: { name: 'late' }, data: {} });
    await table.waitFor(/^late\s+0/m);
    table.stop();
    expect(table.output()).toMatch(/^red\s+1/m);
    expect(table.output().match(/^NAME\s+DATA\s+AGE$/gm)).toHaveLength(1);
  });

  it('describes', async () => {
    const out = await s.kubectlOk(['describe', 'cm', 'red']);
    expect(out).toMatch(/^Name:\s+red$/m);
    expect(out).toMatch(/^Labels:\s+color=red$/m);
    const deploy = await s.kubectlOk(['describe', 'deploy', 'shop']);
    expect(deploy).toMatch(/^Replicas:\s+3 desired/m);
  });

  it('answers NotFound', async () => {
    const r = await s.kubectl(['get', 'cm', 'nope']);
    expect(r.stderr).toContain('Error from server (NotFound): configmaps "nope" not found');
  });
});

describe('kubectl: change and delete', () => {
  it('edits with an editor script', async () => {
    await s.kubectlOk(['create', 'configmap', 'editme', '--from-literal=v=old']);
    const editor = join(s.dir, 'editor.sh');
    await writeFile(editor, '#!/bin/sh\nsed -i "s/v: old/v: new/" "$1"\n', { mode: 0o755 });
    expect(await s.kubectlOk(['edit', 'cm', 'editme'], { env: { KUBE_EDITOR: editor } })).toBe(
      'configmap/editme edited\n',
    );
    expect(await s.kubectlOk(['get', 'cm', 'editme', '-o', 'jsonpath={.data.v}'])).toBe('new');
  });

  it('patches with json, merge and strategic patches', async () => {
    await s.kubectlOk(['create', 'configmap', 'p', '--from-literal=a=1']);
    await s.kubectlOk(['patch', 'cm', 'p', '--type=merge', '-p', '{"data":{"b":"2"}}']);
    await s.kubectlOk(['patch', 'cm', 'p', '--type=json', '-p', '[{"op":"remove","path":"/data/a"}]']);
    expect(JSON.parse(await s.kubectlOk(['get', 'cm', 'p', '-o', 'json'])).data).toEqual({ b: '2' });
    const out = await s.kubectlOk([
      'patch',
      'deploy',
      'shop',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}',
    ]);
    expect(out).toBe('deployment.apps/shop patched\n');
    const deploy = JSON.parse(await s.kubectlOk(['get', 'deploy', 'shop', '-o', 'json']));
    expect(deploy.spec.template.spec.containers).toHaveLength(1);
    expect(deploy.spec.template.spec.containers[0]).toMatchObject({
      name: 'web',
      image: 'nginx:1.28',
      ports: [{ containerPort: 80 }],
    });
    expect(await s.kubectlOk(['scale', 'deploy', 'shop', '--replicas=5'])).toBe(
      'deployment.apps/shop scaled\n',
    );
    expect(await s.kubectlOk(['get', 'deploy', 'shop', '-o', 'jsonpath={.spec.replicas}'])).toBe('5');
  });

  it('labels and annotates', async () => {
    await s.kubectlOk(['create', 'configmap', 'tags']);
    expect(await s.kubectlOk(['label', 'cm', 'tags', 'tier=web'])).toBe('configmap/tags labeled\n');
    expect(await s.kubectlOk(['annotate', 'cm', 'tags', 'note=hi'])).toBe('configmap/tags annotated\n');
    const cm = JSON.parse(await s.kubectlOk(['get', 'cm', 'tags', '-o', 'json']));
    expect(cm.metadata.labels).toEqual({ tier: 'web' });
    expect(cm.metadata.annotations).toEqual({ note: 'hi' });
    expect(await s.kubectlOk(['label', 'cm', 'tags', 'tier-'])).toBe('configmap/tags unlabeled\n');
  });

  it('replaces with a stale resourceVersion → Conflict', async () => {
    await s.kubectlOk(['create', 'configmap', 'rep']);
    const yaml = await s.kubectlOk(['get', 'cm', 'rep', '-o', 'yaml']);
    await s.kubectlOk(['label', 'cm', 'rep', 'x=y']);
    const file = join(s.dir, 'rep.yaml');
    await writeFile(file, yaml);
    const r = await s.kubectl(['replace', '-f', file]);
    expect(r.stderr).toContain(
      'Operation cannot be fulfilled on configmaps "rep": the object has been modified',
    );
  });

  it('deletes by name, label, file and --all', async () => {
    await s.kubectlOk(['create', 'namespace', 'trash']);
    for (const n of ['a', 'b', 'c', 'd']) await s.kubectlOk(['-n', 'trash', 'create', 'configmap', n]);
    await s.kubectlOk(['-n', 'trash', 'label', 'cm', 'b', 'kill=yes']);
    expect(await s.kubectlOk(['-n', 'trash', 'delete', 'cm', 'a'])).toBe('configmap "a" deleted\n');
    expect(await s.kubectlOk(['-n', 'trash', 'delete', 'cm', '-l', 'kill=yes'])).toBe(
      'configmap "b" deleted\n',
    );
    const file = join(s.dir, 'c.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: trash\n');
    expect(await s.kubectlOk(['delete', '-f', file])).toBe('configmap "c" deleted\n');
    expect(await s.kubectlOk(['-n', 'trash', 'delete', 'cm', '--all'])).toContain('configmap "d" deleted');
    expect((await s.kubectl(['-n', 'trash', 'get', 'cm'])).stderr).toContain(
      'No resources found in trash namespace.',
    );
    expect(await s.kubectlOk(['delete', 'namespace', 'trash', '--wait=false'])).toBe(
      'namespace "trash" deleted\n',
    );
    const ns = JSON.parse(await s.kubectlOk(['get', 'ns', 'trash', '-o', 'json']));
    expect(ns.status.phase).toBe('Terminating');
    const r = await s.kubectl(['-n', 'trash', 'create', 'configmap', 'late']);
    expect(r.stderr).toContain(
      'unable to create new content in namespace trash because it is being terminated',
    );
  });
});

describe('kubectl: code-served resources', () => {
  it('top pods reads a virtual metrics.k8s.io resource', async () => {
    s.extensions.registerVirtualResource({
      definition: {
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        kind: 'PodMetrics',
        listKind: 'PodMetricsList',
        plural: 'pods',
        singular: '',
        namespaced: true,
        verbs: ['get', 'list'],
        subresources: [],
        hasStatusSubresource: false,
        table: { columns: [], cells: () => [] },
      },
      handle: (request, res) => {
        const item = {
          metadata: {
            name: 'busy',
            namespace: request.namespace ?? 'default',
            creationTimestamp: new Date().toISOString(),
          },
          timestamp: new Date().toISOString(),
          window: '10s',
          containers: [{ name: 'c', usage: { cpu: '250m', memory: '64Mi' } }],
        };
        if (request.verb === 'get')
          sendJson(res, 200, { kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', ...item });
        else
          sendJson(res, 200, {
            kind: 'PodMetricsList',
            apiVersion: 'metrics.k8s.io/v1beta1',
            metadata: {},
            items: [item],
          });
      },
    });
    s.extensions.registerPathHandler('/healthz/extra', {
      handle: (_req, res) => sendJson(res, 200, { ok: true }),
    });
    const out = await s.kubectlOk(['top', 'pods']);
    expect(out).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*$/m);
    expect(out).toMatch(/^busy\s+250m\s+64Mi\s*$/m);
    expect(await s.kubectlOk(['get', '--raw', '/healthz/extra'])).toBe('{"ok":true}');
  });
});
