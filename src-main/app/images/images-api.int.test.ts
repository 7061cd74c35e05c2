/**
 * The image API the dashboard calls, against the real Docker engine and a real registry
 * container on a loopback port: progress events for build, push and pull, and cancellation.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageProgressEvent } from './progress';
import { buildImage, ImageError, listImages, pullImage, pushImage, removeImage } from '.';

const BASE_IMAGE = process.env.KUBEDESK_TEST_IMAGE ?? 'kubedesk-test/busybox:1';
const REGISTRY_IMAGE = process.env.KUBEDESK_REGISTRY_IMAGE ?? 'kubedesk-test/registry:1';
const suffix = randomBytes(3).toString('hex');
const registryName = `kubedesk-it-registry-${suffix}`;

let dir: string;
let registry: string;

function docker(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`docker ${args.join(' ')}: ${stderr}`)) : resolve(stdout.trim()),
    );
  });
}

async function registryAnswers(): Promise<boolean> {
  try {
    return (await fetch(`http://${registry}/v2/`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-images-api-'));
  await docker('run', '-d', '--name', registryName, '-p', '127.0.0.1::5000', REGISTRY_IMAGE);
  const published = await docker('port', registryName, '5000/tcp');
  registry = `localhost:${published.split(':').pop()}`;
  const deadline = Date.now() + 30_000;
  while (!(await registryAnswers())) {
    if (Date.now() > deadline) throw new Error(`the test registry did not answer on ${registry}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

afterAll(async () => {
  await docker('rm', '-f', registryName).catch(() => undefined);
  await docker('rmi', '-f', `${registry}/api-${suffix}:1`).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('image API', () => {
  const image = () => `${registry}/api-${suffix}:1`;

  it('builds with step and output events, and lists the result', async () => {
    await writeFile(join(dir, 'Dockerfile'), `FROM ${BASE_IMAGE}\nRUN echo built-${suffix} > /built\n`);
    const events: ImageProgressEvent[] = [];
    const built = await buildImage({
      context: dir,
      tags: [image()],
      noCache: true,
      onProgress: (e) => events.push(e),
    });
    expect(built.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(events.filter((e) => e.type === 'step').map((e) => (e.type === 'step' ? e.step : 0))).toEqual([
      1, 2,
    ]);
    expect(events).toContainEqual({ type: 'output', text: `Successfully tagged ${image()}` });
    const images = await listImages();
    expect(images).toContainEqual(
      expect.objectContaining({
        repository: `${registry}/api-${suffix}`,
        tag: '1',
        id: built.id.slice(7, 19),
      }),
    );
  });

  it('pushes with per-layer events and a digest, and pulls it back', async () => {
    const pushed: ImageProgressEvent[] = [];
    const { digest } = await pushImage(image(), { onProgress: (e) => pushed.push(e) });
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(
      pushed.some(
        (e) => e.type === 'layer' && (e.status === 'Pushed' || e.status === 'Layer already exists'),
      ),
    ).toBe(true);

    await removeImage(image());
    const pulled: ImageProgressEvent[] = [];
    await pullImage(image(), { onProgress: (e) => pulled.push(e) });
    expect(
      pulled.some((e) => e.type === 'status' && e.text.startsWith('Status: Downloaded newer image')),
    ).toBe(true);
    expect(await docker('run', '--rm', image(), 'cat', '/built')).toBe(`built-${suffix}`);
  });

  it('reports a pull of a name the registry does not have', async () => {
    await expect(pullImage(`${registry}/missing-${suffix}:1`)).rejects.toThrow(ImageError);
    await expect(pullImage(`${registry}/missing-${suffix}:1`)).rejects.toThrow(
      /was not found in localhost:\d+/,
    );
  });

  it('cancels a build when the signal aborts', async () => {
    await writeFile(join(dir, 'Dockerfile'), `FROM ${BASE_IMAGE}\nRUN sleep 20\n`);
    const controller = new AbortController();
    const started = Date.now();
    const build = buildImage({
      context: dir,
      tags: [`kubedesk-it/cancelled-${suffix}:1`],
      noCache: true,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.type === 'step' && event.step === 2) setTimeout(() => controller.abort(), 300);
      },
    });
    await expect(build).rejects.toThrow('The build was cancelled.');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
