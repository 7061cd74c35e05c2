/**
 * The inner loop from code to running pod, as a user drives it: a real engine, the registry
 * addon, images built and pushed through `kubedesk image`, a Deployment on `:latest` that
 * pulls from the registry through the host's Docker engine, and `kubectl rollout restart`.
 *
 * The app is reached from the host through a NodePort Service.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliTestProfile, expectSuccess } from '../../../../test/harness/kubedesk-cli';

const BASE_IMAGE = process.env.KUBEDESK_TEST_IMAGE ?? 'kubedesk-test/busybox:1';

const cli = cliTestProfile({
  namePrefix: 'reg-',
  homePrefix: 'kubedesk-registry-int-',
  kubectlRequestTimeout: '30s',
  kubectlTimeoutMs: 120_000,
});
const { name: profile, kubedesk, kubectl, docker } = cli;

let appDir: string;
let registry: string;

async function writeApp(content: string): Promise<void> {
  await writeFile(join(appDir, 'index.html'), `${content}\n`);
}

let nodePort = 0;

/** What the app answers through its NodePort on the host, or '' while it does not answer. */
async function served(): Promise<string> {
  try {
    const response = await fetch(`http://127.0.0.1:${nodePort}/`, { signal: AbortSignal.timeout(3_000) });
    return response.ok ? (await response.text()).trim() : '';
  } catch {
    return '';
  }
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  await cli.createHome();
  appDir = join(cli.home, 'app');
  await cli.run('mkdir', ['-p', appDir]);
  await writeFile(
    join(appDir, 'Dockerfile'),
    `FROM ${BASE_IMAGE}\nCOPY index.html /www/index.html\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n`,
  );
  await writeFile(join(appDir, '.dockerignore'), 'secret.txt\n');
  await writeFile(join(appDir, 'secret.txt'), 'not for the image\n');
});

afterAll(async () => {
  await cli.deleteProfile();
  if (registry) {
    // Every copy of the app image: tags, and the digests the kubelet pulled.
    const ids = (
      await docker('images', '-q', '--filter', `reference=${registry}/app-${profile}`)
    ).stdout.trim();
    if (ids) await docker('rmi', '-f', ...new Set(ids.split('\n')));
  }
  // The registry wrote its storage as root inside the container; remove it the same way.
  await docker('run', '--rm', '-v', `${cli.home}:/h`, BASE_IMAGE, 'rm', '-rf', '/h/profiles');
  await cli.removeHome();
});

describe('registry addon: build, push, deploy, rebuild, restart', () => {
  const image = () => `${registry}/app-${profile}:latest`;

  it('enables the registry on a running cluster and shows its address', async () => {
    expectSuccess(await kubedesk('start'));
    const before = JSON.parse(expectSuccess(await kubedesk('addons', 'list', '-o', 'json')).stdout) as {
      name: string;
      state: string;
    }[];
    expect(before.map((addon) => addon.name)).toEqual(['ingress', 'metrics-server', 'registry']);
    expect(before.find((addon) => addon.name === 'registry')?.state).toBe('disabled');

    const enabled = expectSuccess(await kubedesk('addons', 'enable', 'registry', '--wait-timeout', '120'));
    const address = /at (localhost:\d+)/.exec(enabled.stdout)?.[1];
    expect(address, enabled.stdout).toBeDefined();
    registry = address ?? '';

    const listed = expectSuccess(await kubedesk('addons', 'list'));
    expect(listed.stdout).toMatch(new RegExp(`registry\\s+enabled\\s+${registry}`));
    const views = JSON.parse(
      expectSuccess(await kubedesk('addons', 'list', '-o', 'json')).stdout,
    ) as unknown[];
    expect(views).toContainEqual(
      expect.objectContaining({ name: 'registry', state: 'enabled', address: registry, serving: true }),
    );
    const claim = expectSuccess(
      await kubectl('get', 'pvc', 'registry-storage', '-n', 'kube-system', '-o', 'jsonpath={.status.phase}'),
    );
    expect(claim.stdout).toBe('Bound');
    expectSuccess(await kubectl('get', 'service', 'registry', '-n', 'kube-system'));
  });

  it('builds an app image, pushes it, and a :latest Deployment serves it', async () => {
    await writeApp('hello v1');
    const built = expectSuccess(await kubedesk('image', 'build', '-t', image(), appDir));
    expect(built.stdout).toContain('Step 1/3 : FROM');
    expect(built.stdout).toContain(`✓ Built ${image()}`);
    // .dockerignore kept secret.txt out of the context.
    const listing = await docker('run', '--rm', image(), 'ls', '/www');
    expect(listing.stdout.trim()).toBe('index.html');

    const pushed = expectSuccess(await kubedesk('image', 'push', image()));
    expect(pushed.stdout).toMatch(/: (Pushed|Layer already exists)$/m);
    expect(pushed.stdout).toContain(`✓ Pushed ${image()}`);
    // Gone from the host: the pod can only get it from the registry.
    expectSuccess(await kubedesk('image', 'rm', image()));

    expectSuccess(await kubectl('create', 'deployment', 'app', `--image=${image()}`, '--port=8080'));
    expectSuccess(await kubectl('expose', 'deployment', 'app', '--type=NodePort', '--port=8080'));
    nodePort = Number(
      expectSuccess(await kubectl('get', 'service', 'app', '-o', 'jsonpath={.spec.ports[0].nodePort}'))
        .stdout,
    );
    expect(nodePort).toBeGreaterThan(0);
    await eventually(async () => (await served()) === 'hello v1', 'v1 to answer on the NodePort');
    const policy = await kubectl(
      'get',
      'deployment',
      'app',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].imagePullPolicy}',
    );
    expect(policy.stdout).toBe('Always');
  });

  it('ships new code with rebuild, push and kubectl rollout restart', async () => {
    await writeApp('hello v2');
    expectSuccess(await kubedesk('image', 'build', '-t', image(), appDir));
    expectSuccess(await kubedesk('image', 'push', image()));
    expectSuccess(await kubedesk('image', 'rm', image()));
    expectSuccess(await kubectl('rollout', 'restart', 'deployment/app'));
    expectSuccess(await kubectl('rollout', 'status', 'deployment/app', '--timeout=120s'));
    await eventually(async () => (await served()) === 'hello v2', 'v2 to answer on the NodePort');
    // Once the old pod is gone every answer is the new code.
    await eventually(async () => {
      const answers = await Promise.all([served(), served(), served()]);
      return answers.every((answer) => answer === 'hello v2');
    }, 'only v2 to answer');
  });

  it('keeps pushed images across stop and start', async () => {
    expectSuccess(await kubedesk('stop'));
    expectSuccess(await kubedesk('start'));
    await eventually(async () => (await docker('pull', image())).code === 0, 'the registry to serve again');
    const pulled = expectSuccess(await kubedesk('image', 'pull', image()));
    expect(pulled.stdout).toContain(`✓ Pulled ${image()}`);
    const content = await docker('run', '--rm', image(), 'cat', '/www/index.html');
    expect(content.stdout.trim()).toBe('hello v2');
    await eventually(
      async () => (await served()) === 'hello v2',
      'the app to answer again after the restart',
    );
  });

  it('disables the registry and keeps its storage claim', async () => {
    const disabled = expectSuccess(await kubedesk('addons', 'disable', 'registry'));
    expect(disabled.stdout).toContain('registry-storage');
    await eventually(
      async () => (await kubectl('get', 'deployment', 'registry', '-n', 'kube-system')).code !== 0,
      'the registry Deployment to go',
      60_000,
    );
    expectSuccess(await kubectl('get', 'pvc', 'registry-storage', '-n', 'kube-system'));
    const listed = expectSuccess(await kubedesk('addons', 'list'));
    expect(listed.stdout).toMatch(/registry\s+disabled/);
  });
});
