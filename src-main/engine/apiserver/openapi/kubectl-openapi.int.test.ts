import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProbeServer } from './kubectl-probe-server.fixture';
import type { ProbeServer } from './kubectl-probe-server.fixture';
import { SERVED_GROUP_VERSIONS, apiVersionString } from './served-resources';

const SDK_BIN = '/usr/lib/google-cloud-sdk/bin';
const KUBECTL_127 = join(SDK_BIN, 'kubectl.1.27');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

// The probe server runs in this process, so kubectl must run asynchronously.
function kubectl(server: ProbeServer, bin: string, args: string[]): Promise<Result> {
  const cache = join(server.dir, `cache-${bin.replace(/\W/g, '')}`);
  return new Promise((resolve) => {
    execFile(
      bin,
      ['--kubeconfig', server.kubeconfig, '--cache-dir', cache, ...args],
      { encoding: 'utf8', timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
`;

describe('real kubectl against the published OpenAPI', () => {
  let server: ProbeServer;

  beforeAll(async () => {
    server = await startProbeServer();
    writeFileSync(join(server.dir, 'deployment.yaml'), DEPLOYMENT);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('explains pod.spec.containers from the v3 document', async () => {
    const r = await kubectl(server, 'kubectl', ['explain', 'pod.spec.containers']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('FIELD: containers <[]Container>');
    expect(r.stdout).toContain('A single application container that you want to run within a pod.');
    for (const field of [
      'args\t<[]string>',
      'image\t<string>',
      'imagePullPolicy\t<string>',
      'ports\t<[]ContainerPort>',
    ]) {
      expect(r.stdout).toContain(field);
    }
    expect(r.stdout).toMatch(/name\t<string> -required-/);
    expect(server.requests.some((q) => q.url.startsWith('/openapi/v3/api/v1?hash='))).toBe(true);
  });

  it('explains deployment.spec.strategy', async () => {
    const r = await kubectl(server, 'kubectl', ['explain', 'deployment.spec.strategy']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('GROUP:      apps');
    expect(r.stdout).toContain('FIELD: strategy <DeploymentStrategy>');
    expect(r.stdout).toContain('rollingUpdate\t<RollingUpdateDeployment>');
    expect(r.stdout).toContain('enum: Recreate, RollingUpdate');
  });

  it.skipIf(!existsSync(KUBECTL_127))(
    'explains pod.spec with kubectl 1.27 from the v2 protobuf document',
    async () => {
      server.requests.length = 0;
      const r = await kubectl(server, KUBECTL_127, ['explain', 'pod.spec', '--output=plaintext-openapiv2']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('RESOURCE: spec <Object>');
      expect(r.stdout).toContain('PodSpec is a description of a pod.');
      expect(r.stdout).toMatch(/containers\t<\[\]Object> -required-/);
      const v2 = server.requests.find((q) => q.url.startsWith('/openapi/v2'));
      expect(v2?.accept).toContain('application/com.github.proto-openapi.spec.v2@v1.0+protobuf');
    },
  );

  it('names IntOrString and Quantity fields as Kubernetes does', async () => {
    const ports = await kubectl(server, 'kubectl', ['explain', 'service.spec.ports']);
    expect(ports.stdout).toContain('targetPort\t<IntOrString>');
    const resources = await kubectl(server, 'kubectl', ['explain', 'pod.spec.containers.resources']);
    expect(resources.stdout).toContain('limits\t<map[string]Quantity>');
  });

  it('explains every served kind, from v3 (1.32) and from v2 protobuf (1.27)', async () => {
    const bins = existsSync(KUBECTL_127) ? ['kubectl', KUBECTL_127] : ['kubectl'];
    const failures: string[] = [];
    for (const bin of bins) {
      for (const gv of SERVED_GROUP_VERSIONS) {
        for (const r of gv.resources) {
          const args = ['explain', `${r.plural}.metadata.name`, `--api-version=${apiVersionString(gv)}`];
          if (bin === KUBECTL_127) args.push('--output=plaintext-openapiv2');
          const res = await kubectl(server, bin, args);
          if (
            res.code !== 0 ||
            !res.stdout.includes('KIND:') ||
            !res.stdout.includes('Name must be unique')
          ) {
            failures.push(`${bin} ${r.plural} ${apiVersionString(gv)}: ${res.stderr.trim()}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('create -f --dry-run=server leaves validation to the server (fieldValidation=Strict)', async () => {
    server.requests.length = 0;
    const r = await kubectl(server, 'kubectl', [
      'create',
      '-f',
      join(server.dir, 'deployment.yaml'),
      '--dry-run=server',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('deployment.apps/web created (server dry run)');
    const post = server.requests.find((q) => q.method === 'POST');
    expect(post?.url).toMatch(/^\/apis\/apps\/v1\/namespaces\/default\/deployments\?/);
    const query = new URL(post?.url ?? '/', 'https://x').searchParams;
    expect(query.get('fieldValidation')).toBe('Strict');
    expect(query.get('dryRun')).toBe('All');
  });

  it.skipIf(!existsSync(KUBECTL_127))(
    'kubectl 1.27 finds fieldValidation support in the v2 protobuf document',
    async () => {
      server.requests.length = 0;
      const r = await kubectl(server, KUBECTL_127, [
        'create',
        '-f',
        join(server.dir, 'deployment.yaml'),
        '--dry-run=server',
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const post = server.requests.find((q) => q.method === 'POST');
      expect(new URL(post?.url ?? '/', 'https://x').searchParams.get('fieldValidation')).toBe('Strict');
    },
  );

  it('client-side apply creates with fieldValidation=Strict, then sends a strategic merge patch keyed by container name', async () => {
    const bins = existsSync(KUBECTL_127) ? ['kubectl', KUBECTL_127] : ['kubectl'];
    for (const [i, bin] of bins.entries()) {
      const ns = `apply-${i}`;
      const file = join(server.dir, `apply-${i}.yaml`);
      writeFileSync(file, DEPLOYMENT);
      server.requests.length = 0;
      const first = await kubectl(server, bin, ['apply', '-n', ns, '-f', file]);
      expect(first.stdout).toContain('deployment.apps/web created');
      const post = server.requests.find((q) => q.method === 'POST');
      expect(new URL(post?.url ?? '/', 'https://x').searchParams.get('fieldValidation')).toBe('Strict');

      writeFileSync(
        file,
        DEPLOYMENT.replace('image: nginx', 'image: nginx:2') + '      - name: side\n        image: busybox\n',
      );
      server.requests.length = 0;
      const second = await kubectl(server, bin, ['apply', '-n', ns, '-f', file]);
      expect(second.stderr).toBe('');
      expect(second.stdout).toContain('deployment.apps/web configured');
      const patch = server.requests.find((q) => q.method === 'PATCH');
      expect(patch?.url).toContain(`/apis/apps/v1/namespaces/${ns}/deployments/web?`);
      const body = JSON.parse(patch?.body ?? '{}');
      expect(body.spec.template.spec['$setElementOrder/containers']).toEqual([
        { name: 'web' },
        { name: 'side' },
      ]);
    }
  });

  const versions = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'].filter((v) =>
    existsSync(join(SDK_BIN, `kubectl.${v}`)),
  );
  it.each(versions)('kubectl %s explains ingress fields and server-validates a CronJob', async (v) => {
    const bin = join(SDK_BIN, `kubectl.${v}`);
    const explain = await kubectl(server, bin, [
      'explain',
      'ingress.spec.rules.http.paths.backend.service.port',
    ]);
    expect(explain.stderr).toBe('');
    expect(explain.stdout).toContain('FIELD: port <ServiceBackendPort>');
    const file = join(server.dir, `cronjob-${v}.yaml`);
    writeFileSync(
      file,
      [
        'apiVersion: batch/v1',
        'kind: CronJob',
        'metadata: {name: c}',
        'spec:',
        '  schedule: "* * * * *"',
        '  jobTemplate:',
        '    spec:',
        '      template:',
        '        spec:',
        '          restartPolicy: Never',
        '          containers: [{name: a, image: b}]',
        '',
      ].join('\n'),
    );
    server.requests.length = 0;
    const create = await kubectl(server, bin, ['create', '-f', file, '--dry-run=server']);
    expect(create.stderr).toBe('');
    expect(create.stdout).toContain('cronjob.batch/c created (server dry run)');
    const post = server.requests.find((q) => q.method === 'POST');
    expect(post?.url).toMatch(/^\/apis\/batch\/v1\/namespaces\/default\/cronjobs\?/);
    expect(new URL(post?.url ?? '/', 'https://x').searchParams.get('fieldValidation')).toBe('Strict');
  });
});
