import { describe, expect, it, vi } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { PushChannel, PushMap, Session } from '../../ipc/contract';
import type { ImageProgress } from '../../ipc/images';
import { createImageHandlers, deploymentManifest, progressMessage } from './handlers';

function fakeSession(): Session & { pushed: ImageProgress[] } {
  const pushed: ImageProgress[] = [];
  return {
    id: 's1',
    pushed,
    push<C extends PushChannel>(channel: C, payload: PushMap[C]) {
      if (channel === 'images.progress') pushed.push(payload as ImageProgress);
    },
    onClose() {},
  };
}

describe('progressMessage', () => {
  it('gives steps and output the lines the CLI prints', () => {
    expect(progressMessage('op', { type: 'step', step: 2, total: 3, instruction: 'COPY . /www' })).toEqual({
      operationId: 'op',
      kind: 'step',
      text: 'Step 2/3 : COPY . /www',
    });
    expect(progressMessage('op', { type: 'output', text: ' ---> 1a2b' }).text).toBe(' ---> 1a2b');
  });

  it('gives layers their id and percent of bytes moved', () => {
    const message = progressMessage('op', {
      type: 'layer',
      id: 'a1b2c3d4e5f6',
      status: 'Pushing',
      current: 2_500_000,
      total: 10_000_000,
    });
    expect(message).toEqual({
      operationId: 'op',
      kind: 'layer',
      layer: 'a1b2c3d4e5f6',
      percent: 25,
      text: 'a1b2c3d4e5f6: Pushing 2.5MB/10MB',
    });
    expect(progressMessage('op', { type: 'layer', id: 'a1b2c3d4e5f6', status: 'Pushed' }).percent).toBe(100);
    expect(
      progressMessage('op', { type: 'layer', id: 'a1b2c3d4e5f6', status: 'Preparing' }).percent,
    ).toBeUndefined();
  });
});

describe('image handlers', () => {
  const apply = vi.fn(async () => []);

  it('streams build progress to the session that asked, tagged with its operation id', async () => {
    const session = fakeSession();
    const handlers = createImageHandlers({
      apply,
      home: '/nowhere',
      env: {},
      images: {
        buildImage: async (options) => {
          options.onProgress?.({ type: 'step', step: 1, total: 1, instruction: 'FROM busybox' });
          options.onProgress?.({ type: 'output', text: 'Successfully built 1a2b' });
          expect(options.dockerfile).toBe('/ctx/sub/Dockerfile.dev');
          expect(options.buildArgs).toEqual({ A: '1' });
          return { id: 'sha256:1a2b', tags: options.tags };
        },
      },
    });
    const built = await handlers['images.build'](
      {
        operationId: 'b1',
        context: '/ctx',
        dockerfile: 'sub/Dockerfile.dev',
        tag: 'app:dev',
        buildArgs: { A: '1' },
      },
      session,
    );
    expect(built).toEqual({ id: 'sha256:1a2b', tags: ['app:dev'] });
    expect(session.pushed.map((m) => [m.operationId, m.kind, m.text])).toEqual([
      ['b1', 'step', 'Step 1/1 : FROM busybox'],
      ['b1', 'output', 'Successfully built 1a2b'],
    ]);
  });

  it('keeps only the latest line of a layer between flushes, and tags before pushing elsewhere', async () => {
    const session = fakeSession();
    const tagged: string[] = [];
    const handlers = createImageHandlers({
      apply,
      home: '/nowhere',
      env: {},
      images: {
        tagImage: async (source, target) => void tagged.push(`${source}->${target}`),
        pushImage: async (reference, options) => {
          options?.onProgress?.({ type: 'status', text: `The push refers to repository [${reference}]` });
          options?.onProgress?.({
            type: 'layer',
            id: 'aaaaaaaaaaaa',
            status: 'Pushing',
            current: 1,
            total: 4,
          });
          options?.onProgress?.({ type: 'layer', id: 'aaaaaaaaaaaa', status: 'Pushed' });
          return { digest: 'sha256:ff' };
        },
      },
    });
    const result = await handlers['images.push'](
      { operationId: 'p1', image: 'app:dev', target: 'localhost:5000/app:dev' },
      session,
    );
    expect(result).toEqual({ digest: 'sha256:ff' });
    expect(tagged).toEqual(['app:dev->localhost:5000/app:dev']);
    expect(session.pushed.map((m) => [m.kind, m.percent])).toEqual([
      ['status', undefined],
      ['layer', 100],
    ]);
  });

  it('flushes progress even when the build fails', async () => {
    const session = fakeSession();
    const handlers = createImageHandlers({
      apply,
      home: '/nowhere',
      env: {},
      images: {
        buildImage: async (options) => {
          options.onProgress?.({ type: 'step', step: 1, total: 1, instruction: 'RUN false' });
          throw new Error('The command returned a non-zero code: 1');
        },
      },
    });
    await expect(
      handlers['images.build']({ operationId: 'b2', context: '/ctx', tag: 'x:y' }, session),
    ).rejects.toThrow('non-zero');
    expect(session.pushed).toHaveLength(1);
  });

  it('deploys through apply and rejects names that are not DNS labels', async () => {
    const applied = vi.fn(async () => [{ kind: 'Deployment', name: 'web', action: 'created' as const }]);
    const handlers = createImageHandlers({ apply: applied, home: '/nowhere', env: {} });
    await handlers['images.deploy'](
      { cluster: 'profile:p', image: 'web:1', name: 'web', port: 8080 },
      fakeSession(),
    );
    expect(applied).toHaveBeenCalledWith('profile:p', expect.stringContaining('kind: Service'), 'default');
    await expect(
      handlers['images.deploy'](
        { cluster: 'profile:p', image: 'web:1', name: 'Web_1', port: 8080 },
        fakeSession(),
      ),
    ).rejects.toThrow('not a valid name');
  });
});

describe('deploymentManifest', () => {
  it('pulls :latest always and other tags only when missing', () => {
    const policy = (image: string) => {
      const [deployment] = parseAllDocuments(
        deploymentManifest({ cluster: 'c', image, name: 'web', port: 80 }),
      );
      const spec = parse(String(deployment)) as {
        spec: { template: { spec: { containers: { imagePullPolicy: string }[] } } };
      };
      return spec.spec.template.spec.containers[0].imagePullPolicy;
    };
    expect(policy('localhost:5000/web:latest')).toBe('Always');
    expect(policy('localhost:5000/web')).toBe('Always');
    expect(policy('kubedesk-test/web:1')).toBe('IfNotPresent');
  });

  it('puts a NodePort Service on the container port, selecting the Deployment pods', () => {
    const [, service] = parseAllDocuments(
      deploymentManifest({ cluster: 'c', image: 'web:1', name: 'web', port: 8080, pullPolicy: 'Never' }),
    ).map((doc) => doc.toJS() as { spec: Record<string, unknown> });
    expect(service.spec).toMatchObject({
      type: 'NodePort',
      selector: { app: 'web' },
      ports: [{ port: 8080, targetPort: 8080, protocol: 'TCP' }],
    });
  });
});
