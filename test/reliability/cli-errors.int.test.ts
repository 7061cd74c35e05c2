/**
 * The CLI refuses bad input with one line on stderr (`Error: <cause and fix>`, no stack) and
 * an exit code other than 0: wrong flags and values, unknown commands and profiles, bad image
 * names, missing or unreadable files.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBEDESK, run } from './harness';

let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'kubedesk-cli-errors-'));
  await mkdir(join(home, 'ctx'));
  await writeFile(join(home, 'ctx', 'Dockerfile'), 'FROM scratch\n');
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

const kubedesk = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  run(process.execPath, [KUBEDESK, ...args], {
    env: {
      ...process.env,
      KUBEDESK_HOME: home,
      KUBECONFIG: join(home, 'kubeconfig'),
      KUBEDESK_PAUSE_IMAGE: 'kubedesk-test/pause:1',
      KUBEDESK_AGENT_BASE_IMAGE: 'kubedesk-test/node:1',
      ...env,
    },
    timeout: 60_000,
  });

describe('kubedesk with bad input', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['an unknown option', () => ['--bogus'], /unknown option '--bogus'/],
    ['an unknown command', () => ['nosuchcommand'], /unknown command 'nosuchcommand'/],
    ['a node count that is not a number', () => ['start', '--nodes', 'abc', '-p', 'x'], /not a node count/],
    ['a memory size that is not a size', () => ['start', '--memory', 'lots', '-p', 'x'], /not a memory size/],
    ['a negative wait timeout', () => ['start', '--wait-timeout', '-5', '-p', 'x'], /not a duration/],
    ['an invalid profile name', () => ['start', '-p', 'Bad Name'], /Invalid profile name/],
    ['an unknown profile (status)', () => ['status', '-p', 'nosuch'], /Profile "nosuch" not found/],
    ['an unknown profile (stop)', () => ['stop', '-p', 'nosuch'], /Profile "nosuch" not found/],
    [
      'an unknown profile (addons)',
      () => ['addons', 'enable', 'registry', '-p', 'nosuch'],
      /Profile "nosuch" not found/,
    ],
    [
      'a bad image name to build',
      () => ['image', 'build', join(home, 'ctx'), '-t', 'UPPER::bad'],
      /not an image name/,
    ],
    ['a bad image name to pull', () => ['image', 'pull', 'bad image name!!'], /invalid reference format/],
    [
      'an image that does not exist (push)',
      () => ['image', 'push', 'no/such:img'],
      /does not exist on this Docker engine/,
    ],
    ['an image that does not exist (rm)', () => ['image', 'rm', 'no/such:image'], /No image no\/such:image/],
    [
      'a build context that does not exist',
      () => ['image', 'build', join(home, 'missing'), '-t', 'a:1'],
      /does not exist/,
    ],
    [
      'a build context that is a file',
      () => ['image', 'build', join(home, 'ctx', 'Dockerfile'), '-t', 'a:1'],
      /is not a folder/,
    ],
    [
      'a Dockerfile path that is a folder',
      () => ['image', 'build', join(home, 'ctx'), '-f', home, '-t', 'a:1'],
      /No Dockerfile at/,
    ],
    [
      'a missing flag value',
      () => ['image', 'build', join(home, 'ctx'), '-t', 'a:1', '--build-arg'],
      /argument missing/,
    ],
  ];

  for (const [what, args, message] of cases) {
    it(`answers ${what} with one error line and a failing exit code`, async () => {
      const result = await kubedesk(args());
      expect(result.code, result.stderr).not.toBe(0);
      const lines = result.stderr.trim().split('\n');
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^Error: /);
      expect(lines[0]).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
