import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packBuildContext } from './build-context';
import { ImageError } from './image-error';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'build-context-'));
  await mkdir(join(dir, 'src'));
  await mkdir(join(dir, 'node_modules/pkg'), { recursive: true });
  await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\n');
  await writeFile(join(dir, 'src/main.js'), 'main\n');
  await writeFile(join(dir, 'src/main.test.js'), 'test\n');
  await writeFile(join(dir, 'node_modules/pkg/index.js'), 'dep\n');
  await writeFile(join(dir, 'secret.env'), 'x\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function entries(tar: NodeJS.ReadableStream): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const reader = extract();
  await new Promise<void>((resolve, reject) => {
    reader.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => chunks.push(Buffer.from(chunk as Uint8Array)));
      stream.on('end', () => {
        if (header.type === 'file') files.set(header.name, Buffer.concat(chunks).toString());
        next();
      });
    });
    reader.on('finish', resolve);
    reader.on('error', reject);
    tar.pipe(reader);
  });
  return files;
}

describe('packBuildContext', () => {
  it('sends everything without a .dockerignore', async () => {
    const context = await packBuildContext(dir);
    expect(context.dockerfile).toBe('Dockerfile');
    expect([...(await entries(context.tar)).keys()].sort()).toEqual([
      'Dockerfile',
      'node_modules/pkg/index.js',
      'secret.env',
      'src/main.js',
      'src/main.test.js',
    ]);
  });

  it('leaves out what .dockerignore excludes, keeps exceptions, and always sends the Dockerfile', async () => {
    await writeFile(join(dir, '.dockerignore'), 'node_modules\n*.env\nsrc/*.js\n!src/main.js\nDockerfile\n');
    const files = await entries((await packBuildContext(dir)).tar);
    expect([...files.keys()].sort()).toEqual(['.dockerignore', 'Dockerfile', 'src/main.js']);
  });

  it('names a Dockerfile inside the context by its path there, and adds one from outside', async () => {
    await writeFile(join(dir, 'src/app.Dockerfile'), 'FROM inside\n');
    const inside = await packBuildContext('.', 'src/app.Dockerfile', dir);
    expect(inside.dockerfile).toBe('src/app.Dockerfile');
    inside.tar.resume();

    const outsideDir = await mkdtemp(join(tmpdir(), 'build-outside-'));
    try {
      await writeFile(join(outsideDir, 'Dockerfile.prod'), 'FROM outside\n');
      const outside = await packBuildContext(dir, join(outsideDir, 'Dockerfile.prod'));
      expect(outside.dockerfile).toMatch(/^\.dockerfile\.[0-9a-f]+$/);
      const files = await entries(outside.tar);
      expect(files.get(outside.dockerfile)).toBe('FROM outside\n');
      expect(files.has('src/main.js')).toBe(true);
    } finally {
      await rm(outsideDir, { recursive: true, force: true });
    }
  });

  it('says what is missing, with a fix', async () => {
    await expect(packBuildContext(join(dir, 'nope'))).rejects.toThrow(ImageError);
    await expect(packBuildContext(join(dir, 'nope'))).rejects.toThrow(/Build context .* does not exist/);
    await expect(packBuildContext(join(dir, 'src'))).rejects.toThrow(/No Dockerfile at .*src\/Dockerfile/);
    await expect(packBuildContext(join(dir, 'Dockerfile'))).rejects.toThrow(/is not a folder/);
  });
});
