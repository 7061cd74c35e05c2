/**
 * `kubedesk image` against the real Docker engine, no cluster needed: the failures users meet
 * most (bad Dockerfile, failing step, missing context, unreachable registry) each end in one
 * line with cause and fix and a non-zero exit; ls and rm round-trip.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const KUBEDESK = join(ROOT, 'bin/kubedesk.mjs');
const BASE_IMAGE = process.env.KUBEDESK_TEST_IMAGE ?? 'kubedesk-test/busybox:1';
const tag = `kubedesk-it/images-${randomBytes(3).toString('hex')}:1`;

let dir: string;

function kubedesk(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [KUBEDESK, ...args],
      { cwd: dir, env: { ...process.env, KUBEDESK_HOME: dir }, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** The last line of stderr, which must be the one `Error: cause. fix.` line. */
function errorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return lines[lines.length - 1];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-images-int-'));
});

afterAll(async () => {
  // One at a time: rm stops at the first name that is already gone.
  for (const name of [tag, `localhost:1/${tag}`]) await kubedesk('image', 'rm', '--force', name);
  await rm(dir, { recursive: true, force: true });
});

describe('kubedesk image', () => {
  it('reports an invalid Dockerfile with its line and a fix', async () => {
    await writeFile(join(dir, 'Dockerfile'), `FROM ${BASE_IMAGE}\nBOGUS instruction\n`);
    const result = await kubedesk('image', 'build', '-t', tag, '.');
    expect(result.code).not.toBe(0);
    expect(errorLine(result.stderr)).toMatch(
      /^Error: The Dockerfile is invalid: line 2: unknown instruction: BOGUS.*\. Fix line 2 of the Dockerfile and build again\.$/,
    );
  });

  it('reports the failing step with the command and its exit code', async () => {
    await writeFile(join(dir, 'Dockerfile'), `FROM ${BASE_IMAGE}\nRUN echo ok\nRUN false\n`);
    const result = await kubedesk('image', 'build', '-t', tag, '.');
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain('Step 3/3 : RUN false');
    expect(errorLine(result.stderr)).toBe(
      "Error: Build failed at Step 3/3 : RUN false: The command '/bin/sh -c false' returned a non-zero code: 1. " +
        'Fix that instruction in the Dockerfile (or what it runs) and build again.',
    );
  });

  it('reports a missing build context', async () => {
    const result = await kubedesk('image', 'build', '-t', tag, 'no-such-folder');
    expect(result.code).not.toBe(0);
    expect(errorLine(result.stderr)).toMatch(
      /^Error: Build context no-such-folder does not exist\. Pass the folder/,
    );
  });

  it('builds with build args, target and -f, then lists and removes the image', async () => {
    await writeFile(
      join(dir, 'app.Dockerfile'),
      `FROM ${BASE_IMAGE} AS base\nARG GREETING\nRUN echo "$GREETING" > /greeting\nFROM base AS final\nRUN false\n`,
    );
    const built = await kubedesk(
      'image',
      'build',
      '-t',
      tag,
      '-f',
      'app.Dockerfile',
      '--build-arg',
      'GREETING=hello',
      '--target',
      'base',
      '--no-cache',
      '.',
    );
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toContain(`✓ Built ${tag}`);

    const listed = await kubedesk('image', 'ls', '-o', 'json');
    const images = JSON.parse(listed.stdout) as { repository: string; tag: string }[];
    expect(images).toContainEqual(expect.objectContaining({ repository: tag.split(':')[0], tag: '1' }));

    const removed = await kubedesk('image', 'rm', tag);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`Untagged: ${tag}`);
    const again = await kubedesk('image', 'rm', tag);
    expect(again.code).not.toBe(0);
    expect(errorLine(again.stderr)).toBe(
      `Error: No image ${tag} on this Docker engine. See the names with "kubedesk image ls".`,
    );
  });

  it('reports a push to an unreachable registry', async () => {
    await writeFile(join(dir, 'Dockerfile'), `FROM ${BASE_IMAGE}\n`);
    const built = await kubedesk('image', 'build', '-t', `localhost:1/${tag}`, '.');
    expect(built.code, built.stderr).toBe(0);
    const result = await kubedesk('image', 'push', `localhost:1/${tag}`);
    expect(result.code).not.toBe(0);
    expect(errorLine(result.stderr)).toMatch(
      /^Error: Push of localhost:1\/\S+ failed: registry localhost:1 is not reachable \(.*connection refused\)\. Start the registry/,
    );
  });
});
