import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProfile } from '../engine/profiles/profile-store';
import type { CliIo } from './io';
import { runCli } from './program';

let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'kubedesk-cli-'));
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    isTTY: false,
    env: { KUBEDESK_HOME: home, KUBECONFIG: join(home, 'kubeconfig'), ...env },
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** Every error is exactly one line: `Error: <cause>. <fix>`. */
function expectOneLineError(stderr: string, cause: RegExp, fix: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Error: /);
  expect(lines[0]).toMatch(cause);
  expect(lines[0]).toMatch(fix);
}

describe('kubedesk argument errors', () => {
  it('rejects an unknown flag with the command to get help for', async () => {
    const { code, stderr } = await run(['start', '--nodez', '2']);
    expect(code).toBe(2);
    expectOneLineError(stderr, /unknown option '--nodez'/, /Run "kubedesk start --help" for usage\./);
  });

  it('suggests the closest command for a typo', async () => {
    const { code, stderr } = await run(['statsu']);
    expect(code).toBe(2);
    expectOneLineError(stderr, /unknown command 'statsu'.*Did you mean status\?/, /kubedesk --help/);
  });

  it.each([
    [['start', '--nodes', '0'], /"0" is not a node count/],
    [['start', '--nodes', 'two'], /"two" is not a node count/],
    [['start', '--cpus', '-1'], /"-1" is not a CPU count/],
    [['start', '--memory', '12'], /"12" is not a memory size/],
    [['start', '--memory', '2tb'], /"2tb" is not a memory size/],
    [['status', '-o', 'yaml'], /"yaml" is not an output format/],
    [['stop', '--timeout', 'soon'], /"soon" is not a duration/],
  ])('rejects bad values: %j', async (args, cause) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expectOneLineError(stderr, cause, /--help" for usage/);
  });

  it.each([['Dev'], ['my_cluster'], ['-x'], ['x'.repeat(64)]])(
    'rejects the profile name %s',
    async (name) => {
      const { code, stderr } = await run(['status', '-p', name]);
      expect(code).toBe(2);
      expectOneLineError(stderr, /Invalid profile name/, /Choose another name with -p NAME\./);
    },
  );

  it('takes the profile from KUBEDESK_PROFILE and lets -p override it anywhere on the line', async () => {
    const fromEnv = await run(['status'], { KUBEDESK_PROFILE: 'from-env' });
    expectOneLineError(fromEnv.stderr, /Profile "from-env" not found/, /kubedesk start -p from-env/);
    const before = await run(['-p', 'before', 'status'], { KUBEDESK_PROFILE: 'from-env' });
    expect(before.stderr).toContain('"before"');
    const after = await run(['status', '--profile', 'after'], { KUBEDESK_PROFILE: 'from-env' });
    expect(after.stderr).toContain('"after"');
  });

  it.each([['status'], ['stop'], ['delete']])(
    '%s of an unknown profile says how to create one',
    async (command) => {
      const { code, stderr } = await run([command, '-p', 'ghost']);
      expect(code).toBe(1);
      expectOneLineError(stderr, /Profile "ghost" not found\./, /kubedesk (start -p ghost|profile list)/);
    },
  );

  it('prints help with exit code 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const command of ['start', 'stop', 'status', 'delete', 'profile']) expect(stdout).toContain(command);
  });
});

describe('kubedesk status and profile list without an engine', () => {
  it('reports a stopped profile and exits 7 so scripts can tell', async () => {
    await createProfile({ name: 'dev', apiServerPort: 40123, nodes: 2 }, home);
    const text = await run(['status', '-p', 'dev']);
    expect(text.code).toBe(7);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/^state:\s+Stopped$/m);
    expect(text.stdout).toMatch(/^apiserver:\s+https:\/\/127\.0\.0\.1:40123 \(stopped\)$/m);

    const json = await run(['status', '-p', 'dev', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      name: 'dev',
      state: 'Stopped',
      nodes: 2,
      currentContext: false,
    });
  });

  it('lists profiles as a table and as JSON', async () => {
    expect((await run(['profile', 'list'])).stdout).toContain('No profiles yet');
    await createProfile({ name: 'b', apiServerPort: 40002 }, home);
    await createProfile({ name: 'a', apiServerPort: 40001 }, home);
    const table = await run(['profile', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^PROFILE\s+STATE\s+API SERVER\s+NODES\s+CURRENT$/);
    expect(table.stdout).toMatch(/^a\s+Stopped\s+https:\/\/127\.0\.0\.1:40001\s+1$/m);
    const json = JSON.parse((await run(['profile', 'ls', '-o', 'json'])).stdout) as { name: string }[];
    expect(json.map((p) => p.name)).toEqual(['a', 'b']);
  });
});
