import { describe, expect, it } from 'vitest';
import { runCli } from '../program';
import type { CliIo } from '../io';
import { collectBuildArg, collectTag, isImageReference } from './image-flags';
import { ImageProgressPrinter } from './image-progress';
import { formatAgo } from './image';

function memoryIo(isTTY = false): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    isTTY,
    env: {} as NodeJS.ProcessEnv,
    out: (text: string) => {
      io.stdout += text;
    },
    err: (text: string) => {
      io.stderr += text;
    },
  };
  return io;
}

describe('image flags', () => {
  it('collects build args, taking bare names from the environment', () => {
    const collect = collectBuildArg({ FROM_ENV: 'yes' });
    let args = collect('A=1', undefined);
    args = collect('B=x=y', args);
    args = collect('EMPTY=', args);
    args = collect('FROM_ENV', args);
    args = collect('MISSING', args);
    expect(args).toEqual({ A: '1', B: 'x=y', EMPTY: '', FROM_ENV: 'yes' });
    expect(() => collect('=v', undefined)).toThrow(/not a build argument/);
    expect(() => collect('1A=v', undefined)).toThrow(/not a build argument/);
  });

  it('accepts image references Docker accepts and collects them', () => {
    for (const ok of ['app', 'app:dev', 'org/app:1.0', 'localhost:5000/app:latest', 'ghcr.io/o/a_b-c:v1']) {
      expect(isImageReference(ok), ok).toBe(true);
    }
    for (const bad of ['App', 'app:', ':tag', 'app::1', 'app:-x', '']) {
      expect(isImageReference(bad), bad).toBe(false);
    }
    expect(collectTag('b:2', ['a:1'])).toEqual(['a:1', 'b:2']);
    expect(() => collectTag('Bad', undefined)).toThrow(/not an image name/);
  });

  it('makes usage errors of missing or bad flags', async () => {
    const io = memoryIo();
    expect(await runCli(['image', 'build', '.'], io)).toBe(2);
    expect(io.stderr).toBe('Error: No image name given. Name the image with -t, e.g. -t app:dev.\n');

    const bad = memoryIo();
    expect(await runCli(['image', 'ls', '-o', 'yaml'], bad)).toBe(2);
    expect(bad.stderr).toMatch(/"yaml" is not an output format/);

    const missing = memoryIo();
    expect(await runCli(['image', 'push'], missing)).toBe(2);
    expect(missing.stderr).toMatch(/missing required argument 'name'.*kubedesk image push --help/);
  });
});

describe('ImageProgressPrinter', () => {
  it('prints steps and output as lines, and a layer only when its state changes', () => {
    const io = memoryIo(false);
    const printer = new ImageProgressPrinter(io);
    printer.print({ type: 'step', step: 1, total: 2, instruction: 'FROM base' });
    printer.print({ type: 'output', text: ' ---> abc' });
    printer.print({ type: 'status', text: 'The push refers to repository [localhost:5000/app]' });
    printer.print({ type: 'layer', id: 'fa7f5d97466d', status: 'Preparing' });
    printer.print({ type: 'layer', id: 'fa7f5d97466d', status: 'Pushing', current: 10, total: 100 });
    printer.print({ type: 'layer', id: 'fa7f5d97466d', status: 'Pushing', current: 50, total: 100 });
    printer.print({ type: 'layer', id: 'fa7f5d97466d', status: 'Pushed' });
    printer.finish();
    expect(io.stdout).toBe(
      [
        'Step 1/2 : FROM base',
        ' ---> abc',
        'The push refers to repository [localhost:5000/app]',
        'fa7f5d97466d: Preparing',
        'fa7f5d97466d: Pushing',
        'fa7f5d97466d: Pushed',
        '',
      ].join('\n'),
    );
  });

  it('redraws byte counts in place on a terminal and clears them before the next line', () => {
    const io = memoryIo(true);
    const printer = new ImageProgressPrinter(io);
    printer.print({ type: 'layer', id: 'fa7f5d97466d', status: 'Pushing', current: 10, total: 100 });
    printer.print({ type: 'layer', id: 'fa7f5d97466d', status: 'Pushing', current: 50, total: 100 });
    printer.print({ type: 'layer', id: 'fa7f5d97466d', status: 'Pushed' });
    expect(io.stdout).toBe(
      'fa7f5d97466d: Pushing\n\r\x1b[2Kfa7f5d97466d: Pushing 50B/100B\r\x1b[2Kfa7f5d97466d: Pushed\n',
    );
  });
});

describe('formatAgo', () => {
  it('says how long ago an image was made, as docker images does', () => {
    const now = Date.parse('2026-01-10T12:00:00Z');
    expect(formatAgo('2026-01-10T12:00:00Z', now)).toBe('Less than a second ago');
    expect(formatAgo('2026-01-10T11:59:30Z', now)).toBe('30 seconds ago');
    expect(formatAgo('2026-01-10T11:59:00Z', now)).toBe('A minute ago');
    expect(formatAgo('2026-01-10T11:00:00Z', now)).toBe('An hour ago');
    expect(formatAgo('2026-01-10T07:00:00Z', now)).toBe('5 hours ago');
    expect(formatAgo('2026-01-08T12:00:00Z', now)).toBe('2 days ago');
    expect(formatAgo('2025-01-01T12:00:00Z', now)).toBe('A year ago');
  });
});
